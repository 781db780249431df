"""Saving a parsed release and everything it names, in one transaction per file."""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from contacts.models import Appointment, MediaContact, Organisation, Person
from core import redirects
from core.caching import one_change
from core.models import Redirect
from core.text.slugs import Slugs, fit, unique_slug
from editorial import workflow
from editorial.models import Status
from releases.models import Event, Release, ReleasePerson

from .entities import EventMention, OrganisationMention
from .parser import MediaContactMention, ParsedRelease
from .people import (
    PersonMention,
    canonical_role,
    canonical_role_ru,
    is_cyrillic,
    is_full_latin_name,
    person_key,
    role_key,
)


@dataclass
class SaveResult:
    status: str  # created, updated, unchanged
    release: Release | None
    warnings: list[str] = field(default_factory=list)


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


def publish_time(parsed: ParsedRelease) -> datetime.datetime:
    """Archive releases go live at their own date (noon, Astana time); others now."""
    now = timezone.now()
    if parsed.date is None:
        return now
    noon = timezone.make_aware(datetime.datetime.combine(parsed.date.start, datetime.time(12)))
    return min(noon, now)


@dataclass
class Match:
    """Which release a file is: the one imported from the same path, or the same text."""

    release: Release | None
    outcome: str  # created, updated, unchanged, refused
    warning: str = ""


def match(source_file: str, content_hash: str, *, lock: bool = False) -> Match:
    """A file's release, by its path under the import root, then by its text. Releases imported
    before paths were kept (a bare file name) are this file's only when the text is the same,
    or when they are not published (an update from elsewhere must not reach a live release)."""
    releases = Release.objects.select_for_update() if lock else Release.objects.all()
    existing = releases.filter(source_file=source_file).first()
    if existing is not None:
        return Match(existing, "unchanged" if existing.content_hash == content_hash else "updated")
    same_text = releases.filter(content_hash=content_hash).first()
    if same_text is not None:
        return Match(same_text, "unchanged", _same_text_warning(same_text, source_file))
    name = PurePosixPath(source_file).name
    legacy = releases.filter(source_file=name).first() if name != source_file else None
    if legacy is None:
        return Match(None, "created")
    if legacy.status in (Status.PUBLISHED, Status.WITHDRAWN):
        return Match(
            legacy,
            "refused",
            f"“{legacy}” was imported from a file also called {name} and is "
            f"{legacy.get_status_display().lower()}; this is another text, so it was left "
            "alone: run with --force to replace it",
        )
    return Match(legacy, "updated")


def _same_text_warning(release: Release, source_file: str) -> str:
    if release.source_file == PurePosixPath(source_file).name:
        return ""  # imported before paths were kept: now known by its path
    return f"the same text was imported from {release.source_file} as “{release}”"


def already_imported(source_file: str, content_hash: str) -> str | None:
    """The title of the release this very text was imported as from this path (nothing to parse
    or save), or None."""
    return (
        Release.objects.filter(source_file=source_file, content_hash=content_hash)
        .values_list("title", flat=True)
        .first()
    )


def planned_outcome(*, source_file: str, content_hash: str) -> str:
    """What saving would do, without writing: created, updated, unchanged (for --dry-run)."""
    outcome = match(source_file, content_hash).outcome
    return "unchanged" if outcome == "refused" else outcome


def save_release(
    parsed: ParsedRelease, *, source_file: str, content_hash: str, status: str, force: bool = False
) -> SaveResult:
    """Create or update the release imported from `source_file` (its path under the import
    root), with its people, events and contacts, in one transaction."""
    with one_change(), transaction.atomic():
        if not _claim(source_file):
            return SaveResult(
                "unchanged", None, ["being imported by another run at the same time: left to it"]
            )
        found = match(source_file, content_hash, lock=True)
        existing = found.release
        if found.outcome == "unchanged" or (found.outcome == "refused" and not force):
            if found.outcome == "unchanged":
                _adopt(existing, source_file)
            return SaveResult("unchanged", existing, [w for w in [found.warning] if w])
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
        release = existing or Release(status=status)
        release.source_file = source_file
        fill(release, parsed)
        if existing is None and status == Status.PUBLISHED:
            release.publish_at = publish_time(parsed)
        release.content_hash = content_hash
        release.import_fingerprint = fingerprint(release)
        release._change_reason = f"imported from {source_file}"
        # Field and clean() rules here; the check constraints are the database's to enforce (a
        # violation rolls the file back), which spares a query per constraint per file.
        # The slug is unique by construction (unique_slug) and by the database's constraint.
        release.full_clean(exclude=["slug"], validate_constraints=False)
        # One revision per import, with the links it sets: none for the bare row saved first,
        # none per link set (simple-history makes one per change), one when all is in place.
        release.skip_history_when_saving = True
        release.save()
        if existing is None and status != Status.DRAFT:
            workflow.log(
                None, release, workflow.imported_action(status), "", status, release._change_reason
            )
        _link_entities(release, parsed, status=status, new=existing is None)
        del release.skip_history_when_saving
        release.record_revision()
        remember_old_address(parsed, release)
        return SaveResult("updated" if existing else "created", release, list(parsed.warnings))


