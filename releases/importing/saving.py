"""Saving a parsed release and everything it names, in one transaction per file."""

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from contacts.models import Appointment, MediaContact, Organisation, Person
from editorial import workflow
from editorial.models import Status
from releases.models import Event, Release, ReleasePerson

from .entities import EventMention, OrganisationMention, PersonMention, person_key
from .gazetteer import ROLE_EQUIVALENTS_RU
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
            _record_appointment(
                person, mention.title, release.date, organisations, release.language
            )
    release.events.set([_event(e, status=status, language=release.language) for e in parsed.events])
    release.media_contacts.set([c for c in (_media_contact(m) for m in parsed.media_contacts) if c])


def is_cyrillic(text: str) -> bool:
    return bool(re.search("[а-яА-ЯёЁ]", text or ""))


def _is_full_latin_name(name: str) -> bool:
    """ "Kairat Sarybay", not "K. Sarybay", "Sarybay" or "Кайрат Сарыбай"."""
    parts = name.split()
    return (
        len(parts) >= 2
        and not is_cyrillic(name)
        and not any(len(p.rstrip(".")) <= 1 or p.endswith(".") for p in parts)
    )


# ---------------------------------------------------------------- organisations


def _organisation(mention: OrganisationMention) -> Organisation:
    found = None
    if mention.acronym:
        found = Organisation.objects.filter(acronym__iexact=mention.acronym).first()
    found = found or Organisation.objects.filter(name__iexact=mention.name).first()
    found = found or Organisation.objects.filter(name_ru__iexact=mention.name).first()
    # The Russian forms: the gazetteer's for a known organisation; for another, the form a
    # Russian release names it by.
    name_ru, acronym_ru = mention.name_ru, mention.acronym_ru
    if not name_ru and is_cyrillic(mention.name):
        name_ru = mention.name
        acronym_ru = mention.acronym if is_cyrillic(mention.acronym) else ""
    if found:
        if (name_ru and not found.name_ru) or (acronym_ru and not found.acronym_ru):
            found.name_ru = found.name_ru or name_ru[:255]
            found.acronym_ru = found.acronym_ru or acronym_ru[:30]
            found.save(update_fields=["name_ru", "acronym_ru"])
        return found
    slug = make_slug(
        mention.acronym or mention.name,
        taken=lambda s: Organisation.objects.filter(slug=s).exists(),
    )
    return Organisation.objects.create(
        name=mention.name[:255],
        acronym=mention.acronym[:30],
        name_ru=name_ru[:255],
        acronym_ru=acronym_ru[:30],
        slug=slug,
        kind=mention.kind,
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
        # Person.honorific is shown on English pages; a Russian text's ("Посол") stays with
        # the mention (ReleasePerson.honorific), where the Russian release shows it.
        honorific = "" if is_cyrillic(mention.honorific) else mention.honorific[:50]
        if person is None:
            slug = make_slug(mention.name, taken=lambda s: Person.objects.filter(slug=s).exists())
            person = Person.objects.create(name=mention.name[:200], slug=slug, honorific=honorific)
            person._change_reason = "created by the importer"
        spellings = {mention.name, *mention.aliases} - {person.name, *person.aliases}
        russian = next((n for n in [mention.name, *mention.aliases] if is_cyrillic(n)), "")
        # First met in a Russian release, the name was Cyrillic; an English release's full
        # spelling takes its place (the Russian form stays, for Russian pages and for matching).
        english = mention.name if _is_full_latin_name(mention.name) else ""
        promote = is_cyrillic(person.name) and english
        if (
            spellings
            or promote
            or (honorific and not person.honorific)
            or (russian and not person.name_ru)
        ):
            if promote:
                spellings = (spellings | {person.name}) - {english}
                person.name_ru = person.name_ru or person.name
                person.name = english[:200]
            person.aliases = [*person.aliases, *sorted(spellings - set(person.aliases))]
            person.honorific = person.honorific or honorific
            # The form a Russian release gives the name is the one Russian pages show.
            person.name_ru = person.name_ru or russian[:200]
            person.save(update_fields=["name", "aliases", "honorific", "name_ru"])
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


def canonical_role_ru(
    title: str, organisations: list[Organisation]
) -> tuple[str, Organisation | None]:
    """A Russian title as written (declension makes rewriting it unsafe), without asides in
    brackets, and the organisation it names, if a known one."""
    role = re.sub(r"\s*\([^)]*\)", "", title).strip(" ,")
    for org in organisations:
        for form in filter(None, [org.name_ru, org.acronym_ru]):
            if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", role, re.IGNORECASE):
                return role[:300], org
    return role[:300], None


def _starts_with_words(text: str, head: str) -> bool:
    return bool(re.match(rf"{re.escape(head)}(?!\w)", text, re.IGNORECASE))


def role_key(title: str, language: str) -> str | None:
    """Which role a title names, the same for its English and its Russian form: "Secretary
    General of CICA" and "Генеральный секретарь СВМДА" both give "Генеральный секретарь"
    (None when the title opens with no known role)."""
    title = title.strip()
    if language == "ru":
        heads = [(ru, ru) for ru in ROLE_EQUIVALENTS_RU]
    else:
        heads = [(en, ru) for ru, forms in ROLE_EQUIVALENTS_RU.items() for en in forms]
    matching = [(len(head), key) for head, key in heads if _starts_with_words(title, head)]
    return max(matching)[1] if matching else None


def _counterpart(
    appointments: list[Appointment],
    role: str,
    language: str,
    organisation: Organisation | None,
    day: datetime.date,
) -> Appointment | None:
    """The person's appointment known so far only in the other language that holds the same
    role: same role key, no conflicting organisation; the one held on `day` first."""
    key = role_key(role, language)
    if key is None:
        return None
    other = "en" if language == "ru" else "ru"
    candidates = [
        a
        for a in appointments
        if not a.title_known_in(language)
        and role_key(a.title_known_in(other), other) == key
        and not (organisation and a.organisation_id and a.organisation_id != organisation.pk)
    ]
    return max(
        candidates,
        key=lambda a: (a.is_valid_on(day), a.start or datetime.date.min),
        default=None,
    )


def _record_appointment(
    person: Person,
    title: str,
    day: datetime.date,
    organisations: list[Organisation],
    language: str,
) -> None:
    """A dated title is evidence of an appointment: widen the role's known period, or start one.
    A role first seen in the other language is the same appointment: its title in this
    language is added to it, not a second appointment made."""
    if language == "ru":
        role, organisation = canonical_role_ru(title, organisations)
    else:
        role, organisation = canonical_role(title, organisations)
    appointments = list(Appointment.objects.filter(person=person).order_by("start", "pk"))
    appointment = next(
        (a for a in appointments if a.title_known_in(language).lower() == role.lower()), None
    ) or _counterpart(appointments, role, language, organisation, day)
    field = "role_title_ru" if language == "ru" else "role_title"
    if appointment is None:
        Appointment.objects.create(
            person=person, organisation=organisation, start=day, **{field: role}
        )
        return
    changed = []
    if not appointment.title_known_in(language):
        setattr(appointment, field, role)
        changed.append(field)
    if organisation and not appointment.organisation_id:
        appointment.organisation = organisation
        changed.append("organisation")
    if appointment.start and day < appointment.start:
        appointment.start = day
        changed.append("start")
    if changed:
        appointment.save(update_fields=changed)


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
