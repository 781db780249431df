"""Releases (press releases, statements, speeches and news), events and topics."""

import calendar
import datetime

from django.db import models
from django.db.models import F, Prefetch, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contacts.models import Appointment, MediaContact, Organisation, Person
from core.text.languages import LocalNameMixin, is_cyrillic
from core.validators import MaxTextLength, no_bidi_controls
from editorial.merging import kept_id
from editorial.models import (
    Publishable,
    PublishableQuerySet,
    UsedRecordMixin,
    VisibleRecordMixin,
    linked_from_public,
    public_condition,
)
from editorial.previews import PreviewLinkBase
from library.models import with_renditions


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class ReleaseQuerySet(PublishableQuerySet):
    def listed(self):
        """Only what a list item shows (`_release_item.html`): not the body and its HTML, most
        of a row's bytes and of the time to read it."""
        return self.only_with_state("title", "kind", "date", "date_end", "city", "lead")

    def found(self):
        """Only what a search result shows (`search.html`): the lead, else the body's first
        words; not the HTML of either (half of a row's bytes)."""
        return self.only_with_state("title", "kind", "date", "lead", "body")

    def with_links(self):
        """With everything a release's page and API answer show (`release_links()`)."""
        return self.select_related("lead_image").prefetch_related(*release_links())


def release_links() -> list:
    """What a release's page and API answer show besides itself, a query per relation: people
    (and their public appointments, for the title held that day), organisations, topics,
    public events, its active media contacts (public once it is), pictures, documents and
    change notes (for `prefetch_related()` or `prefetch_related_objects()`)."""
    return [
        Prefetch(
            "mentions",
            queryset=ReleasePerson.objects.select_related("person").prefetch_related(
                Prefetch(
                    "person__appointments",
                    # By person id, not the model's order by person (their name): the same
                    # order per person, without joining the people again.
                    queryset=Appointment.objects.public()
                    .select_related("organisation")
                    .order_by("person_id", F("start").asc(nulls_first=True), "pk"),
                    to_attr="appointment_list",
                )
            ),
            to_attr="mention_list",
        ),
        Prefetch("organisations", to_attr="organisation_list"),
        Prefetch("topics", to_attr="topic_list"),
        Prefetch("events", queryset=Event.objects.public().listed(), to_attr="event_list"),
        Prefetch(
            "media_contacts",
            queryset=MediaContact.objects.active().select_related("organisation"),
            to_attr="contact_list",
        ),
        Prefetch("change_notes", to_attr="note_list"),
        *media_prefetches(ReleaseImage),
    ]


class EventQuerySet(PublishableQuerySet):
    def with_links(self, releases: bool = True):
        """With what an event's page shows (`event_links()`)."""
        return self.select_related("lead_image").prefetch_related(*event_links(releases))

    def listed(self):
        """Only what a list item shows (`_event_item.html`, the API's event summary): not the
        description and its HTML (a third of the time to read 20 events)."""
        return self.only_with_state(
            "title",
            "start_date",
            "date_precision",
            "end_date",
            "city",
            "country",
            "format",
            "event_status",
        )

    def upcoming(self, today: datetime.date):
        """Events not yet over on `today` (a month-precision event lasts its whole month), soonest first."""
        # Undated ones last. Not `F("start_date").asc(nulls_last=True)`: PostgreSQL then walks
        # the start_date index from the oldest event and filters out every past one to find
        # the first few upcoming; sorting the few that match is cheaper.
        undated_last = Coalesce("start_date", Value(datetime.date.max))
        return self.filter(ends_on__gte=today).order_by(undated_last, "title")

    def past(self, today: datetime.date):
        """Events over before `today`, most recent first."""
        # The default order, less its NULLS LAST (none here): PostgreSQL can then read the
        # start_date index backwards and stop after a page (0.8 ms; sorting all 4,500: 7 ms).
        return self.filter(start_date__isnull=False, ends_on__lt=today).order_by(
            F("start_date").desc(), "title"
        )


