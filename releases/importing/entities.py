"""Organisations, places and events named in a release's text (people: `people.py`)."""

import re
from dataclasses import dataclass, field

from .bodies import find_bodies, find_bodies_ru
from .dates import MONTH_ONLY_RE, DateSpan, find_dates, month_span
from .gazetteer import (
    BODY_HEADS,
    CITIES,
    COUNTRIES,
    ORGANISATION_ALIASES,
    ORGANISATIONS,
    TITLE_WORDS,
)

# ---------------------------------------------------------------- shared data


@dataclass
class Place:
    city: str = ""
    country: str = ""

    def as_json(self) -> dict | None:
        return {"city": self.city, "country": self.country} if (self.city or self.country) else None


@dataclass
class OrganisationMention:
    name: str
    acronym: str = ""
    kind: str = "international"
    name_ru: str = ""
    acronym_ru: str = ""

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "acronym": self.acronym,
            "name_ru": self.name_ru,
            "acronym_ru": self.acronym_ru,
        }


@dataclass
class EventMention:
    name: str
    span: DateSpan | None = None
    place: Place = field(default_factory=Place)
    format: str = "in_person"
    kind: str = "other"

    def as_json(self) -> dict:
        dates = (
            self.span.as_json()
            if self.span
            else {"date": None, "date_end": None, "precision": None}
        )
        return {
            "name": self.name,
            **dates,
            "place": self.place.as_json(),
            "format": self.format,
            "kind": self.kind,
        }


# ---------------------------------------------------------------- organisations


def _known_organisation(
    acronym: str, name: str, acronym_ru: str, name_ru: str, kind: str
) -> OrganisationMention:
    return OrganisationMention(
        name=name, acronym=acronym, kind=kind, name_ru=name_ru, acronym_ru=acronym_ru
    )


_KNOWN_BY_FORM: dict[str, tuple] = {}
for _entry in ORGANISATIONS:
    for _form in (_entry[0], _entry[1], _entry[2], _entry[3]):
        if _form:
            _KNOWN_BY_FORM[_form] = _entry
for _alias, _name in ORGANISATION_ALIASES.items():
    _KNOWN_BY_FORM[_alias] = next(e for e in ORGANISATIONS if e[1] == _name)
_KNOWN_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(f) for f in sorted(_KNOWN_BY_FORM, key=len, reverse=True))
    + r")(?![\w-])"
)
_CONNECT = r"(?:of|for|and|on|in|the|de|du|des|to)"
_EXPANDED_RE = re.compile(
    rf"(?P<name>[A-Z][\w'’-]*(?:\s+(?:{_CONNECT}\s+)*[A-Z][\w'’-]*){{1,12}})\s*\((?P<acr>[A-Z][A-Za-z&-]{{1,9}})\)"
)


_ORG_WORD_RE = re.compile(
    r"\b(?:Organi[sz]ations?|Union|Association|Alliance|Community|League|Programme|Program|"
    r"Movement|Conference|Cooperation|Treaty|Partnership|"
    + "|".join(re.escape(h) for h in BODY_HEADS)
    + r")\b"
)


def _acronym_fits(name: str, acronym: str) -> bool:
    initials = "".join(w[0] for w in re.findall(r"[A-Z][\w'’-]*", name)).upper()
    letters = acronym.upper().replace("-", "").replace("&", "")
    it = iter(initials)
    return sum(1 for ch in letters if ch in it) >= max(2, len(letters) - 1)


def find_organisations(text: str) -> list[OrganisationMention]:
    """Organisations named in `text`: known ones by any form, others by "Full Name (ACR)" and ministries."""
    found: dict[str, OrganisationMention] = {}
    for match in _KNOWN_RE.finditer(text):
        entry = _KNOWN_BY_FORM[match.group(0)]
        found.setdefault(entry[1], _known_organisation(*entry))
        # "CICA Secretariat" names CICA too.
        for word in re.findall(r"\b[A-ZА-ЯЁ]{2,}\b", match.group(0)):
            parent = _KNOWN_BY_FORM.get(word)
            if parent is not None and parent is not entry:
                found.setdefault(parent[1], _known_organisation(*parent))
    for match in _EXPANDED_RE.finditer(text):
        name, acronym = match.group("name"), match.group("acr")
        name = re.sub(r"^(?:The|the)\s+", "", name)
        if acronym in _KNOWN_BY_FORM or name in _KNOWN_BY_FORM or not _acronym_fits(name, acronym):
            continue
        if not _ORG_WORD_RE.search(name):
            continue  # "Road Map for CICA Transformation (RMT)": a document, not a body
        found.setdefault(name, OrganisationMention(name=name, acronym=acronym, kind=_kind_of(name)))
    for name, acronym, _ in find_bodies(text):
        _add_body(found, name, acronym)
    for name in find_bodies_ru(text):
        _add_body(found, name, "")
    return list(found.values())


