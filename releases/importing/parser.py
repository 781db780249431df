"""Plain text of a CICA release to a ParsedRelease: pure, no database, no printing."""

import re
from dataclasses import dataclass, field

from contacts.phones import normalise_phone

from .dates import DATE_SOURCE, DateSpan, find_dates, parse_date
from .entities import (
    CITIES,
    COUNTRIES,
    EventMention,
    OrganisationMention,
    PersonMention,
    Place,
    find_events,
    find_organisations,
    find_people,
    find_place,
)
from .gazetteer import SECTION_HEADERS
from .text import BadFile, normalise, tidy_quotes

TITLE_MAX = 300
DERIVED_TITLE_MAX = 160


@dataclass
class MediaContactMention:
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""

    def as_json(self) -> dict:
        return {"name": self.name, "role": self.role, "phone": self.phone, "email": self.email}


@dataclass
class ParsedRelease:
    title: str
    kind: str = "press_release"
    language: str = "en"
    date: DateSpan | None = None
    place: Place = field(default_factory=Place)
    lead: str = ""
    body: str = ""
    people: list[PersonMention] = field(default_factory=list)
    organisations: list[OrganisationMention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    media_contacts: list[MediaContactMention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "language": self.language,
            "title": self.title,
            "date": self.date.start.isoformat() if self.date else None,
            "date_end": self.date.end.isoformat() if self.date and self.date.end else None,
            "place": {"city": self.place.city, "country": self.place.country},
            "people": [p.as_json() for p in self.people],
            "organisations": [o.as_json() for o in self.organisations],
            "events": [e.as_json() for e in self.events],
            "media_contacts": [c.as_json() for c in self.media_contacts],
        }


# ---------------------------------------------------------------- page furniture

_HEADER_RES = [(re.compile(rf"^(?:{p})$", re.IGNORECASE), kind) for p, kind in SECTION_HEADERS]
_CHROME_RE = re.compile(
    r"\s*\|?\s*(?:Back|Print|Share|Назад|Печать|Версия для печати)(?:\s*\|\s*(?:Back|Print|Share|Назад|Печать))*\s*$",
    re.IGNORECASE,
)
_POSTED_RE = re.compile(r"^(?:Posted on|Published|Date|Опубликовано|Дата)\s*:?\s*", re.IGNORECASE)


def _strip_headers(paragraphs: list[str]) -> tuple[list[str], str]:
    """Drop section headers and breadcrumbs at the top; return what is left and the kind they name."""
    kind = ""
    while paragraphs:
        line = paragraphs[0].strip(" :")
        hit = next((k for regex, k in _HEADER_RES if regex.match(line)), None)
        if hit is None:
            break
        kind = kind or hit
        paragraphs = paragraphs[1:]
    return paragraphs, kind


# ---------------------------------------------------------------- media contacts

_CONTACT_MARKER_RE = re.compile(
    r"(?:^|(?<=\s))(?:Media contacts?|Press contacts?|Contact for media|Media enquiries|Media inquiries|"
    r"Контакты для СМИ|Контакт для СМИ|Контактное лицо|Для СМИ|Для справок)\s*:",
    re.IGNORECASE,
)
_PHONE_LABEL = r"(?:Phone number|Phone|Tel\.?|Telephone|Mobile|Mob\.?|Тел\.?|Телефон|Моб\.?)"
_EMAIL_LABEL = r"(?:E-?mail|Эл\.\s?почта|Электронная почта)"
_FIELD_RE = re.compile(rf"(?P<label>{_PHONE_LABEL}|{_EMAIL_LABEL})\s*:?\s*", re.IGNORECASE)
_ROLE_START_RE = re.compile(
    r"\b(?:PR|Public|Press|Media|Communications?|Information|Head|Chief|Senior|Junior|Assistant|Deputy|"
    r"Spokes\w*|Officer|Specialist|Attach[eé]|Counsell?or|Secretary|Manager|Coordinator|Adviser|Advisor|"
    r"Пресс|Главный|Ведущий|Специалист|Руководитель|Советник|Эксперт|Атташе)\b"
)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _split_contact_block(paragraphs: list[str]) -> tuple[list[str], str]:
    """Cut the media-contact block off the end: (paragraphs before it, the block's text)."""
    for index in range(len(paragraphs) - 1, -1, -1):
        marker = _CONTACT_MARKER_RE.search(paragraphs[index])
        if marker:
            before = paragraphs[index][: marker.start()].strip()
            block = "\n".join([paragraphs[index][marker.end() :].strip(), *paragraphs[index + 1 :]])
            return [*paragraphs[:index], *([before] if before else [])], block.strip()
    return paragraphs, ""


def _contact_chunks(block: str) -> list[list[str]]:
    """One list of lines per contact: a new contact starts after a phone or e-mail line."""
    lines = []
    for line in block.split("\n"):
        # Run-on layout: "Akbota Batyrkhan PR Officer Phone: +7 ..." gets its own lines.
        lines.extend(
            p.strip()
            for p in re.split(
                rf"(?=\b(?:{_PHONE_LABEL}|{_EMAIL_LABEL})\s*:)", line, flags=re.IGNORECASE
            )
            if p.strip()
        )
    chunks: list[list[str]] = [[]]
    for line in lines:
        is_field = bool(_FIELD_RE.match(line))
        if not is_field and chunks[-1] and _FIELD_RE.match(chunks[-1][-1]):
            chunks.append([])
        chunks[-1].append(line)
    return [c for c in chunks if c]


def _read_contact(lines: list[str], warnings: list[str]) -> MediaContactMention | None:
    contact = MediaContactMention(name="")
    words: list[str] = []
    for line in lines:
        labelled = _FIELD_RE.match(line)
        if not labelled:
            words.append(line)
            continue
        value = line[labelled.end() :].strip()
        if re.match(_EMAIL_LABEL, labelled.group("label"), re.IGNORECASE):
            email = _EMAIL_RE.search(value)
            contact.email = email.group(0) if email else ""
        else:
            try:
                contact.phone = normalise_phone(re.split(r"[,;/]| or | и ", value)[0])
            except ValueError:
                warnings.append(f"media contact phone {value!r} is not a phone number; left out")
    if len(words) == 1:  # "Akbota Batyrkhan PR Officer" on one line
        role = _ROLE_START_RE.search(words[0])
        words = (
            [words[0][: role.start()].strip(), words[0][role.start() :].strip()]
            if role and role.start()
            else words
        )
    if not words:
        return None
    contact.name = words[0].strip(" ,")
    contact.role = " ".join(words[1:]).strip(" ,")
    return contact if re.search(r"\w", contact.name) else None


def parse_contacts(block: str, warnings: list[str]) -> list[MediaContactMention]:
    contacts = [_read_contact(chunk, warnings) for chunk in _contact_chunks(block)]
    return [c for c in contacts if c is not None]


# ---------------------------------------------------------------- datelines

_D = DATE_SOURCE
_DASH = r"\s*[-–—‒]+\s*"
_PLACE = r"[^\W\d_][\w .'’()-]{0,60}?"
# "Astana, 22 January 2024 –" / "Geneva, 25–27 November 2024 –"
PLACE_DATE_RE = re.compile(
    rf"^(?P<place>{_PLACE}(?:,\s*{_PLACE})?),\s*(?P<date>{_D})(?:\s*\|.*)?(?:{_DASH}|$)",
    re.IGNORECASE,
)
# "19-23 February 2024 - New Delhi —" / "27 June 2024 – Astana, Kazakhstan -" / "12 марта 2024 г. - Астана -"
DATE_PLACE_RE = re.compile(
    rf"^(?P<date>{_D}){_DASH}(?P<place>{_PLACE}(?:,\s*{_PLACE})?)(?:{_DASH}|:\s+|$)", re.IGNORECASE
)
# "On October 12, 2020," / "On 28-29 August 2023,"
ON_DATE_RE = re.compile(rf"^(?:On|В)\s+(?P<date>{_D}),?\s+", re.IGNORECASE)
# "12 March 2024 – The Secretary General ..." / "3 июля 2019 года ..." / "4 февраля 2022 года в г.Нур-Султан"
DATE_FIRST_RE = re.compile(
    rf"^(?P<date>{_D})(?:\s*(?:,|{_DASH}))?(?:\s+в\s+(?:г\.\s?)?(?P<place>[А-ЯЁ][\w-]+))?\s*",
    re.IGNORECASE,
)
DATE_ALONE_RE = re.compile(rf"^(?:(?P<place>{_PLACE}),\s*)?(?P<date>{_D})\.?$", re.IGNORECASE)
# Title ending in place and date: "... Ministerial Council New York, 21 September 2023"
_CITY_ALT = "|".join(re.escape(c) for c in sorted(CITIES, key=len, reverse=True))
TITLE_TAIL_RE = re.compile(
    rf"^(?P<title>.+?)[\s,–—-]+(?:in\s+|в\s+)?(?P<place>{_CITY_ALT})(?:,\s*(?P<country>[^,\d]+?))?,?\s+(?P<date>{_D})\.?$"
)
TITLE_DATE_TAIL_RE = re.compile(rf"^(?P<title>.+?)[\s,–—-]+(?P<date>{_D})\.?$")
_FUTURE_RE = re.compile(
    r"\b(will|would|shall|scheduled|set for|planned|upcoming|next|until|by|before|after|состоится|пройдет|пройдёт|запланирован\w*|до)\W+(?:\w+\W+){0,4}$",
    re.IGNORECASE,
)


def _place_from(text: str | None) -> Place:
    if not text:
        return Place()
    parts = [p.strip(" .") for p in text.split(",") if p.strip(" .")]
    if not parts or len(parts[0].split()) > 4:
        return Place()
    city = re.sub(r"^г\.\s?", "", parts[0])
    country = parts[1] if len(parts) > 1 else ""
    country = COUNTRIES.get(country, country) or CITIES.get(city, "")
    return Place(city=city, country=country)


@dataclass
class Dateline:
    span: DateSpan
    place: Place
    consumed: int = 0  # characters of the paragraph the dateline takes up (removed from the lead)


def dateline_at_start(paragraph: str) -> Dateline | None:
    """A dateline opening a paragraph, in any of the layouts the press office uses."""
    for regex, strips in (
        (PLACE_DATE_RE, True),
        (DATE_PLACE_RE, True),
        (ON_DATE_RE, False),
        (DATE_FIRST_RE, True),
    ):
        match = regex.match(paragraph)
        if not match:
            continue
        span = parse_date(match.group("date"))
        if span is None:
            continue
        place = _place_from(match.groupdict().get("place"))
        if regex in (PLACE_DATE_RE, DATE_PLACE_RE) and not place.city:
            continue
        return Dateline(span, place, match.end() if strips else 0)
    return None


def date_alone(paragraph: str) -> Dateline | None:
    """A line that is only a date (and maybe a place), or a "Posted on: ... | Back | Print" line."""
    line = _CHROME_RE.sub("", _POSTED_RE.sub("", paragraph)).strip()
    match = DATE_ALONE_RE.match(line)
    if not match:
        return None
    span = parse_date(match.group("date"))
    return Dateline(span, _place_from(match.group("place")), len(paragraph)) if span else None


def date_in_lead(paragraph: str) -> Dateline | None:
    """A date the lead gives the activity ("... held in Minsk ... on 26-27 October 2023").

    Dates introduced as future ("scheduled for ...", "will be held on ...") belong to something
    announced, not to what the release reports, and are passed over.
    """
    for match, span in find_dates(paragraph):
        before = paragraph[: match.start()]
        if _FUTURE_RE.search(before):
            continue
        sentence_start = max(before.rfind(". "), 0)
        return Dateline(span, find_place(paragraph[sentence_start : match.end()]), 0)
    return None


# ---------------------------------------------------------------- title


def _looks_like_title(line: str, following: list[str]) -> bool:
    if not following:
        return False
    if len(line) > TITLE_MAX:
        return False
    if _repeats(line, following[0]):
        return True
    if dateline_at_start(line) and line.endswith("."):
        return False  # a dated first paragraph is the lead: the title is missing
    ends_sentence = line.endswith((".", "!", "?")) and not line.endswith(("etc.", "Jr."))
    return not ends_sentence or len(line.split()) <= 20


def _repeats(title: str, paragraph: str) -> bool:
    """Whether the lead paragraph restates the title (the site often prints it twice)."""
    a = re.sub(r"\W+", " ", title).lower().strip()
    b = re.sub(r"\W+", " ", paragraph).lower().strip()
    if not a or not b:
        return False
    prefix = a[: max(20, int(len(a) * 0.6))]
    return b.startswith(prefix)


def derive_title(lead: str) -> str:
    """A title for a text that has none: the lead's first sentence, shortened at a word."""
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-ZА-ЯЁ“\"«])", lead, maxsplit=1)[0].rstrip(".")
    sentence = _without_leading_date(sentence)
    if len(sentence) <= DERIVED_TITLE_MAX:
        return sentence
    cut = sentence[:DERIVED_TITLE_MAX].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return cut + "…"


