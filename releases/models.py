"""Releases (press releases, statements, speeches, news), events and topics."""

import calendar
import datetime
import datetime as dt
import re
import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contacts.models import MediaContact, Organisation, Person


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Language(models.TextChoices):
    EN = "en", _("English")
    RU = "ru", _("Russian")


MAX_SEARCH_TERMS = 8


def search_terms(query: str) -> list[str]:
    """The words of a visitor's query, without punctuation, capped in number and length."""
    return re.findall(r"\w+", (query or "")[:200])[:MAX_SEARCH_TERMS]


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class PublishableQuerySet(models.QuerySet):
    def public(self):
        """What a visitor may see: published, and its go-live time has passed."""
        return self.filter(status=Status.PUBLISHED, publish_at__lte=timezone.now())

    def scheduled(self):
        """Published items waiting for their go-live time (embargoed until then)."""
        return self.filter(status=Status.PUBLISHED, publish_at__gt=timezone.now())

    def withdrawn(self):
        """Items taken down: their URL shows only the public withdrawal note."""
        return self.filter(status=Status.WITHDRAWN, publish_at__lte=timezone.now())

    def in_language(self, language: str):
        """The versions written in `language` (each translation is its own record)."""
        return self.filter(language=language)

    def search(self, query: str):
        """Items matching every word of `query` (prefixes too), best matches first on PostgreSQL."""
        terms = search_terms(query)
        if not terms:
            return self.none()
        if connection.vendor == "postgresql":
            return self._full_text_search(terms)
        matches = Q()
        for term in terms:
            fields = [(f"{name}__icontains", term) for name in self.model.search_fields]
            matches &= Q.create(fields, connector=Q.OR)
        return self.filter(matches)

    def _full_text_search(self, terms: list[str]):
        """PostgreSQL: match the stored, GIN-indexed search_vector (migration 0004); rank by weight."""
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

        column = f"{self.model._meta.db_table}.search_vector"
        vector = RawSQL(column, [], output_field=SearchVectorField())
        # Every word must match, each as a prefix ("confer" finds "conference").
        tsquery = SearchQuery(
            " & ".join(f"{t}:*" for t in terms), search_type="raw", config="simple"
        )
        return (
            self.annotate(search_vector=vector)
            .filter(search_vector=tsquery)
            .annotate(rank=SearchRank(vector, tsquery))
            .order_by("-rank", *self.model._meta.ordering)
        )


class EventQuerySet(PublishableQuerySet):
    @staticmethod
    def _still_on(today: datetime.date) -> Q:
        month_start = today.replace(day=1)
        return (
            Q(end_date__gte=today)
            | Q(end_date__isnull=True, date_precision=DatePrecision.DAY, start_date__gte=today)
            | Q(
                end_date__isnull=True,
                date_precision=DatePrecision.MONTH,
                start_date__gte=month_start,
            )
            | Q(
                end_date__isnull=True,
                date_precision=DatePrecision.YEAR,
                start_date__year__gte=today.year,
            )
        )

    def upcoming(self, today: datetime.date):
        """Events not yet over on `today` (a month-precision event lasts its whole month), soonest first."""
        return self.filter(self._still_on(today)).order_by(
            F("start_date").asc(nulls_last=True), "title"
        )

    def past(self, today: datetime.date):
        """Events over before `today`, most recent first."""
        return self.filter(start_date__isnull=False).exclude(self._still_on(today))


def editor_link(**options) -> models.ForeignKey:
    """Which editor did something to an item; kept (as empty) when the account goes."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        **options,
    )


class Publishable(models.Model):
    """Editorial state shared by everything a visitor can be shown."""

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a published item goes live. A future time schedules it (embargo); "
        "left empty, publishing sets it to now.",
    )
    withdrawal_note = models.TextField(
        blank=True, help_text="Public explanation shown in place of the text once withdrawn."
    )
    language = models.CharField(
        max_length=2, choices=Language.choices, default=Language.EN, db_index=True
    )
    translation_group = models.UUIDField(
        default=uuid.uuid4,
        db_index=True,
        help_text="Items sharing this value are translations of one another.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    created_by = editor_link()
    updated_by = editor_link()
    submitted_by = editor_link(
        help_text="Who last sent it for review: they may not approve it themselves."
    )
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text="The original this is a translation of (empty for an original).",
    )
    text_changed_at = models.DateTimeField(
        default=timezone.now,
        editable=False,
        help_text="Last change to the words (not the state): a translation older than its "
        "original's needs updating.",
    )
    version = models.PositiveIntegerField(
        default=1,
        help_text="Goes up by one on every save; an edit made from an older version is refused.",
    )
    change_notes = GenericRelation("releases.ChangeNote")

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    TEXT_FIELDS: tuple[str, ...] = ()  # the words a translation follows

    def save(self, *args, **kwargs):
        extra = set()
        if not self._state.adding:
            self.version = (self.version or 0) + 1
            extra.add("version")
            loaded = getattr(self, "_loaded_text", None)
            current = self._text()
            if loaded is not None and current is not None and loaded != current:
                self.text_changed_at = timezone.now()
                extra.add("text_changed_at")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *extra}
        super().save(*args, **kwargs)
        self._loaded_text = self._text()

    @classmethod
    def from_db(cls, db, field_names, values):
        item = super().from_db(db, field_names, values)
        item._loaded_text = item._text()
        return item

    def _text(self):
        """The words as loaded; None when some were not loaded (a deferred field)."""
        values = self.__dict__
        if any(name not in values for name in self.TEXT_FIELDS):
            return None
        return tuple(values[name] for name in self.TEXT_FIELDS)

    @property
    def original(self):
        return self.translation_of or self

    @property
    def needs_update(self) -> bool:
        """A translation whose original's words changed after its own last change."""
        original = self.translation_of
        return original is not None and original.text_changed_at > self.text_changed_at

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    @property
    def is_public(self) -> bool:
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    def clean(self):
        super().clean()
        if self.status == Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        if self.status == Status.WITHDRAWN and not self.withdrawal_note.strip():
            raise ValidationError({"withdrawal_note": "Say publicly why this is withdrawn."})

    @staticmethod
    def publishing_constraints(prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(publish_at__isnull=False),
                name=f"{prefix}_published_has_publish_at",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.WITHDRAWN) | ~Q(withdrawal_note=""),
                name=f"{prefix}_withdrawn_has_note",
            ),
        ]