def event_links(releases: bool = True) -> list:
    """What an event's page shows besides itself: hosts, topics, the public releases about it
    (not for the API, which does not list them), change notes, pictures and documents."""
    about = Release.objects.public().listed()
    return [
        Prefetch("hosts", to_attr="host_list"),
        Prefetch("topics", to_attr="topic_list"),
        *([Prefetch("releases", queryset=about, to_attr="release_list")] if releases else []),
        Prefetch("change_notes", to_attr="note_list"),
        *media_prefetches(EventImage),
    ]


class TopicQuerySet(models.QuerySet):
    def public(self):
        """Topics of at least one public release or event."""
        return self.filter(linked_from_public(self.model, "releases", "events"))


class Topic(UsedRecordMixin, VisibleRecordMixin, LocalNameMixin, models.Model):
    name = models.CharField(
        verbose_name=_("name"), max_length=100, unique=True, validators=[no_bidi_controls]
    )
    name_ru = models.CharField(_("name in Russian"), max_length=100, blank=True)
    slug = models.SlugField(verbose_name=_("slug"), max_length=120, unique=True)

    objects = TopicQuerySet.as_manager()
    USED_BY = ("releases", "events")

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("releases:topic", kwargs={"slug": self.slug})

    def page_tags(self) -> set[str]:
        return {f"topic:{self.pk}", f"topic-listing:{self.pk}"}

    def cache_tags(self) -> set[str]:
        return {f"topic:{self.pk}", "topics", "releases", "events"}


def lead_image_field(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        "library.Image",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=_("lead image"),
        help_text=_("The main picture, shown at the top and when the page is shared."),
    )


def media_prefetches(gallery_model) -> list[Prefetch]:
    """The lead picture's renditions (select the lead picture with its item:
    `select_related("lead_image")`), the gallery (`gallery_list`), each picture with its
    renditions, and the documents (`document_list`) of a page of releases or events."""
    return [
        with_renditions("lead_image__renditions"),
        Prefetch(
            "gallery_items",
            queryset=gallery_model.objects.select_related("image").prefetch_related(
                with_renditions("image__renditions")
            ),
            to_attr="gallery_list",
        ),
        Prefetch("documents", to_attr="document_list"),
    ]


class WithMedia:
    """A lead picture, an ordered gallery and documents (releases and events)."""

    @cached_property
    def gallery_list(self) -> list:
        """Its gallery in order: prefetched by `with_links()`, else read when first asked."""
        return list(self.gallery_items.select_related("image"))

    @cached_property
    def document_list(self) -> list:
        """Its documents: prefetched by `with_links()`, else read when first asked."""
        return list(self.documents.all())

    def gallery(self) -> list:
        return [item.image for item in self.gallery_list]

    def attached_media(self, kind: str) -> set[int]:
        if kind == "image":
            ids = {item.image_id for item in self.gallery_list}
            return ids | ({self.lead_image_id} if self.lead_image_id else set())
        if kind == "document":
            return {document.pk for document in self.document_list}
        return set()

    def publishing_problems(self) -> list[str]:
        pictures = [self.lead_image] if self.lead_image_id else []
        pictures += self.gallery()
        missing = [picture for picture in pictures if picture.needs_alt_text]
        if self.language == "ru":  # the Russian page reads the Russian alt text
            missing += [p for p in pictures if p not in missing and not p.alt_text_ru.strip()]
        if not missing:
            return []
        return [
            gettext(
                "Needs alt text: %(count)s of its pictures say nothing to people who cannot see "
                "them. Describe each in the media library (Images), then publish."
            )
            % {"count": len(missing)}
        ]


