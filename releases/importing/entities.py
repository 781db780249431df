"""People, organisations and events named in a release's text."""

import re
from dataclasses import dataclass, field

from .dates import MONTH_NAMES_EN, MONTH_ONLY_RE, DateSpan, find_dates, month_span
from .gazetteer import (
    CITIES,
    COUNTRIES,
    HONORIFICS,
    ORGANISATION_ALIASES,
    ORGANISATIONS,
    TITLE_WORDS,
    TITLE_WORDS_RU,
)
from .text import transliterate

# ---------------------------------------------------------------- shared data


@dataclass
class Place:
    city: str = ""
    country: str = ""

    def as_json(self) -> dict | None:
        return {"city": self.city, "country": self.country} if (self.city or self.country) else None


@dataclass
class PersonMention:
    name: str
    title: str = ""
    honorific: str = ""
    aliases: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "honorific": self.honorific,
            "aliases": self.aliases,
        }


@dataclass
class OrganisationMention:
    name: str
    acronym: str = ""
    kind: str = "international"
    name_ru: str = ""
    acronym_ru: str = ""

    def as_json(self) -> dict:
        return {"name": self.name, "acronym": self.acronym}


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


# ---------------------------------------------------------------- people

_CYR = "А-ЯЁ"
_UP = f"A-Z{_CYR}ÀÁÂÄÇÉÈÊÖÜİŞĞ"
_LOW = "a-zа-яёàáâäçéèêöüışğ"
NAME_TOKEN = rf"[{_UP}][{_LOW}'’]+(?:-[{_UP}]?[{_LOW}'’]+)*"
INITIAL = rf"[{_UP}]\.\s?"
NAME = rf"(?:{INITIAL}){{0,2}}{NAME_TOKEN}(?:\s+(?:{INITIAL})?{NAME_TOKEN}){{0,3}}"
_HONORIFIC_RE = "|".join(re.escape(h) for h in sorted(HONORIFICS, key=len, reverse=True))
_TITLE_START = f"{TITLE_WORDS}|{TITLE_WORDS_RU}"

HONORIFIC_NAME_RE = re.compile(rf"(?<![\w.])(?P<hon>{_HONORIFIC_RE})[ ]+(?P<name>{NAME})")
_TITLE_RUN = (
    rf"(?:{_TITLE_START})(?:[ ]+(?:of|for|to|on|at|in|and|the|de|по|при|[{_UP}(][\w()’'&-]*))*"
)
# The title just before an honorific: "the Executive Director of the CICA Secretariat | Ambassador ..."
TITLE_BEFORE_RE = re.compile(rf"(?<![\w])(?P<title>{_TITLE_RUN})[ ]*$")
# A title then a name, no honorific: "Minister of Foreign Affairs of Kazakhstan Murat Nurtleu said"
TITLE_NAME_RE = re.compile(
    rf"(?<![\w])(?P<title>{_TITLE_RUN})[ ]+(?P<name>{NAME_TOKEN}(?:[ ]+{NAME_TOKEN}){{1,2}})(?=[ ]+[{_LOW}]|[,.;:]|$)",
    re.MULTILINE,
)
# "Ambassador Kairat Sarybay, Secretary General of the Conference ... (CICA), conducted"
APPOSITIVE_RE = re.compile(
    rf"^[ ]*,[ ]*(?:the[ ]+)?(?P<title>(?:{_TITLE_START})\b[^,.;:\n]*(?:\([^)]*\))?)"
)

