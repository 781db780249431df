"""Saving a parsed release and everything it names, in one transaction per file."""

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from contacts.models import Appointment, MediaContact, Organisation, Person
from releases import workflow
from releases.models import Event, Release, ReleasePerson, Status

from .entities import EventMention, OrganisationMention, PersonMention, person_key
from .parser import MediaContactMention, ParsedRelease
from .text import transliterate

SLUG_BASE_MAX = 80


@dataclass
class SaveResult:
    status: str  # created, updated, unchanged
    release: Release | None
    warnings: list[str] = field(default_factory=list)


def make_slug(text: str, *, taken) -> str:
    """A Latin slug for `text` (Cyrillic transliterated) that `taken(slug)` says is free."""
    base = slugify(transliterate(text))
    if len(base) > SLUG_BASE_MAX:
        base = base[: SLUG_BASE_MAX + 1].rsplit("-", 1)[0]
    base = base.strip("-") or "release"
    slug, n = base, 2
    while taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


def fingerprint(release: Release) -> str:
    """A hash of the fields an import writes, to notice an editor's later changes."""
    parts = [
        release.title,
        release.kind,
        release.language,
        release.lead,
        release.body,
        release.city,
        release.country,
        str(release.date),
        str(release.date_end),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _publish_time(parsed: ParsedRelease) -> datetime.datetime:
    """Archive releases go live at their own date (noon, Astana time); others now."""
    now = timezone.now()
    if parsed.date is None:
        return now
    noon = timezone.make_aware(datetime.datetime.combine(parsed.date.start, datetime.time(12)))
    return min(noon, now)


def planned_outcome(*, source_file: str, content_hash: str) -> str:
    """What saving would do, without writing: created, updated or unchanged (for --dry-run)."""
    existing = Release.objects.filter(source_file=source_file).only("content_hash").first()
    if existing is None:
        return "created"
    return "unchanged" if existing.content_hash == content_hash else "updated"


def save_release(
    parsed: ParsedRelease, *, source_file: str, content_hash: str, status: str, force: bool = False
) -> SaveResult:
    """Create or update the release imported from `source_file`, with its people, events and contacts."""
    with transaction.atomic():
        existing = Release.objects.select_for_update().filter(source_file=source_file).first()
        if existing is not None and existing.content_hash == content_hash:
            return SaveResult("unchanged", existing)
        if (
            existing is not None
            and not force
            and existing.import_fingerprint != fingerprint(existing)
        ):
            return SaveResult(
                "unchanged",
                existing,
                [
                    f"kept the editor's version: {source_file} changed, but so did the release in the admin "
                    "since it was imported; run with --force to replace the editor's text"
                ],
            )
        release = existing or Release(source_file=source_file, status=status)
        _fill(release, parsed)
        if existing is None and status == Status.PUBLISHED:
            release.publish_at = _publish_time(parsed)
        release.content_hash = content_hash
        release.import_fingerprint = fingerprint(release)
        release._change_reason = f"imported from {source_file}"
        # Field and clean() rules here; the check constraints are the database's to enforce (a
        # violation rolls the file back), which spares a query per constraint per file.
        release.full_clean(exclude=["slug"] if existing else None, validate_constraints=False)
        release.save()
        if existing is None and status != Status.DRAFT:
            workflow.log(
                None, release, workflow.imported_action(status), "", status, release._change_reason
            )
        _link_entities(release, parsed, status=status)
        return SaveResult("updated" if existing else "created", release, list(parsed.warnings))


def _fill(release: Release, parsed: ParsedRelease) -> None:
    release.title = parsed.title
    release.kind = parsed.kind
    release.language = parsed.language
    release.date = parsed.date.start if parsed.date else None
    release.date_end = parsed.date.end if parsed.date else None
    release.city = parsed.place.city
    release.country = parsed.place.country
    release.lead = parsed.lead
    release.body = parsed.body
    if not release.slug:
        release.slug = make_slug(
            parsed.title, taken=lambda s: Release.objects.filter(slug=s).exists()
        )


def _link_entities(release: Release, parsed: ParsedRelease, *, status: str) -> None:
    organisations = [_organisation(o) for o in parsed.organisations]
    release.organisations.set(organisations)
    release.mentions.all().delete()
    people_index = _PeopleIndex()
    for position, mention in enumerate(parsed.people):
        person = people_index.resolve(mention)
        ReleasePerson.objects.create(
            release=release,
            person=person,
            title_given=mention.title[:300],
            honorific=mention.honorific[:50],
            position=position,
        )
        if mention.title and release.date:
            _record_appointment(person, mention.title, release.date, organisations)
    release.events.set([_event(e, status=status, language=release.language) for e in parsed.events])
    release.media_contacts.set([c for c in (_media_contact(m) for m in parsed.media_contacts) if c])


def is_cyrillic(text: str) -> bool:
    return bool(re.search("[а-яА-ЯёЁ]", text or ""))


# ---------------------------------------------------------------- organisations


def _organisation(mention: OrganisationMention) -> Organisation:
    found = None
    if mention.acronym:
        found = Organisation.objects.filter(acronym__iexact=mention.acronym).first()
    found = found or Organisation.objects.filter(name__iexact=mention.name).first()
    found = found or Organisation.objects.filter(name_ru__iexact=mention.name).first()
    if found:
        if is_cyrillic(mention.name) and not found.name_ru:
            # A Russian release names it: that is its Russian form, for Russian pages.
            found.name_ru = mention.name[:255]
            if is_cyrillic(mention.acronym):
                found.acronym_ru = mention.acronym[:30]
            found.save(update_fields=["name_ru", "acronym_ru"])
        return found
    slug = make_slug(
        mention.acronym or mention.name,
        taken=lambda s: Organisation.objects.filter(slug=s).exists(),
    )
    return Organisation.objects.create(
        name=mention.name[:255], acronym=mention.acronym[:30], slug=slug, kind=mention.kind
    )


# ---------------------------------------------------------------- people


class _PeopleIndex:
    """Everyone already known, by spelling-insensitive key, to match K.Sarybay to Kairat Sarybay."""

    def __init__(self):
        self.by_key: dict[tuple[str, str], list[Person]] = {}
        for person in Person.objects.only("id", "name", "aliases", "honorific", "slug"):
            for spelling in [person.name, *person.aliases]:
                self.by_key.setdefault(person_key(spelling), []).append(person)

    def find(self, name: str) -> Person | None:
        surname, initial = person_key(name)
        for (known_surname, known_initial), people in self.by_key.items():
            if known_surname == surname and (
                not initial or not known_initial or initial == known_initial
            ):
                return people[0]
        return None

    def resolve(self, mention: PersonMention) -> Person:
        person = next(
            (p for p in (self.find(n) for n in [mention.name, *mention.aliases]) if p), None
        )
        if person is None:
            slug = make_slug(mention.name, taken=lambda s: Person.objects.filter(slug=s).exists())
            person = Person.objects.create(
                name=mention.name[:200], slug=slug, honorific=mention.honorific[:50]
            )
            person._change_reason = "created by the importer"
        spellings = {mention.name, *mention.aliases} - {person.name, *person.aliases}
        russian = next((n for n in [mention.name, *mention.aliases] if is_cyrillic(n)), "")
        if (
            spellings
            or (mention.honorific and not person.honorific)
            or (russian and not person.name_ru)
        ):
            person.aliases = [*person.aliases, *sorted(spellings)]
            person.honorific = person.honorific or mention.honorific[:50]
            # The form a Russian release gives the name is the one Russian pages show.
            person.name_ru = person.name_ru or russian[:200]
            person.save(update_fields=["aliases", "honorific", "name_ru"])
        for spelling in [person.name, *person.aliases]:
            self.by_key.setdefault(person_key(spelling), []).append(person)
        return person


def canonical_role(
    title: str, organisations: list[Organisation]
) -> tuple[str, Organisation | None]:
    """One spelling per role: "Secretary General of the Conference on ... (CICA)" -> "Secretary General of CICA"."""
    role = re.sub(r"\s*\([^)]*\)", "", title).strip(" ,")
    found = None
    for org in organisations:
        forms = [
            org.name,
            f"{org.acronym} Secretariat" if org.acronym else None,
            org.acronym or None,
        ]
        for form in filter(None, forms):
            if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", role):
                role = re.sub(
                    rf"(?:the\s+)?{re.escape(form)}", org.acronym or org.name, role, count=1
                )
                found = found or org
                break
    return role[:300], found


def _record_appointment(
    person: Person, title: str, day: datetime.date, organisations: list[Organisation]
) -> None:
    """A dated title is evidence of an appointment: widen the role's known period, or start one."""
    role, organisation = canonical_role(title, organisations)
    appointment = (
        Appointment.objects.filter(person=person, role_title__iexact=role).order_by("start").first()
    )
    if appointment is None:
        Appointment.objects.create(
            person=person, role_title=role, organisation=organisation, start=day
        )
        return
    if appointment.start and day < appointment.start:
        appointment.start = day
        appointment.save(update_fields=["start"])


# ---------------------------------------------------------------- events and contacts


def _event(mention: EventMention, *, status: str, language: str) -> Event:
    """The event a release mentions, in the release's language (a Russian release's event is
    a Russian record: its title is written in Russian)."""
    existing = Event.objects.filter(title__iexact=mention.name[:300]).first()
    if existing:
        if existing.start_date is None and mention.span:
            _set_event_dates(existing, mention)
            existing.save()
        return existing
    event = Event(
        title=mention.name[:300],
        kind=mention.kind,
        format=mention.format,
        city=mention.place.city[:100],
        country=mention.place.country[:100],
        status=status,
        language=language,
        publish_at=timezone.now() if status == Status.PUBLISHED else None,
    )
    _set_event_dates(event, mention)
    year = f" {mention.span.start.year}" if mention.span else ""
    event.slug = make_slug(
        mention.name + year, taken=lambda s: Event.objects.filter(slug=s).exists()
    )
    event._change_reason = "created by the importer"
    event.save()
    return event


def _set_event_dates(event: Event, mention: EventMention) -> None:
    if mention.span is None:
        return
    event.start_date = mention.span.start
    event.end_date = mention.span.end
    event.date_precision = mention.span.precision
    last_day = event.last_day or event.start_date
    event.event_status = (
        Event.EventStatus.HELD if last_day < timezone.localdate() else Event.EventStatus.PLANNED
    )


def _media_contact(mention: MediaContactMention) -> MediaContact | None:
    if not mention.name:
        return None
    candidates = MediaContact.objects.filter(name__iexact=mention.name[:200])
    contact = (
        candidates.filter(phone=mention.phone).first() if mention.phone else candidates.first()
    )
    if contact is None:
        contact = MediaContact(name=mention.name[:200], phone=mention.phone)
    elif (contact.role or not mention.role) and (contact.email or not mention.email):
        return contact  # nothing new to record
    contact.role = contact.role or mention.role[:200]
    contact.email = contact.email or mention.email
    contact.save()
    return contact