class Event(UsedRecordMixin, WithMedia, Publishable):
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

    title = models.CharField(verbose_name=_("title"), max_length=300, validators=[no_bidi_controls])
    slug = models.SlugField(verbose_name=_("slug"), max_length=320, unique=True)
    kind = models.CharField(
        verbose_name=_("kind"), max_length=12, choices=Kind.choices, default=Kind.MEETING
    )
    start_date = models.DateField(
        verbose_name=_("start date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Empty if not yet set."),
    )
    date_precision = models.CharField(
        verbose_name=_("date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("How much of the start date is known: “August 2024” is a month, not 1 August."),
    )
    end_date = models.DateField(
        verbose_name=_("end date"),
        null=True,
        blank=True,
        help_text=_("Last day, for events over several days."),
    )
    # `last_day`, kept by save(): what the upcoming and past lists compare with today, in one
    # indexed column rather than four cases of dates and precision (a scan of every event).
    ends_on = models.DateField(
        verbose_name=_("ends on"), null=True, blank=True, editable=False, db_index=True
    )
    city = models.CharField(verbose_name=_("city"), max_length=100, blank=True)
    country = models.CharField(verbose_name=_("country"), max_length=100, blank=True)
    venue = models.CharField(verbose_name=_("venue"), max_length=200, blank=True)
    accreditation_deadline = models.DateTimeField(
        verbose_name=_("accreditation deadline"),
        null=True,
        blank=True,
        help_text=_(
            "Journalists may apply for media accreditation on the event's page until then "
            "(Astana time). Empty: no accreditation."
        ),
    )
    format = models.CharField(
        verbose_name=_("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    event_status = models.CharField(
        verbose_name=_("event status"),
        max_length=10,
        choices=EventStatus.choices,
        default=EventStatus.PLANNED,
    )
    hosts = models.ManyToManyField(
        Organisation, verbose_name=_("hosts"), blank=True, related_name="hosted_events"
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="events"
    )
    description = models.TextField(
        verbose_name=_("description"),
        blank=True,
        help_text=_("Markdown."),
        validators=[MaxTextLength("DESCRIPTION")],
    )
    description_html = models.TextField(
        verbose_name=_("description html"), blank=True, editable=False
    )
    lead_image = lead_image_field("lead_of_events")
    images = models.ManyToManyField(
        "library.Image",
        verbose_name=_("images"),
        through="EventImage",
        blank=True,
        related_name="events",
    )
    documents = models.ManyToManyField(
        "library.Document", verbose_name=_("documents"), blank=True, related_name="events"
    )
    # The rendered HTML is kept in each revision too: simple-history re-reads excluded fields
    # from the live row once per linked field at every save.
    history = HistoricalRecords(m2m_fields=["hosts", "topics"])

    objects = EventQuerySet.as_manager()
    USED_BY = ("releases",)
    SEARCH_WINDOW = 0  # a press office's events are few: always ranked among all
    search_fields = ["title", "description"]  # PostgreSQL: see migration 0004 for weights
    TEXT_FIELDS = ("title", "description")
    DATE_RANGE = ("start_date", "end_date")
    MARKDOWN_FIELDS = {"description": "description_html"}
    DATE_RANGE_ERROR = "An event cannot end before it starts."
    TRANSLATED_FIELDS = (
        "title",
        "kind",
        "start_date",
        "date_precision",
        "end_date",
        "city",
        "country",
        "venue",
        "format",
        "event_status",
        "description",
        "lead_image",
    )
    TRANSLATED_LINKS = ("hosts", "topics", "documents")

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
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

    def save(self, *args, **kwargs):
        self.ends_on = self.last_day
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "ends_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        with translation.override(self.language):  # under its own language's prefix
            return reverse("releases:event-detail", kwargs={"slug": self.slug})

    CACHE_LIST_TAG = "events"

    def page_tags(self) -> set[str]:
        """Itself (and the releases it lists), its language versions, its hosts and topics."""
        return (
            super().page_tags()
            | {f"event-listing:{self.pk}"}
            | {f"organisation:{o.pk}" for o in self.host_list}
            | {f"topic:{t.pk}" for t in self.topic_list}
        )

    def listing_tags(self) -> set[str]:
        return {f"organisation-listing:{o.pk}" for o in self.hosts.all()} | {
            f"topic-listing:{t.pk}" for t in self.topics.all()
        }

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

    def accreditation_open(self) -> bool:
        """Whether journalists may apply for media accreditation now: its deadline is ahead and
        the event neither over nor cancelled."""
        return (
            self.accreditation_deadline is not None
            and timezone.now() < self.accreditation_deadline
            and self.event_status != self.EventStatus.CANCELLED
            and (self.last_day is None or self.last_day >= timezone.localdate())
        )

    def days(self) -> list[datetime.date]:
        """Each day the event runs, when its dates are known to the day (at most 31)."""
        if self.start_date is None or self.date_precision != DatePrecision.DAY:
            return []
        last = self.last_day or self.start_date
        count = min((last - self.start_date).days + 1, 31)
        return [self.start_date + datetime.timedelta(days=n) for n in range(max(count, 1))]

    def json_ld(self, url: str) -> dict:
        """schema.org `Event` data for the event's page."""
        return {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.title,
            "url": url,
            "startDate": self.start_date.isoformat() if self.start_date else None,
            "endDate": (self.last_day or self.start_date).isoformat() if self.start_date else None,
            "eventStatus": "https://schema.org/Event"
            + {"cancelled": "Cancelled", "postponed": "Postponed"}.get(
                self.event_status, "Scheduled"
            ),
            "eventAttendanceMode": "https://schema.org/"
            + {"online": "OnlineEventAttendanceMode", "hybrid": "MixedEventAttendanceMode"}.get(
                self.format, "OfflineEventAttendanceMode"
            ),
            "location": {
                "@type": "Place",
                "name": ", ".join(filter(None, [self.venue, self.city, self.country])) or "Online",
            },
            "organizer": {"@type": "Organization", "name": "CICA Secretariat"},
        }


class ReleasePersonQuerySet(models.QuerySet):
    def public(self):
        """Mentions in public releases (what makes a learnt appointment visible)."""
        return self.filter(public_condition("release__"))


class ReleasePerson(models.Model):
    """A person mentioned in a release, with the title and honorific the text gives them."""

    release = models.ForeignKey(
        "Release", verbose_name=_("release"), on_delete=models.CASCADE, related_name="mentions"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="mentions"
    )
    title_given = models.CharField(
        verbose_name=_("title given"),
        max_length=300,
        blank=True,
        help_text=_("Title as written in the release."),
    )
    honorific = models.CharField(verbose_name=_("honorific"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)
    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        help_text=_("The role this mention is evidence of (set by the importer)."),
    )
    history = HistoricalRecords()

    objects = ReleasePersonQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["release", "person"], name="release_person_once")
        ]
        verbose_name = _("person mentioned")
        verbose_name_plural = _("people mentioned")

    def __str__(self):
        return f"{self.person} in {self.release}"

    def seen_by_visitors(self) -> bool:
        return self.release.seen_by_visitors()

    def cache_tags(self) -> set[str]:
        return self.release.cache_tags() | {f"person-listing:{self.person_id}"}

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