# Capitalised words that are never part of a person's name.
NOT_NAME_WORDS = {
    "Extraordinary",
    "Plenipotentiary",
    "Secretary",
    "General",
    "Director",
    "Executive",
    "Deputy",
    "Minister",
    "Conference",
    "Republic",
    "Ministry",
    "Foreign",
    "Affairs",
    "Asia",
    "Asian",
    "Secretariat",
    "Council",
    "Organization",
    "Organisation",
    "United",
    "Nations",
    "State",
    "States",
    "Kingdom",
    "Federation",
    "Union",
    "The",
    "This",
    "He",
    "She",
    "They",
    "It",
    "His",
    "Her",
    "In",
    "On",
    "At",
    "During",
    "And",
    "Also",
    "Special",
    "Representative",
    "Permanent",
    "Ambassador",
    "President",
    "Chairman",
    "Head",
    "Mission",
    "Embassy",
    "Office",
    "Group",
    "Forum",
    "Summit",
    "Meeting",
    "Interaction",
    "Confidence",
    "Building",
    "Measures",
    "Center",
    "Centre",
    "Institute",
    "University",
    "Committee",
    "Commission",
    "Agency",
    "Bank",
    "Fund",
    "Programme",
    "Program",
    "Member",
    "Chair",
    "Chairmanship",
    "Kazakh",
    "Side",
    "Parties",
    "Генеральный",
    "Секретарь",
    "Министр",
    "Посол",
    "Председатель",
    "Президент",
    "Республики",
    "Республика",
    "Секретариата",
    "Секретариат",
    "Совещания",
    "Совещание",
    "Министерства",
    "Министерство",
    "Он",
    "Она",
}
NOT_NAME_WORDS |= set(CITIES) | {w for c in COUNTRIES for w in c.split()}
MONTH_WORDS = set(MONTH_NAMES_EN)
NOT_NAME_WORDS |= MONTH_WORDS
# Capitalised nouns of topic names ("Webinar on Food Security") are not people either.
NOT_NAME_WORDS |= {
    "Security",
    "Food",
    "Energy",
    "Cooperation",
    "Development",
    "Rights",
    "Human",
    "Peace",
    "Economic",
    "Environmental",
    "Issues",
    "Relations",
    "Policy",
    "Studies",
    "Movement",
    "Youth",
    "Leaders",
    "Countries",
    "Dimension",
    "Digital",
    "Climate",
    "Water",
    "Health",
    "Transport",
    "Trade",
    "Investment",
    "Technology",
    "Culture",
    "Tourism",
    "Education",
    "Science",
    "Partners",
    "Partnership",
    "Future",
    "World",
    "Global",
    "Regional",
    "National",
    "International",
    "Day",
    "Week",
    "Year",
    "Webinar",
    "Seminar",
    "Workshop",
    "Senior",
    "Officials",
    "Committee",
    "Fifth",
    "Sixth",
    "Seventh",
    "First",
    "Second",
    "Third",
    "Fourth",
}


def _fold(word: str) -> str:
    """A spelling-insensitive form of a name word: Sarybay, Sarybai and Сарыбай fold alike."""
    cyrillic = bool(re.search("[а-яё]", word.lower()))
    word = transliterate(word)
    word = re.sub(r"[^a-z]", "", word)
    if cyrillic and len(word) > 4:
        word = re.sub(r"(?:ym|om|em|oi|ei|u|a|e|ya|yu)$", "", word)  # Russian case endings
    word = word.replace("kh", "h").replace("y", "i").replace("j", "i").replace("w", "v")
    word = re.sub(r"(.)\1+", r"\1", word)
    return word


def person_key(name: str) -> tuple[str, str]:
    """(folded surname, first initial): how two spellings of one person are recognised."""
    parts = [p for p in re.split(r"[\s.]+", name) if p]
    if not parts:
        return ("", "")
    surname = _fold(parts[-1])
    first = _fold(parts[0])[:1] if len(parts) > 1 else ""
    return (surname, first)


def _clean_name(raw: str) -> str:
    """Drop trailing words that cannot be part of a name; normalise "K.Sarybay" to "K. Sarybay"."""
    tokens = re.findall(rf"{INITIAL}|{NAME_TOKEN}", raw)
    kept: list[str] = []
    for token in tokens:
        if token.strip() in NOT_NAME_WORDS:
            break
        kept.append(token.strip())
    while kept and kept[-1].endswith("."):
        kept.pop()
    return re.sub(r"\.(?=\S)", ". ", " ".join(kept)).replace(" .", ".")


def _is_full_name(name: str) -> bool:
    words = [w for w in name.split() if not w.endswith(".")]
    return len(words) >= 2


def _clean_title(title: str) -> str:
    title = re.sub(r"^(?:the|The)\s+", "", title.strip(" ,;"))
    return title.strip()