def remember_old_address(parsed: ParsedRelease, release: Release) -> None:
    """A text's `Source:` line names its old address: it leads to the release from now on."""
    if parsed.source_url:
        try:
            redirects.remember(
                parsed.source_url, release.get_absolute_url(), Redirect.Source.IMPORTED
            )
        except ValueError as error:
            parsed.warnings.append(f"the Source: address is not kept: {error}")


def _claim(source_file: str) -> bool:
    """Whether this run may import `source_file` now. On PostgreSQL, two runs importing one
    folder at once take each file in turn: the one that holds the file's lock (until its
    transaction ends) imports it, the other leaves it. SQLite takes one writer at a time."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))", [source_file])
        return cursor.fetchone()[0]


def _adopt(release: Release | None, source_file: str) -> None:
    """A release imported before paths were kept takes this file's path as its source."""
    if (
        release is not None
        and release.source_file == PurePosixPath(source_file).name != source_file
    ):
        Release.objects.filter(pk=release.pk).update(source_file=source_file)


def title_of(parsed: ParsedRelease) -> str:
    # A text with no title is saved as a draft-to-fix under a provisional one (the report warns).
    return parsed.title or fit(Release, "title", f"Untitled: {parsed.lead[:80]}…")


def fill(release: Release, parsed: ParsedRelease, *, slugs: Slugs | None = None) -> None:
    """Set the fields a text gives; a new release's slug from `slugs` when several are made
    together."""
    release.title = title_of(parsed)
    release.kind = parsed.kind
    release.language = parsed.language
    release.date = parsed.date.start if parsed.date else None
    release.date_end = parsed.date.end if parsed.date else None
    release.city = parsed.place.city
    release.country = parsed.place.country
    release.lead = parsed.lead
    release.body = parsed.body
    if not release.slug:
        slugs = slugs or Slugs(Release, [release.title], fallback="release")
        release.slug = slugs.free(release.title)


def _link_entities(
    release: Release, parsed: ParsedRelease, *, status: str, new: bool, known: "Known | None" = None
) -> None:
    """Link the release to what the text names; a `new` release has no links to replace."""
    known = known or Known([parsed])

    def link(field: str, items: list) -> None:
        if new:
            getattr(release, field).add(*items)
        else:
            getattr(release, field).set(items)

    organisations = [known.organisation(o) for o in parsed.organisations]
    link("organisations", organisations)
    if not new:
        release.mentions.all().delete()
    for mention in mentions_of(release, parsed, organisations, known):
        mention.save()
    link(
        "events", [known.event(e, status=status, language=release.language) for e in parsed.events]
    )
    link("media_contacts", known.media_contacts(parsed.media_contacts))


def mentions_of(
    release: Release, parsed: ParsedRelease, organisations: list[Organisation], known: "Known"
) -> list[ReleasePerson]:
    """The release's people, unsaved, each with the appointment its dated title is evidence of
    (visitors see a learnt appointment only while a public release supports it)."""
    mentions = []
    for position, mention in enumerate(parsed.people):
        person = known.people.resolve(mention)
        appointment = None
        if mention.title and release.date:
            appointment = _record_appointment(
                person, mention.title, release.date, organisations, release.language, known=known
            )
        mentions.append(
            ReleasePerson(
                release=release,
                person=person,
                title_given=fit(ReleasePerson, "title_given", mention.title),
                honorific=fit(ReleasePerson, "honorific", mention.honorific),
                position=position,
                appointment=appointment,
            )
        )
    return mentions