class Release(WithMedia, Publishable):
    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", _("Press release")
        STATEMENT = "statement", _("Statement")
        SPEECH = "speech", _("Speech")
        NEWS = "news", _("News")

    title = models.CharField(verbose_name=_("title"), max_length=500, validators=[no_bidi_controls])
    slug = models.SlugField(
        verbose_name=_("slug"),
        max_length=320,
        unique=True,
        help_text=_("The last part of the page's address."),
    )
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=13,
        choices=Kind.choices,
        default=Kind.PRESS_RELEASE,
        db_index=True,
    )
    date = models.DateField(
        verbose_name=_("date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Date of the activity reported (first day)."),
    )
    date_end = models.DateField(
        verbose_name=_("date end"),
        null=True,
        blank=True,
        help_text=_("Last day, for activities over several days."),
    )
    city = models.CharField(
        verbose_name=_("city"), max_length=100, blank=True, help_text=_("Dateline place.")
    )
    country = models.CharField(verbose_name=_("country"), max_length=100, blank=True)
    lead = models.TextField(
        verbose_name=_("lead"),
        blank=True,
        help_text=_("Summary shown in lists and feeds."),
        validators=[MaxTextLength("LEAD")],
    )
    body = models.TextField(
        verbose_name=_("body"),
        blank=True,
        help_text=_("Markdown; plain paragraphs separated by a blank line are fine."),
        validators=[MaxTextLength("BODY")],
    )
    lead_html = models.TextField(verbose_name=_("lead html"), blank=True, editable=False)
    body_html = models.TextField(verbose_name=_("body html"), blank=True, editable=False)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="releases"
    )
    people = models.ManyToManyField(
        Person,
        verbose_name=_("people"),
        through="releases.ReleasePerson",
        blank=True,
        related_name="releases",
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="releases"
    )
    events = models.ManyToManyField(
        Event, verbose_name=_("events"), blank=True, related_name="releases"
    )
    media_contacts = models.ManyToManyField(
        MediaContact, verbose_name=_("media contacts"), blank=True, related_name="releases"
    )
    lead_image = lead_image_field("lead_of_releases")
    images = models.ManyToManyField(
        "library.Image",
        verbose_name=_("images"),
        through="ReleaseImage",
        blank=True,
        related_name="releases",
    )
    documents = models.ManyToManyField(
        "library.Document",
        verbose_name=_("documents"),
        blank=True,
        related_name="releases",
        help_text=_("Files to download with the release: the full speech, a joint statement…"),
    )
    source_file = models.CharField(
        verbose_name=_("source file"),
        max_length=255,
        blank=True,
        db_index=True,
        help_text=_("File this release was imported from."),
        editable=False,
    )
    content_hash = models.CharField(
        verbose_name=_("content hash"), max_length=64, blank=True, editable=False, db_index=True
    )
    import_fingerprint = models.CharField(
        verbose_name=_("import fingerprint"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_(
            "Fingerprint of the text as last imported: re-imports leave an editor's changes alone."
        ),
    )
    # Each revision keeps the links too (organisations, topics, events, contacts; the people
    # named, with their titles, through ReleasePerson's own history), so a restore brings them
    # back. The rendered HTML is kept as well: simple-history re-reads excluded fields from
    # the live row once per linked field at every save.
    history = HistoricalRecords(
        m2m_fields=["organisations", "topics", "events", "media_contacts"],
    )

    objects = ReleaseQuerySet.as_manager()
    search_fields = ["title", "lead", "body"]  # PostgreSQL: see migration 0004 for weights
    TEXT_FIELDS = ("title", "lead", "body")
    DATE_RANGE = ("date", "date_end")
    MARKDOWN_FIELDS = {"lead": "lead_html", "body": "body_html"}
    DATE_RANGE_ERROR = "The last day cannot come before the first."
    TRANSLATED_FIELDS = (
        "title",
        "kind",
        "date",
        "date_end",
        "city",
        "country",
        "lead",
        "body",
        "lead_image",
    )
    TRANSLATED_LINKS = ("topics", "organisations", "events", "media_contacts", "documents")
    MAILED_TO_SUBSCRIBERS = True

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = [F("date").desc(nulls_last=True), "-publish_at", "-pk"]
        permissions = [("publish_release", "Can publish, schedule and withdraw releases")]
        # PostgreSQL also has an index in this ordering for published rows: migration 0007.
        indexes = [
            models.Index(fields=["status", "publish_at"], name="release_visibility_idx"),
            # Counting a language's public releases (list pages) from the index alone.
            models.Index(
                fields=["language", "status", "publish_at"], name="release_lang_visibility_idx"
            ),
            # The same for one kind (`?kind=statement`): without it, a sequential scan.
            models.Index(
                fields=["language", "kind", "status", "publish_at"],
                name="release_kind_visibility_idx",
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
        with translation.override(self.language):  # under its own language's prefix
            return reverse("releases:detail", kwargs={"slug": self.slug})

    CACHE_LIST_TAG = "releases"

    def page_tags(self) -> set[str]:
        """Itself, its language versions and everything its page names (from the prefetched
        links when the page loaded them)."""
        return (
            super().page_tags()
            | {f"person:{m.person_id}" for m in self.mention_list}
            | {f"organisation:{o.pk}" for o in self.organisation_list}
            | {f"topic:{t.pk}" for t in self.topic_list}
            | {f"event:{e.pk}" for e in self.event_list}
            | {f"mediacontact:{c.pk}" for c in self.contact_list}
        )

    def listing_tags(self) -> set[str]:
        return (
            {f"person-listing:{m.person_id}" for m in self.mentions.all()}
            | {f"organisation-listing:{o.pk}" for o in self.organisations.all()}
            | {f"topic-listing:{t.pk}" for t in self.topics.all()}
            | {f"event-listing:{e.pk}" for e in self.events.all()}
        )

    def mentions_at(self, record) -> list:
        """The people named in revision `record` (historical ReleasePerson rows, in order).
        A save records the release's revision last, once its people are in place (the admin
        and the importer both do), so a revision's people are those saved up to its time."""
        states = {}
        rows = ReleasePerson.history.filter(
            release_id=self.pk, history_date__lte=record.history_date
        )
        for row in rows.select_related("person").order_by("history_date", "history_id"):
            states[row.id] = row
        return sorted(
            (r for r in states.values() if r.history_type != "-"), key=lambda r: r.position
        )

    def restore_links(self, record) -> None:
        """The people named as revision `record` named them (ReleasePerson's own history)."""
        named = {}
        for r in self.mentions_at(record):  # a person merged since: the record kept
            named.setdefault(kept_id(Person, r.person_id), r)
        existing = set(Person.objects.filter(pk__in=named).values_list("pk", flat=True))
        appointments = set(
            Appointment.objects.filter(
                pk__in=[r.appointment_id for r in named.values()]
            ).values_list("pk", flat=True)
        )
        self.mentions.all().delete()
        ReleasePerson.objects.bulk_create(
            ReleasePerson(
                release=self,
                person_id=person_id,
                title_given=r.title_given,
                honorific=r.honorific,
                position=r.position,
                appointment_id=r.appointment_id if r.appointment_id in appointments else None,
            )
            for person_id, r in named.items()
            if person_id in existing
        )

    def copy_correction_extras(self, source) -> None:
        """The people named, exactly as `source` names them (same language)."""
        self.mentions.all().delete()
        ReleasePerson.objects.bulk_create(
            ReleasePerson(
                release=self,
                person_id=m.person_id,
                title_given=m.title_given,
                honorific=m.honorific,
                position=m.position,
                appointment_id=m.appointment_id,
            )
            for m in source.mentions.all()
        )

    def copy_translation_extras(self, original) -> None:
        """The people the original names. Their honorifics and titles as the original gives
        them are words of its language: they are kept only when written in this version's
        script, else left for the translator (the page shows the role known in this language,
        from the person's appointments, meanwhile)."""

        def ours(words: str) -> str:
            return words if is_cyrillic(words) == (self.language == "ru") else ""

        ReleasePerson.objects.bulk_create(
            ReleasePerson(
                release=self,
                person_id=m.person_id,
                title_given=ours(m.title_given),
                honorific=ours(m.honorific),
                position=m.position,
            )
            for m in original.mentions.all()
        )

    def json_ld(self, url: str) -> dict:
        """schema.org `NewsArticle` data for the release's page."""
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title[:110],
            "url": url,
            "mainEntityOfPage": url,
            "datePublished": self.publish_at.isoformat() if self.publish_at else None,
            "dateModified": self.updated_at.isoformat(),
            "inLanguage": self.language,
            "description": (self.lead or self.body)[:300],
            "publisher": {"@type": "Organization", "name": "CICA Secretariat"},
            **image_json_ld(self, url),
            "author": {"@type": "Organization", "name": "CICA Secretariat"},
        }
        if self.city:
            data["locationCreated"] = {
                "@type": "Place",
                "name": ", ".join(filter(None, [self.city, self.country])),
            }
        return data


class PreviewLink(PreviewLinkBase):
    """A secret, expiring address showing one release before it is public (see editorial)."""

    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.CASCADE, related_name="preview_links"
    )
    item_field = "release"

    class Meta(PreviewLinkBase.Meta):
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self):
        return f"Preview of {self.release} ({self.label or 'unlabelled'})"

    def get_absolute_url(self):
        return reverse("releases:preview", kwargs={"token": self.token})