def _take_title(
    paragraphs: list[str], warnings: list[str]
) -> tuple[str, list[str], Dateline | None]:
    """(title, paragraphs after it, dateline found at the title's end)."""
    first = paragraphs[0]
    if len(first) > TITLE_MAX and not re.search(r"[.!?:;»”\")]$", first) and len(paragraphs) > 1:
        raise BadFile(
            f"the title is {len(first)} characters long; the limit is {TITLE_MAX}", line=1
        )
    if len(paragraphs) == 1 and not re.search(r"[.!?»”\")]$", first):
        raise BadFile("the file has a title but no text", line=1)
    if not _looks_like_title(first, paragraphs[1:]):
        warnings.append("no title line: the title is the lead's first sentence; check it")
        return derive_title(dateline_stripped(first)), paragraphs, None
    title, tail = first.rstrip(), None
    match = TITLE_TAIL_RE.match(title) or TITLE_DATE_TAIL_RE.match(title)
    if match and parse_date(match.group("date")):
        place = (
            Place(
                match.group("place"),
                COUNTRIES.get(match.groupdict().get("country") or "", "")
                or CITIES.get(match.group("place"), ""),
            )
            if "place" in match.groupdict()
            else Place()
        )
        tail = Dateline(parse_date(match.group("date")), place)
        title = match.group("title").rstrip(" ,–—-")
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    on_date = ON_DATE_RE.match(title)
    if on_date and parse_date(on_date.group("date")):
        # "On October 12, 2020, the Executive Director ..." : the date goes to the dateline.
        tail = tail or Dateline(parse_date(on_date.group("date")), Place())
        title = _without_leading_date(title)
    return title, paragraphs[1:], tail