def _person_candidates(text: str):
    """Yield (name, title, honorific) for each person-like phrase in `text`."""
    for match in HONORIFIC_NAME_RE.finditer(text):
        name = _clean_name(match.group("name"))
        if not name:
            continue
        appositive = APPOSITIVE_RE.match(text[match.end("name") :])
        before = TITLE_BEFORE_RE.search(text[max(0, match.start() - 200) : match.start()])
        title = (
            appositive.group("title") if appositive else (before.group("title") if before else "")
        )
        yield name, _clean_title(title), match.group("hon").strip()
    for match in TITLE_NAME_RE.finditer(text):
        name = match.group("name")
        title = _clean_title(match.group("title"))
        if title in HONORIFICS or any(w in NOT_NAME_WORDS for w in name.split()):
            continue
        yield name, title, ""


def find_people(text: str) -> list[PersonMention]:
    """People named in `text`, one entry per person whatever the spelling, in order of first mention."""
    people: list[PersonMention] = []
    for name, title, honorific in _person_candidates(text):
        key = person_key(name)
        match = next((p for p in people if _same_person(person_key(p.name), key)), None)
        if match is None:
            people.append(PersonMention(name=name, title=title, honorific=honorific))
            continue
        _merge_person(match, name, title, honorific)
    # A surname alone ("Ambassador Sarybay") is kept only as another spelling of a full name.
    return [p for p in people if _is_full_name(p.name) or len(p.name.split()) > 1]


def _same_person(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return a[0] == b[0] and (not a[1] or not b[1] or a[1] == b[1])


def _merge_person(person: PersonMention, name: str, title: str, honorific: str) -> None:
    if name != person.name:
        if _is_full_name(name) and not _is_full_name(person.name):
            person.aliases.append(person.name)
            person.name = name
        elif name not in person.aliases:
            person.aliases.append(name)
    person.title = person.title or title
    person.honorific = person.honorific or honorific


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
for _alias, _acronym in ORGANISATION_ALIASES.items():
    _KNOWN_BY_FORM[_alias] = next(e for e in ORGANISATIONS if _acronym in (e[0], e[2]))
_KNOWN_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(f) for f in sorted(_KNOWN_BY_FORM, key=len, reverse=True))
    + r")(?![\w-])"
)
_CONNECT = r"(?:of|for|and|on|in|the|de|du|des|to)"
_EXPANDED_RE = re.compile(
    rf"(?P<name>[A-Z][\w'’-]*(?:\s+(?:{_CONNECT}\s+)*[A-Z][\w'’-]*){{1,12}})\s*\((?P<acr>[A-Z][A-Za-z&-]{{1,9}})\)"
)
_MINISTRY_RE = re.compile(
    r"(?P<name>(?:Ministry|Ministry of Foreign Affairs|Министерство иностранных дел|МИД)"
    r"(?:\s+of\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)?\s+of\s+(?:the\s+)?(?P<state>(?:Republic of |Kingdom of |State of |Islamic Republic of |People's Republic of |Russian )?[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?))"
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
    for match in _EXPANDED_RE.finditer(text):
        name, acronym = match.group("name"), match.group("acr")
        name = re.sub(r"^(?:The|the)\s+", "", name)
        if acronym in _KNOWN_BY_FORM or name in _KNOWN_BY_FORM or not _acronym_fits(name, acronym):
            continue
        found.setdefault(name, OrganisationMention(name=name, acronym=acronym, kind=_kind_of(name)))
    for match in _MINISTRY_RE.finditer(text):
        state = match.group("state")
        if state in COUNTRIES or state.removeprefix("the ") in COUNTRIES:
            found.setdefault(
                match.group("name"), OrganisationMention(name=match.group("name"), kind="ministry")
            )
    return list(found.values())


def _kind_of(name: str) -> str:
    if re.search(r"\bMinistry\b|\bMinistries\b", name):
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


def find_place(text: str) -> Place:
    """The first known city in `text`, with the country the text or the gazetteer gives it."""
    match = _CITY_RE.search(text)
    if not match:
        return Place()
    city = _CITY_BY_FORM.get(match.group("city"), match.group("city"))
    country = match.group("country")
    country = COUNTRIES.get(country, "") if country else ""
    return Place(city=city, country=country or CITIES[city])


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