class Known:
    """What the database already holds that the texts being imported name (organisations,
    people, their appointments, events, media contacts): read once for a file, or once for a
    batch of new files, and kept up to date as the import adds to it. Only good inside the
    transaction that reads it: rolled back, it is thrown away."""

    def __init__(self, texts: list[ParsedRelease]):
        self.organisations = _known_organisations([o for t in texts for o in t.organisations])
        self._people: _PeopleIndex | None = None
        self._appointments: dict[int, list[Appointment]] = {}
        self._events: dict[str, Event] = {}
        self._contacts: dict[tuple[str, str], MediaContact] = {}

    def organisation(self, mention: OrganisationMention) -> Organisation:
        return _organisation(mention, self.organisations)

    @property
    def people(self) -> "_PeopleIndex":
        if self._people is None:
            self._people = _PeopleIndex()
        return self._people

    def appointments(self, person: Person) -> list[Appointment]:
        """The person's appointments, oldest first (the list the import adds to)."""
        if person.pk not in self._appointments:
            self._appointments[person.pk] = list(
                Appointment.objects.filter(person=person).order_by("start", "pk")
            )
        return self._appointments[person.pk]

    def event(self, mention: EventMention, *, status: str, language: str) -> Event:
        key = fit(Event, "title", mention.name).casefold()
        if key not in self._events:
            self._events[key] = _event(mention, status=status, language=language)
        else:
            _date_event(self._events[key], mention)
        return self._events[key]

    def media_contacts(self, mentions: list[MediaContactMention]) -> list[MediaContact]:
        found = []
        for mention in mentions:
            if not mention.name:
                continue
            key = (fit(MediaContact, "name", mention.name).casefold(), mention.phone)
            if key not in self._contacts:
                self._contacts[key] = _media_contact(mention)
            else:
                _complete_contact(self._contacts[key], mention)
            found.append(self._contacts[key])
        return found


# ---------------------------------------------------------------- organisations


def _known_organisations(mentions: list[OrganisationMention]) -> list[Organisation]:
    """The organisations any of `mentions` may name, read in one query (oldest first)."""
    if not mentions:
        return []

    def forms(values) -> set[str]:  # as written, and lowered (SQLite lowers only ASCII)
        return {form for value in values if value for form in (value, value.lower())}

    acronyms = forms(m.acronym for m in mentions)
    names = forms(m.name for m in mentions)
    wanted = Q(lower_name__in=names) | Q(lower_name_ru__in=names) | Q(lower_acronym__in=acronyms)
    return list(
        Organisation.objects.alias(
            lower_name=Lower("name"), lower_name_ru=Lower("name_ru"), lower_acronym=Lower("acronym")
        )
        .filter(wanted)
        .order_by("pk")
    )


def _organisation(mention: OrganisationMention, known: list[Organisation]) -> Organisation:
    """The organisation `mention` names: by acronym, else by English name, else by Russian
    name (each case-insensitive, the oldest first); a new one when none matches."""

    def first(attribute: str, value: str) -> Organisation | None:
        value = value.casefold()
        return next((o for o in known if getattr(o, attribute).casefold() == value), None)

    found = first("acronym", mention.acronym) if mention.acronym else None
    found = found or first("name", mention.name) or first("name_ru", mention.name)
    # The Russian forms: the gazetteer's for a known organisation; for another, the form a
    # Russian release names it by.
    name_ru, acronym_ru = mention.name_ru, mention.acronym_ru
    if not name_ru and is_cyrillic(mention.name):
        name_ru = mention.name
        acronym_ru = mention.acronym if is_cyrillic(mention.acronym) else ""
    if found:
        if (name_ru and not found.name_ru) or (acronym_ru and not found.acronym_ru):
            found.name_ru = found.name_ru or fit(Organisation, "name_ru", name_ru)
            found.acronym_ru = found.acronym_ru or fit(Organisation, "acronym_ru", acronym_ru)
            found.save(update_fields=["name_ru", "acronym_ru"])
        return found
    created = Organisation.objects.create(
        name=fit(Organisation, "name", mention.name),
        acronym=fit(Organisation, "acronym", mention.acronym),
        name_ru=fit(Organisation, "name_ru", name_ru),
        acronym_ru=fit(Organisation, "acronym_ru", acronym_ru),
        slug=unique_slug(Organisation, mention.acronym or mention.name, fallback="organisation"),
        kind=mention.kind,
    )
    known.append(created)  # a second mention of it in this text finds it
    return created


# ---------------------------------------------------------------- people


class _PeopleIndex:
    """Everyone already known, by spelling-insensitive key, to match K.Sarybay to Kairat Sarybay."""

    def __init__(self):
        # surname key -> [(first initial, person), ...] in the order they were learnt
        self.by_surname: dict[str, list[tuple[str, Person]]] = defaultdict(list)
        for person in Person.objects.only("id", "name", "name_ru", "aliases", "honorific", "slug"):
            self._learn(person)

    def _learn(self, person: Person) -> None:
        for spelling in [person.name, *person.aliases]:
            surname, initial = person_key(spelling)
            self.by_surname[surname].append((initial, person))

    def find(self, name: str) -> Person | None:
        surname, initial = person_key(name)
        for known_initial, person in self.by_surname.get(surname, ()):
            if not initial or not known_initial or initial == known_initial:
                return person
        return None

    def resolve(self, mention: PersonMention) -> Person:
        """The known person `mention` names (learning the spellings it adds), or a new one."""
        spellings = [mention.name, *mention.aliases]
        person = next((p for p in map(self.find, spellings) if p), None)
        # Person.honorific is shown on English pages; a Russian text's ("Посол") stays with
        # the mention (ReleasePerson.honorific), where the Russian release shows it.
        honorific = (
            "" if is_cyrillic(mention.honorific) else fit(Person, "honorific", mention.honorific)
        )
        if person is None:
            person = Person.objects.create(
                name=fit(Person, "name", mention.name),
                slug=unique_slug(Person, mention.name, fallback="person"),
                honorific=honorific,
            )
            person._change_reason = "created by the importer"
        if _add_spellings(person, mention, honorific):
            person.save(update_fields=["name", "aliases", "honorific", "name_ru"])
        self._learn(person)
        return person