def image_json_ld(item, url: str) -> dict:
    """schema.org `image` for an item's lead picture (its largest JPEG rendition)."""
    image = item.lead_image if item.lead_image_id else None
    if image is None:
        return {}
    from urllib.parse import urlsplit

    jpeg = [r for r in image.rendition_list if r.format == "jpg"]
    variant = f"{jpeg[-1].width}.jpg" if jpeg else "original"
    parts = urlsplit(url)
    return {
        "image": {
            "@type": "ImageObject",
            "url": f"{parts.scheme}://{parts.netloc}{image.url(variant)}",
            "width": jpeg[-1].width if jpeg else image.width,
            "height": jpeg[-1].height if jpeg else image.height,
            "caption": image.caption or image.alt_text,
            **({"creditText": image.credit} if image.credit else {}),
        }
    }


class GalleryItem(models.Model):
    """A picture in an item's gallery, in its place. Deleting a picture still in a gallery is
    refused (PROTECT): the admin lists where it is used."""

    image = models.ForeignKey(
        "library.Image", verbose_name=_("image"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(verbose_name=_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return str(self.image)

    @property
    def item(self):
        return getattr(self, self.ITEM)

    def seen_by_visitors(self) -> bool:
        return self.item.seen_by_visitors()

    def cache_tags(self) -> set[str]:
        return self.item.cache_tags()


class ReleaseImage(GalleryItem):
    ITEM = "release"
    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.CASCADE, related_name="gallery_items"
    )

    class Meta(GalleryItem.Meta):
        verbose_name = _("picture in the gallery")
        verbose_name_plural = _("gallery")
        constraints = [
            models.UniqueConstraint(fields=["release", "image"], name="release_image_once")
        ]


class EventImage(GalleryItem):
    ITEM = "event"
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="gallery_items"
    )

    class Meta(GalleryItem.Meta):
        verbose_name = _("picture in the gallery")
        verbose_name_plural = _("gallery")
        constraints = [models.UniqueConstraint(fields=["event", "image"], name="event_image_once")]


class MediaKit(models.Model):
    """One zip of a public release's or event's pictures (originals), documents and a text file
    of its words, captions and credits; built by the worker once per change (releases/kits.py),
    offered on the page while it matches what the item shows (`fingerprint`)."""

    item_key = models.CharField(verbose_name=_("item"), max_length=40, unique=True)
    fingerprint = models.CharField(verbose_name=_("fingerprint"), max_length=64)
    file = models.FileField(verbose_name=_("file"), upload_to="kits/", max_length=200)
    size = models.PositiveBigIntegerField(verbose_name=_("size"), default=0)
    built_at = models.DateTimeField(verbose_name=_("built at"), default=timezone.now)

    class Meta:
        verbose_name = _("media kit")
        verbose_name_plural = _("media kits")

    def __str__(self):
        return self.item_key

    def seen_by_visitors(self) -> bool:
        return True

    def cache_tags(self) -> set[str]:
        kind, _, pk = self.item_key.partition(":")
        return {f"{kind}:{pk}"}