def _add_body(found: dict, name: str, acronym: str) -> None:
    """A body found in running text, unless it is (part of) one already found or known."""
    folded = name.casefold()
    if name in _KNOWN_BY_FORM or (acronym and acronym in _KNOWN_BY_FORM):
        return
    if any(folded in other.casefold() or other.casefold() in folded for other in found):
        return
    found[name] = OrganisationMention(name=name, acronym=acronym, kind=_kind_of(name))


def _kind_of(name: str) -> str:
    if re.search(r"\bMinistry\b|\bMinistries\b|Министерств|Правительств|\bGovernment\b", name):
        return "ministry"
    if re.search(r"\b(Republic|Kingdom|State of|Emirates|Federation)\b", name):
        return "state"
    return "international"


# ---------------------------------------------------------------- events

_EVENT_WORDS = (
    r"Conference|Summit|Forum|Meeting|Rally|Session|Workshop|Seminar|Symposium|Dialogue|Congress|"
    r"Round Table|Roundtable|Assembly|Festival|Exhibition|Colloquium|Consultations|Ministerial|Webinar|"
    r"Games|Retreat|Talks|Expo|Olympiad|Competition|Contest|Training|Course"
)
_EVENT_KINDS = [
    (r"Ministerial|Foreign Ministers|Совещани\w* министров|Министерск", "ministerial"),
    (r"Summit|Саммит", "summit"),
    (r"Forum|Форум", "forum"),
    (r"Conference|Конференц", "conference"),
    (r"Workshop|Seminar|Training|Course|Webinar|Семинар|Тренинг", "workshop"),
    (
        r"Meeting|Session|Consultations|Talks|Dialogue|Round ?[Tt]able|Совещани|Заседани|Встреч|Сесси",
        "meeting",
    ),
]
_WORD = r"(?:[A-Z0-9][\w'’-]*|\([A-Z][\w-]*\))"
_EVENT_RE = re.compile(
    rf"(?P<run>{_WORD}(?:[ ]+(?:(?:of|the|on|for|and|in|to|a|an|with|between|against)[ ]+)*{_WORD})*)"
    rf"(?P<sub>:[ ]+[A-Z][\w'’-]*(?:[ ]+(?:(?:of|the|on|for|and|in|to|a|an|with|between)[ ]+)*[A-Z][\w'’-]*)*)?"
    r"(?:[ ]*[“\"«](?P<quoted>[^”\"»\n]{3,160}?)(?:[”\"»]|(?=,\s)|(?=\.(?:\s|$))))?"
)
_EVENT_RU_RE = re.compile(
    r"(?P<run>(?:[А-ЯЁ][а-яё]+\s+)?(?:Конференци|Саммит|Форум|Совещани|Заседани|Сесси|Семинар|Слет|Слёт|Конгресс|"
    r"Круглый стол|Круглого стола|Министерск)[а-яё]*(?:\s+(?!в\s|на\s|с\s|который|которая|которое|где|под\s)[\w«»\"-]+){0,9}?)"
    r"(?=[,.;:]|\s+(?:в|на|с|который|которая|которое|где|под|состоится|прошла?|пройдет|пройдёт)\s|$)"
)
_ONLINE_RE = re.compile(
    r"\b(online|virtual|video ?conference|videoconference|онлайн|видеоконференц\w*)\b",
    re.IGNORECASE,
)
_FOLLOW_ON_RE = re.compile(
    r"^\s*(?:Set for|Scheduled for|Planned for|To be held|It will|It is|The event|The conference|This conference|"
    r"The forum|The summit|The meeting|The rally|Запланирован|Состоится|Она состоится|Он состоится|Мероприятие)",
    re.IGNORECASE,
)
_PARTICIPATION_RE = re.compile(
    r"\b(took part|participated|attended|addressed|spoke|held|opened|hosted|chaired|organi[sz]ed|took place|"
    r"delivered|приня\w* участие|выступи\w*|принял|провел|провёл|состоял\w*)\b",
    re.IGNORECASE,
)


def _event_kind(name: str) -> str:
    return next((kind for pattern, kind in _EVENT_KINDS if re.search(pattern, name)), "other")


def _event_name(match: re.Match, known_orgs: set[str]) -> str | None:
    run = re.sub(
        r"\s+(?:of|the|on|for|and|in|to|a|an|with|between|against)$", "", match.group("run")
    )
    run = re.sub(r"^(?:The|This|A|An|At|In|On|During)\s+", "", run)
    if not re.search(rf"\b(?:{_EVENT_WORDS})\b", run):
        return None
    if re.match(rf"(?:{TITLE_WORDS})\b", run) or run in known_orgs:
        return None
    if (
        len(run.split()) < 3
        and not match.group("quoted")
        and not re.search(r"\b[A-Z]{2,}\b|\d", run)
    ):
        return None  # "Fifth Summit": too bare to tell which one
    name = run + (match.group("sub") or "")
    if match.group("quoted"):
        name += f" “{match.group('quoted').strip(' ,')}”"
    return name