def _add_spellings(person: Person, mention: PersonMention, honorific: str) -> bool:
    """Record on `person` what `mention` adds: other spellings, the honorific, the Russian
    form; and the English name when the person was first met in a Russian release. Whether
    anything changed."""
    spellings = {mention.name, *mention.aliases} - {person.name, *person.aliases}
    russian = next((n for n in [mention.name, *mention.aliases] if is_cyrillic(n)), "")
    # First met in a Russian release, the name was Cyrillic; an English release's full
    # spelling takes its place (the Russian form stays, for Russian pages and for matching).
    english = mention.name if is_full_latin_name(mention.name) else ""
    promote = is_cyrillic(person.name) and english
    if not (
        spellings
        or promote
        or (honorific and not person.honorific)
        or (russian and not person.name_ru)
    ):
        return False
    if promote:
        spellings = (spellings | {person.name}) - {english}
        person.name_ru = person.name_ru or person.name
        person.name = fit(Person, "name", english)
    person.aliases = [*person.aliases, *sorted(spellings - set(person.aliases))]
    person.honorific = person.honorific or honorific
    # The form a Russian release gives the name is the one Russian pages show.
    person.name_ru = person.name_ru or fit(Person, "name_ru", russian)
    return True


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
    *,
    known: Known | None = None,
) -> Appointment:
    """A dated title is evidence of an appointment: widen the role's known period, or start one.
    A role first seen in the other language is the same appointment: its title in this
    language is added to it, not a second appointment made."""
    if language == "ru":
        role, organisation = canonical_role_ru(title, organisations)
    else:
        role, organisation = canonical_role(title, organisations)
    role = fit(Appointment, "role_title", role)
    appointments = (known or Known([])).appointments(person)
    appointment = next(
        (a for a in appointments if a.title_known_in(language).lower() == role.lower()), None
    ) or _counterpart(appointments, role, language, organisation, day)
    field = "role_title_ru" if language == "ru" else "role_title"
    if appointment is None:
        appointment = Appointment.objects.create(
            person=person,
            organisation=organisation,
            start=day,
            entered_by_editor=False,
            **{field: role},
        )
        appointments.append(appointment)
        return appointment
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
    return appointment


# ---------------------------------------------------------------- events and contacts


def _event(mention: EventMention, *, status: str, language: str) -> Event:
    """The event a release mentions, in the release's language (a Russian release's event is
    a Russian record: its title is written in Russian)."""
    title = fit(Event, "title", mention.name)
    existing = Event.objects.filter(title__iexact=title).first()
    if existing:
        _date_event(existing, mention)
        return existing
    event = Event(
        title=title,
        kind=mention.kind,
        format=mention.format,
        city=fit(Event, "city", mention.place.city),
        country=fit(Event, "country", mention.place.country),
        status=status,
        language=language,
        publish_at=timezone.now() if status == Status.PUBLISHED else None,
    )
    _set_event_dates(event, mention)
    year = f" {mention.span.start.year}" if mention.span else ""
    event.slug = unique_slug(Event, mention.name + year, fallback="event")
    event._change_reason = "created by the importer"
    event.save()
    return event


def _date_event(event: Event, mention: EventMention) -> None:
    """An event known without dates takes those a text gives it."""
    if event.start_date is None and mention.span:
        _set_event_dates(event, mention)
        event.save()


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


def _media_contact(mention: MediaContactMention) -> MediaContact:
    name = fit(MediaContact, "name", mention.name)
    candidates = MediaContact.objects.filter(name__iexact=name)
    contact = (
        candidates.filter(phone=mention.phone).first() if mention.phone else candidates.first()
    )
    if contact is None:
        # Learnt from a release: visitors see it while a public release names it.
        contact = MediaContact(name=name, phone=mention.phone, entered_by_editor=False)
    _complete_contact(contact, mention)
    return contact


def _complete_contact(contact: MediaContact, mention: MediaContactMention) -> None:
    """Record the role and address a text adds to a contact (a new one: save it)."""
    if contact.pk and (contact.role or not mention.role) and (contact.email or not mention.email):
        return  # nothing new to record
    contact.role = contact.role or fit(MediaContact, "role", mention.role)
    contact.email = contact.email or mention.email
    contact.save()