def _without_leading_date(sentence: str) -> str:
    """ "On 28-29 August 2023, the CICA Secretariat ..." -> "CICA Secretariat ..." for a title."""
    on_date = ON_DATE_RE.match(sentence) or DATE_FIRST_RE.match(sentence)
    if not on_date or on_date.end() == 0 or not parse_date(on_date.group("date")):
        return sentence
    rest = re.sub(r"^(?:the|The)\s+", "", sentence[on_date.end() :].lstrip(" ,–—-"))
    return rest[:1].upper() + rest[1:] if rest else sentence


def dateline_stripped(paragraph: str) -> str:
    dateline = dateline_at_start(paragraph)
    return (
        paragraph[dateline.consumed :].lstrip(" ,–—-")
        if dateline and dateline.consumed
        else paragraph
    )


# ---------------------------------------------------------------- the whole text

_KIND_FROM_TITLE = [
    (
        re.compile(
            r"^(?:Statement|Joint Statement|Заявление|Совместное заявление)\b", re.IGNORECASE
        ),
        "statement",
    ),
    (
        re.compile(
            r"^(?:Remarks|Speech|Address|Opening remarks|Keynote|Выступление|Речь)\b", re.IGNORECASE
        ),
        "speech",
    ),
    (
        re.compile(
            r"^(?:Greetings?|Congratulat\w+|Message|Поздравлени\w+|Обращение)\b", re.IGNORECASE
        ),
        "statement",
    ),
]