class TopicQuerySet(models.QuerySet):
    def public(self):
        """Topics of at least one public release or event."""
        return self.filter(
            Exists(Release.objects.public().filter(topics=OuterRef("pk")))
            | Exists(Event.objects.public().filter(topics=OuterRef("pk")))
        )


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    name_ru = models.CharField("name in Russian", max_length=100, blank=True)
    slug = models.SlugField(max_length=120, unique=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("releases:topic", kwargs={"slug": self.slug})

    def name_in(self, language: str) -> str:
        return self.name_ru if language == "ru" and self.name_ru else self.name


class Event(Publishable):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        SUMMIT = "summit", _("Summit")
        MINISTERIAL = "ministerial", _("Ministerial meeting")
        FORUM = "forum", _("Forum")
        MEETING = "meeting", _("Meeting")
        WORKSHOP = "workshop", _("Workshop or seminar")
        OTHER = "other", _("Other")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class EventStatus(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=320, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MEETING)
    start_date = models.DateField(
        null=True, blank=True, db_index=True, help_text="Empty if not yet set."
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the start date is known: “August 2024” is a month, not 1 August.",
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="Last day, for events over several days."
    )
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    event_status = models.CharField(
        max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    hosts = models.ManyToManyField(Organisation, blank=True, related_name="hosted_events")
    topics = models.ManyToManyField(Topic, blank=True, related_name="events")
    description = models.TextField(blank=True, help_text="Markdown.")
    history = HistoricalRecords()

    objects = EventQuerySet.as_manager()
    search_fields = ["title", "description"]  # PostgreSQL: see migration 0004 for weights
    TEXT_FIELDS = ("title", "description")

    class Meta:
        ordering = [F("start_date").desc(nulls_last=True), "title"]
        permissions = [("publish_event", "Can publish, schedule and withdraw events")]
        constraints = [
            *Publishable.publishing_constraints("event"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse("releases:event-detail", kwargs={"slug": self.slug})

    @property
    def last_day(self) -> datetime.date | None:
        """The last day the event runs (the end of its month or year when only that is known)."""
        if self.end_date or self.start_date is None:
            return self.end_date
        if self.date_precision == DatePrecision.MONTH:
            days = calendar.monthrange(self.start_date.year, self.start_date.month)[1]
            return self.start_date.replace(day=days)
        if self.date_precision == DatePrecision.YEAR:
            return self.start_date.replace(month=12, day=31)
        return self.start_date

    def clean(self):
        super().clean()
        if self.end_date and (self.start_date is None or self.end_date < self.start_date):
            raise ValidationError({"end_date": "An event cannot end before it starts."})


class Release(Publishable):
    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", _("Press release")
        STATEMENT = "statement", _("Statement")
        SPEECH = "speech", _("Speech")
        NEWS = "news", _("News")

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=320, unique=True, help_text="The last part of the page's address."
    )
    kind = models.CharField(
        max_length=13, choices=Kind.choices, default=Kind.PRESS_RELEASE, db_index=True
    )
    date = models.DateField(
        null=True, blank=True, db_index=True, help_text="Date of the activity reported (first day)."
    )
    date_end = models.DateField(
        null=True, blank=True, help_text="Last day, for activities over several days."
    )
    city = models.CharField(max_length=100, blank=True, help_text="Dateline place.")
    country = models.CharField(max_length=100, blank=True)
    lead = models.TextField(blank=True, help_text="Summary shown in lists and feeds.")
    body = models.TextField(
        blank=True, help_text="Markdown; plain paragraphs separated by a blank line are fine."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="releases")
    people = models.ManyToManyField(
        Person, through="ReleasePerson", blank=True, related_name="releases"
    )
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="releases")
    events = models.ManyToManyField(Event, blank=True, related_name="releases")
    media_contacts = models.ManyToManyField(MediaContact, blank=True, related_name="releases")
    source_file = models.CharField(
        max_length=255,
        blank=True,
        db_index=True,
        help_text="File this release was imported from.",
        editable=False,
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    import_fingerprint = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Fingerprint of the text as last imported: re-imports leave an editor's changes alone.",
    )
    history = HistoricalRecords()

    search_fields = ["title", "lead", "body"]  # PostgreSQL: see migration 0004 for weights
    TEXT_FIELDS = ("title", "lead", "body")

    class Meta:
        ordering = [F("date").desc(nulls_last=True), "-publish_at", "-pk"]
        permissions = [("publish_release", "Can publish, schedule and withdraw releases")]
        # PostgreSQL also has an index in this ordering for published rows: migration 0007.
        indexes = [
            models.Index(fields=["status", "publish_at"], name="release_visibility_idx"),
            # Counting a language's public releases (list pages) from the index alone.
            models.Index(
                fields=["language", "status", "publish_at"], name="release_lang_visibility_idx"
            ),
        ]
        constraints = [
            *Publishable.publishing_constraints("release"),
            models.CheckConstraint(
                condition=Q(date_end__isnull=True) | Q(date_end__gte=F("date")),
                name="release_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["source_file"],
                condition=~Q(source_file=""),
                name="release_unique_source_file",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse("releases:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.date_end and (self.date is None or self.date_end < self.date):
            raise ValidationError({"date_end": "The last day cannot come before the first."})


class ReleasePerson(models.Model):
    """A person mentioned in a release, with the title and honorific the text gives them."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentions")
    title_given = models.CharField(
        max_length=300, blank=True, help_text="Title as written in the release."
    )
    honorific = models.CharField(max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["release", "person"], name="release_person_once")
        ]
        verbose_name = "person mentioned"
        verbose_name_plural = "people mentioned"

    def __str__(self):
        return f"{self.person} in {self.release}"

    @property
    def title(self) -> str:
        """The title held on the release's date, in the release's language: the appointment's
        when it is known in that language, else as the text gave it, else the appointment's in
        the other language."""
        language = self.release.language
        appointment = self.person.appointment_on(self.release.date)
        if appointment is None:
            return self.title_given
        return appointment.title_known_in(language) or self.title_given or appointment.title


class ChangeNote(models.Model):
    """A public note of a correction made after publication, shown with its date."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    note = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d}: {self.note}"


class StateChange(models.Model):
    """The editorial log of a release or event: who submitted, published, withdrew, shared it."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned to draft")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        RESCHEDULED = "rescheduled", _("Go-live time changed")
        UNSCHEDULED = "unscheduled", _("Unscheduled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REINSTATED = "reinstated", _("Reinstated")
        PREVIEW_CREATED = "preview_created", _("Preview link created")
        PREVIEW_REVOKED = "preview_revoked", _("Preview link revoked")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    reason = models.TextField(
        blank=True, help_text="Why a publisher approved their own submission, or other detail."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.get_action_display()} by {self.user or 'the system'} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def for_item(cls, item):
        return cls.objects.filter(
            content_type=ContentType.objects.get_for_model(item), object_id=item.pk
        ).select_related("user")


PREVIEW_LINK_LIFETIME = dt.timedelta(hours=48)
PREVIEW_LINK_MAX_LIFETIME = dt.timedelta(days=30)
PREVIEW_SIGNING_SALT = "releases.preview-link"


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A secret, expiring, revocable address showing one unpublished release to a journalist."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="preview_links")
    token = models.CharField(max_length=128, unique=True, editable=False)
    label = models.CharField(
        max_length=200, blank=True, help_text="Who the link is for, e.g. “Kazinform newsroom”."
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview of {self.release} ({self.label or 'unlabelled'})"

    def get_absolute_url(self):
        return reverse("releases:preview", kwargs={"token": self.token})

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @staticmethod
    def new_token() -> str:
        """A random value signed with the site's secret key: forged or altered tokens are refused
        before the database is asked, and rotating DJANGO_SECRET_KEY voids every link."""
        return signing.TimestampSigner(salt=PREVIEW_SIGNING_SALT).sign(secrets.token_urlsafe(18))

    @classmethod
    def find(cls, token: str):
        """The usable link for `token`, or None (bad signature, unknown, expired or revoked)."""
        try:
            signing.TimestampSigner(salt=PREVIEW_SIGNING_SALT).unsign(
                token, max_age=PREVIEW_LINK_MAX_LIFETIME
            )
        except signing.BadSignature:
            return None
        return cls.objects.usable().select_related("release").filter(token=token).first()
