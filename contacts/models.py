"""People and their appointments, organisations and the press office's media contacts."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.text.languages import LocalNameMixin
from core.validators import no_bidi_controls
from editorial.models import UsedRecordMixin, VisibleRecordMixin, linked_from_public

from .phones import format_phone, normalise_phone

e164_validator = RegexValidator(
    r"^\+[1-9]\d{6,14}$", "Enter the number in international form, e.g. +7 777 036 2658."
)


class PhoneNumberField(models.CharField):
    """A phone number accepted in any common form and stored in E.164."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)
        self.validators.append(e164_validator)

    def formfield(self, **kwargs):
        # Forms accept the number as people write it ("+7 (777) 036-26-58"); it is stored in E.164.
        return super().formfield(**{"max_length": 40, **kwargs})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            return normalise_phone(value)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People a public release mentions: nobody is named before a release about them is out."""
        # EXISTS per row, not IN over every public release: an index probe per person, which
        # stays quick at any number of releases.
        return self.filter(linked_from_public(self.model, "releases"))

    def with_public_appointments(self):
        """With the roles visitors may see (and their organisations) as `appointment_list`:
        every title a page or answer shows is read from these."""
        return self.prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.public().select_related("organisation"),
                to_attr="appointment_list",
            )
        )


class OrganisationQuerySet(models.QuerySet):
    def public(self):
        """Organisations named by a public release or hosting a public event."""
        return self.filter(linked_from_public(self.model, "releases", "hosted_events"))


class Organisation(UsedRecordMixin, VisibleRecordMixin, models.Model):
    class Kind(models.TextChoices):
        INTERNATIONAL = "international", _("International organisation")
        STATE = "state", _("State")
        MINISTRY = "ministry", _("Ministry or government body")
        SECRETARIAT = "secretariat", _("Secretariat or body of an organisation")
        OTHER = "other", _("Other")

    name = models.CharField(
        verbose_name=_("name"),
        max_length=255,
        unique=True,
        validators=[no_bidi_controls],
        help_text=_("Full name, e.g. “Shanghai Cooperation Organisation”."),
    )
    acronym = models.CharField(
        verbose_name=_("acronym"),
        max_length=30,
        blank=True,
        db_index=True,
        help_text=_("e.g. “SCO”. Leave empty if the organisation has none."),
    )
    name_ru = models.CharField(
        _("name in Russian"),
        max_length=255,
        blank=True,
        help_text=_("e.g. “Шанхайская организация сотрудничества”; Russian pages use it."),
    )
    acronym_ru = models.CharField(
        _("acronym in Russian"), max_length=30, blank=True, help_text=_("e.g. “ШОС”.")
    )
    slug = models.SlugField(verbose_name=_("slug"), max_length=255, unique=True)
    kind = models.CharField(
        verbose_name=_("kind"), max_length=20, choices=Kind.choices, default=Kind.INTERNATIONAL
    )
    website = models.URLField(verbose_name=_("website"), blank=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()
    USED_BY = ("releases", "hosted_events", "appointments", "media_contacts")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("contacts:organisation", kwargs={"slug": self.slug})

    def page_tags(self) -> set[str]:
        """What its page shows, as cache tags (core.caching)."""
        return {f"organisation:{self.pk}", f"organisation-listing:{self.pk}"}

    def cache_tags(self) -> set[str]:
        """What a change to it purges: its page, the pages naming it, the lists."""
        return {f"organisation:{self.pk}", "organisations", "releases", "events"}

    def name_in(self, language: str) -> str:
        """The name as a reader of `language` sees it (English when no Russian form is known)."""
        if language == "ru" and self.name_ru:
            acronym = self.acronym_ru or self.acronym
            return f"{self.name_ru} ({acronym})" if acronym else self.name_ru
        return str(self)


class Person(UsedRecordMixin, VisibleRecordMixin, LocalNameMixin, models.Model):
    name = models.CharField(
        verbose_name=_("name"),
        max_length=200,
        validators=[no_bidi_controls],
        help_text=_("The name as the press office writes it in full, e.g. “Kairat Sarybay”."),
    )
    name_ru = models.CharField(
        _("name in Russian"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “Кайрат Сарыбай”; Russian pages use it."),
    )
    slug = models.SlugField(verbose_name=_("slug"), max_length=220, unique=True)
    honorific = models.CharField(
        verbose_name=_("honorific"),
        max_length=50,
        blank=True,
        help_text=_("e.g. “Ambassador”, “H.E.”, “Dr.”"),
    )
    aliases = models.JSONField(
        verbose_name=_("aliases"),
        default=list,
        blank=True,
        help_text=_(
            "Other spellings met in texts, e.g. “K.Sarybay”, “Kairat Sarybai”. One per list item."
        ),
    )
    portrait = models.ForeignKey(
        "library.Image",
        verbose_name=_("portrait"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portrait_of",
        help_text=_("An official portrait, shown on the person's page."),
    )
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()
    USED_BY = ("releases",)

    class Meta:
        verbose_name = _("person")
        # By name, and among namesakes by record, so that a page of who's who is the same every
        # time; the index lets a page be read in that order, stopping at its last person.
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["name", "id"], name="person_by_name")]
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contacts:person", kwargs={"slug": self.slug})

    @cached_property
    def appointment_list(self) -> list:
        """The public ones when `with_public_appointments()` (or a release's `with_links()`)
        prefetched them, else all of them, read when first asked."""
        return list(self.appointments.select_related("organisation"))

    def page_tags(self) -> set[str]:
        """What its page shows, as cache tags (core.caching)."""
        return {f"person:{self.pk}", f"person-listing:{self.pk}"}

    def cache_tags(self) -> set[str]:
        """What a change to it purges: its page, the pages naming it, the lists."""
        return {f"person:{self.pk}", "people", "releases", "events"}

    def absorb(self, duplicate: "Person") -> None:
        """Take a merged duplicate's spellings and whatever this record lacks."""
        spellings = [duplicate.name, *duplicate.aliases]
        self.aliases = [
            *self.aliases,
            *(n for n in spellings if n not in {self.name, *self.aliases}),
        ]
        self.name_ru = self.name_ru or duplicate.name_ru
        self.honorific = self.honorific or duplicate.honorific

    def clean(self):
        if not isinstance(self.aliases, list) or not all(isinstance(a, str) for a in self.aliases):
            raise ValidationError({"aliases": "Give the other spellings as a list of names."})

    def appointment_on(self, day: datetime.date | None):
        """The appointment held on `day` (the most recently started if several), or None."""
        if day is None:
            return None
        held = [a for a in self.appointment_list if a.is_valid_on(day)]
        return max(held, key=lambda a: a.start or datetime.date.min, default=None)

    def current_title(self, language: str) -> str:
        """The title held today, in `language` (from prefetched appointments when there are any)."""
        if not self.appointment_list:  # no role known: nothing to ask the clock about
            return ""
        return self.title_on(timezone.localdate(), language)

    def title_on(self, day: datetime.date | None, language: str) -> str:
        """The title this person held on `day`, in `language` when it is known in it, else in
        the other ("" when no appointment is known)."""
        appointment = self.appointment_on(day)
        return appointment.title_in(language) if appointment else ""


class AppointmentQuerySet(models.QuerySet):
    def public(self):
        """What visitors may see of people's roles: what an editor entered, and what a public
        release gives (a title learnt from a draft or embargoed release stays hidden until it is
        public, and goes again if it is withdrawn and nothing public still gives it)."""
        return self.filter(Q(entered_by_editor=True) | linked_from_public(self.model, "evidence"))


class Appointment(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="appointments"
    )
    role_title = models.CharField(
        verbose_name=_("role title"),
        max_length=300,
        blank=True,
        help_text=_(
            "The title in English as it is written, e.g. “Secretary General of CICA”; empty when only the Russian is known."
        ),
    )
    role_title_ru = models.CharField(
        _("role title in Russian"),
        max_length=300,
        blank=True,
        help_text=_("e.g. “Генеральный секретарь СВМДА”; Russian pages use it."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    start = models.DateField(
        verbose_name=_("start"), null=True, blank=True, help_text=_("Empty if unknown.")
    )
    end = models.DateField(
        verbose_name=_("end"),
        null=True,
        blank=True,
        help_text=_("Empty while the appointment is current."),
    )
    entered_by_editor = models.BooleanField(
        verbose_name=_("entered by editor"),
        default=True,
        help_text=_(
            "Entered or checked by an editor. Roles the importer learns from a release "
            "are shown only while a public release gives them."
        ),
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["person", F("start").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="appointment_ends_after_start",
            ),
            # A role may be known only from Russian releases, but it is known in some language.
            models.CheckConstraint(
                condition=~Q(role_title="") | ~Q(role_title_ru=""),
                name="appointment_has_a_title",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.title}"

    def seen_by_visitors(self) -> bool:
        return self.person.seen_by_visitors()

    def cache_tags(self) -> set[str]:
        return self.person.cache_tags()

    @property
    def title(self) -> str:
        """The title in English, or in Russian when only that is known."""
        return self.role_title or self.role_title_ru

    def title_known_in(self, language: str) -> str:
        """The title written in `language` ("" when it is not known in it)."""
        return self.role_title_ru if language == "ru" else self.role_title

    def title_in(self, language: str) -> str:
        """The title as readers of `language` know it; the other language's when it is all we have."""
        return self.title_known_in(language) or self.title

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)

    def overlaps(self, other: "Appointment") -> bool:
        lo = max(self.start or datetime.date.min, other.start or datetime.date.min)
        hi = min(self.end or datetime.date.max, other.end or datetime.date.max)
        return lo <= hi

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "An appointment cannot end before it starts."})
        if not self.role_title and not self.role_title_ru:
            raise ValidationError({"role_title": "Give the title in English or in Russian."})
        if self.person_id is None:
            return
        same_title = (
            Q(role_title__iexact=self.role_title)
            if self.role_title
            else Q(role_title_ru__iexact=self.role_title_ru)
        )
        same_role = Appointment.objects.filter(
            same_title, person_id=self.person_id, organisation_id=self.organisation_id
        ).exclude(pk=self.pk)
        for other in same_role:
            if self.overlaps(other):
                raise ValidationError(
                    f"{self.person} already holds this role from {other.start or 'an unknown date'} "
                    f"to {other.end or 'now'}; the periods may not overlap."
                )


class MediaContactQuerySet(models.QuerySet):
    def public(self):
        """The contacts visitors see: active ones that an editor entered, or that a public
        release names (a contact learnt from a draft stays hidden until it is public)."""
        return self.active().filter(
            Q(entered_by_editor=True) | linked_from_public(self.model, "releases")
        )

    def active(self):
        """Contacts still in use. A public release's own contacts are the active ones it names:
        naming them is what makes them public (`public()`), so its page needs no more check."""
        return self.filter(active=True)


class MediaContact(UsedRecordMixin, VisibleRecordMixin, models.Model):
    name = models.CharField(verbose_name=_("name"), max_length=200)
    role = models.CharField(
        verbose_name=_("role"), max_length=200, blank=True, help_text=_("e.g. “PR Officer”.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_contacts",
    )
    phone = PhoneNumberField(
        verbose_name=_("phone"),
        blank=True,
        help_text=_(
            "Any common form is accepted and stored in international E.164 form, e.g. +77770362658."
        ),
    )
    email = models.EmailField(verbose_name=_("email"), blank=True)
    languages = models.CharField(
        verbose_name=_("languages"),
        max_length=100,
        blank=True,
        help_text=_("Languages the contact answers in, e.g. “English, Russian, Kazakh”."),
    )
    active = models.BooleanField(
        verbose_name=_("active"),
        default=True,
        help_text=_("Only active contacts are shown to visitors."),
    )
    entered_by_editor = models.BooleanField(
        verbose_name=_("entered by editor"),
        default=True,
        help_text=_(
            "Entered or checked by an editor. Contacts the importer learns from a "
            "release are shown only while a public release names them."
        ),
    )
    history = HistoricalRecords()

    objects = MediaContactQuerySet.as_manager()
    USED_BY = ("releases",)

    class Meta:
        verbose_name = _("media contact")
        verbose_name_plural = _("media contacts")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "phone", name="media_contact_unique_name_phone")
        ]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name

    def cache_tags(self) -> set[str]:
        """What a change to it purges (cache tags, core.caching): the pages naming it, the lists
        of contacts (the home page shows them too)."""
        return {f"mediacontact:{self.pk}", "contacts", "releases"}

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone) if self.phone else ""