def detect_language(text: str) -> str:
    """ "ru" when most letters are Cyrillic, else "en"."""
    cyrillic = len(re.findall(r"[а-яёА-ЯЁ]", text))
    latin = len(re.findall(r"[a-zA-Z]", text))
    return "ru" if cyrillic > latin else "en"


def _find_dateline(
    paragraphs: list[str], title_tail: Dateline | None
) -> tuple[Dateline | None, int | None]:
    """The release's dateline and, when it stands on a line of its own, that line's index."""
    for index, paragraph in enumerate(paragraphs[:3]):
        alone = date_alone(paragraph)
        if alone:
            return alone, index
    if paragraphs:
        at_start = dateline_at_start(paragraphs[0])
        if at_start:
            return at_start, None
    if title_tail:
        return title_tail, None
    if paragraphs:
        return date_in_lead(paragraphs[0]), None
    return None, None


def _markdown_paragraphs(paragraphs: list[str]) -> str:
    """Paragraphs as Markdown: bullets become a list, and nothing else is read as markup."""
    out: list[str] = []
    for paragraph in paragraphs:
        bullet = re.match(r"^(?:[•●▪◦·‣*]|-|–)\s+(.*)$", paragraph)
        if bullet:
            item = "- " + _escape_markdown(bullet.group(1))
            if out and out[-1].startswith("- "):
                out[-1] += "\n" + item
            else:
                out.append(item)
        else:
            out.append(_escape_markdown(paragraph))
    return "\n\n".join(out)