def _sentence_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The sentence holding text[start:end], split into what comes before and after it."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return text[left:start], text[end:right]


def _next_sentence(text: str, end: int) -> str:
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    if not right_candidates:
        return ""
    start = min(right_candidates) + 1
    stop = text.find(". ", start + 1)
    return text[start : stop if stop != -1 else len(text)]


def _event_when_where(after: str, *, reference) -> tuple[DateSpan | None, Place]:
    span = next((s for _, s in find_dates(after)), None)
    if span is None:
        for month in MONTH_ONLY_RE.finditer(after):
            before = after[: month.start()].rstrip().lower()
            # An English month is capitalised ("in May"; "may" is a verb); Russian ones never are.
            if (month.group("m")[0].isupper() or re.match("[а-я]", month.group("m"))) and re.search(
                r"(?:\bin|\bfor|\bon|\buntil|\bв|\bна)$", before
            ):
                span = month_span(month, reference=reference)
                if span:
                    break
    return span, find_place(after)


def find_places(text: str):
    """Every known city named in `text`, as regex matches (for place_of)."""
    return _CITY_RE.finditer(text)


def find_place(text: str) -> Place:
    """The first known city in `text`, with the country the text gives it."""
    match = _CITY_RE.search(text)
    return place_of(match) if match else Place()


def place_of(match: re.Match) -> Place:
    """The place a match of the city pattern stands for."""
    city = _CITY_BY_FORM.get(match.group("city"), match.group("city"))
    country = match.group("country")
    country = COUNTRIES.get(country, "") if country else ""
    return Place(city=city, country=country)  # the country the text gives, none invented


_COUNTRY_ALT = "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True))


def _city_forms(city: str) -> list[str]:
    """A city's name and, for Russian names, its case forms ("Астана", "Астане", "Астаны")."""
    if not re.search("[А-ЯЁ]", city):
        return [city]
    if city.endswith(("а", "я")):
        return [city, *(city[:-1] + ending for ending in ("е", "ы", "и", "у", "ой", "ю"))]
    if city[-1] in "аеиоуыэюяй":
        return [city]
    return [city, *(city + ending for ending in ("е", "а", "у", "ом"))]


_CITY_BY_FORM = {form: city for city in CITIES for form in _city_forms(city)}
_CITY_RE = re.compile(
    r"(?<![\w-])(?:г\.\s?)?(?P<city>"
    + "|".join(re.escape(c) for c in sorted(_CITY_BY_FORM, key=len, reverse=True))
    + r")"
    rf"(?![\w-])(?:,\s+(?:the\s+)?(?P<country>{_COUNTRY_ALT})(?![\w-]))?"
)


_AT_EVENT_RE = re.compile(r"\b(?:at|in|to|в рамках|на)\s+(?:the\s+)?$", re.IGNORECASE)


def _reports_on(before: str, after: str, *, in_title: bool) -> bool:
    """Whether the release reports on this event itself (rather than announcing or citing it)."""
    if in_title:
        return True
    return bool(_PARTICIPATION_RE.search(before + after)) or bool(
        _AT_EVENT_RE.search(before) and _PARTICIPATION_RE.search(before)
    )


def find_events(
    text: str,
    *,
    activity: DateSpan | None,
    activity_place: Place,
    known_orgs: set[str],
    title_length: int = 0,
) -> list[EventMention]:
    """Named events in `text`, each with the date and place the text gives it.

    An event the release reports taking part in (“took part in the ... Conference”) without a
    date of its own takes the release's date and place; an event announced for later keeps only
    its own date (“set for August 2024”), with the precision the text gives.
    """
    events: dict[str, EventMention] = {}
    for match in [*_EVENT_RE.finditer(text), *_EVENT_RU_RE.finditer(text)]:
        name = (
            _event_name(match, known_orgs) if match.re is _EVENT_RE else match.group("run").strip()
        )
        if not name or len(name) > 250:
            continue
        key = re.sub(r"[^\w]+", " ", name).strip().lower()
        if key in events:
            continue
        before, after = _sentence_around(text, match.start(), match.end())
        following = _next_sentence(text, match.end())
        if _FOLLOW_ON_RE.match(following):
            after = after + " " + following
        span, place = _event_when_where(after, reference=activity.start if activity else None)
        online = bool(_ONLINE_RE.search(before[-40:] + " " + after[:40]))
        in_title = match.start() < title_length
        if span is None and activity is not None and _reports_on(before, after, in_title=in_title):
            span = activity
            place = place if (place.city or online) else activity_place
        events[key] = EventMention(
            name=name,
            span=span,
            place=place,
            format="online" if online else "in_person",
            kind=_event_kind(name),
        )
    return list(events.values())