def _escape_markdown(text: str) -> str:
    text = re.sub(r"([\\`*_<>\[\]])", r"\\\1", text)
    return re.sub(r"^(#+|\d+\.|>|\+)(?=\s)", r"\\\1", text)


def parse_release(text: str) -> ParsedRelease:
    """Read one release's text. Raises BadFile when it holds nothing that can be a release."""
    warnings: list[str] = []
    paragraphs = [tidy_quotes(p) for p in normalise(text) if p]
    paragraphs, kind = _strip_headers(paragraphs)
    paragraphs, contact_block = _split_contact_block(paragraphs)
    posted = date_alone(paragraphs[0]) if paragraphs else None
    if posted:  # "Posted on: October 28, 2020 | Back | Print" above the title
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise BadFile("no text besides page headers, dates and contacts")
    title, rest, title_tail = _take_title(paragraphs, warnings)
    dateline, alone_index = _find_dateline(rest, title_tail)
    if posted and (dateline is None or alone_index is None):
        dateline, alone_index = posted, None
    if alone_index is not None:
        rest = rest[:alone_index] + rest[alone_index + 1 :]
    if not rest:
        raise BadFile("the file has a title but no text")
    if _repeats(title, rest[0]) and len(rest) > 1 and _repeats(rest[0], rest[1]):
        rest = rest[1:]  # the title printed twice, then the fuller lead
    lead = dateline_stripped(rest[0]) if dateline and dateline.consumed else rest[0]
    language = detect_language(" ".join(paragraphs))
    if dateline is None:
        warnings.append("no date found: set the activity date by hand")
    elif not dateline.place.city:
        dateline.place = _place_in_first_sentence(lead)
    parsed = ParsedRelease(
        title=title,
        kind=kind
        or next((k for regex, k in _KIND_FROM_TITLE if regex.match(title)), "press_release"),
        language=language,
        date=dateline.span if dateline else None,
        place=dateline.place if dateline else Place(),
        lead=lead,
        body=_markdown_paragraphs(rest[1:]),
        media_contacts=parse_contacts(contact_block, warnings),
        warnings=warnings,
    )
    _find_entities(parsed, "\n".join([title, *rest]))
    return parsed


def _place_in_first_sentence(lead: str) -> Place:
    """A place the lead's first sentence gives with "in" ("... a workshop in Almaty, Kazakhstan, ...")."""
    sentence = re.split(r"(?<=[.!?])\s", lead, maxsplit=1)[0]
    for match in re.finditer(r"\b(?:in|в)\s+", sentence):
        place = find_place(sentence[match.end() : match.end() + 60])
        if place.city and sentence[match.end() :].lstrip("г. ").startswith(place.city[:4]):
            return place
    return Place()


def _find_entities(parsed: ParsedRelease, text: str) -> None:
    parsed.people = find_people(text)
    parsed.organisations = find_organisations(text)
    known = {o.name for o in parsed.organisations}
    parsed.events = find_events(
        text,
        activity=parsed.date,
        activity_place=parsed.place,
        known_orgs=known,
        title_length=len(parsed.title),
    )
    if (
        not parsed.place.city
        and parsed.events
        and parsed.date
        and parsed.events[0].span == parsed.date
    ):
        parsed.place = Place(parsed.events[0].place.city, parsed.events[0].place.country)
