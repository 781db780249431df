"""Plain text of a CICA release to a ParsedRelease: pure, no database, no printing."""

import re
from dataclasses import dataclass, field

from .bodies import people_after_bodies
from .contact_block import MediaContactMention, parse_contacts, split_contact_block
from .datelines import (
    DATE_FIRST_RE,
    ON_DATE_RE,
    TITLE_DATE_TAIL_RE,
    TITLE_TAIL_RE,
    Dateline,
    date_alone,
    date_in_lead,
    dateline_at_start,
    place_from_title_tail,
)
from .dates import DateSpan, parse_date
from .entities import (
    EventMention,
    OrganisationMention,
    Place,
    find_events,
    find_organisations,
    find_places,
    place_of,
)
from .gazetteer import PLACE_CUES, SECTION_HEADERS
from .kinds import detect_kind, names_a_meeting, opens_an_address
from .people import NOT_NAME_WORDS, PersonMention, find_people, person_key
from .text import BadFile, normalise, tidy_quotes

TITLE_MAX = 500  # Release.title (a speech title naming the occasion in full runs long)
DERIVED_TITLE_MAX = 160


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
    source_url: str = ""  # the page's address on an old site ("Source: https://...")
    # Fields the text leaves ambiguous: the value is a suggestion (a draft can be saved under
    # it), reported as unsure and given as no value in the JSON report.
    unsure: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "language": self.language,
            "title": None if "title" in self.unsure else self.title or None,
            "title_suggested": self.title if "title" in self.unsure else None,
            "unsure": self.unsure,
            "date": self.date.start.isoformat() if self.date else None,
            "date_end": self.date.end.isoformat() if self.date and self.date.end else None,
            "place": {"city": self.place.city, "country": self.place.country},
            "people": [p.as_json() for p in self.people],
            "organisations": [o.as_json() for o in self.organisations],
            "events": [e.as_json() for e in self.events],
            "media_contacts": [c.as_json() for c in self.media_contacts],
            "source_url": self.source_url or None,
        }


# ---------------------------------------------------------------- page furniture

_HEADER_RES = [(re.compile(rf"^(?:{p})$", re.IGNORECASE), kind) for p, kind in SECTION_HEADERS]


def _strip_headers(paragraphs: list[str]) -> tuple[list[str], str, list[str]]:
    """Drop section headers and breadcrumbs at the top; return what is left, the kind they
    name, and the headers (a section of one speaker's statements names that speaker)."""
    kind, headers = "", []
    while paragraphs:
        line = paragraphs[0].strip(" :")
        hit = next((k for regex, k in _HEADER_RES if regex.match(line)), None)
        if hit is None and not _NOTE_RE.match(line):
            break
        kind = kind or hit or ""
        headers.append(line)
        paragraphs = paragraphs[1:]
    return _join_split_title(paragraphs), kind, headers


def _is_header(line: str) -> bool:
    return any(regex.match(line.strip(" :")) for regex, _kind in _HEADER_RES)


# An editor's note above the text ("*перевод", "(unofficial translation)"): not the title.
_NOTE_RE = re.compile(
    r"^(?:\*\s*\w+|\(?(?:unofficial )?translation\)?|\(?неофициальный перевод\)?|перевод)$",
    re.IGNORECASE,
)


# Words a title never ends with: its phrase goes on in the next line.
_UNFINISHED = re.compile(
    r"(?:\b(?:the|of|on|in|at|for|and|to|a|an|with|by|from|между|и|в|на|по|для|с)|\d+(?:st|nd|rd|th))$",
    re.IGNORECASE,
)


def _join_split_title(paragraphs: list[str]) -> list[str]:
    """A title broken over two lines is one line again: after its first word ("Выступление" /
    "Генерального секретаря ..."), or where its phrase is unfinished ("... Meeting of the" /
    "Conference on Interaction ...", "... on the 25th" / "Anniversary of CICA")."""
    if len(paragraphs) > 2:
        first, second = paragraphs[0], paragraphs[1]
        short_start = len(first.split()) <= 2
        unfinished = bool(_UNFINISHED.search(first)) and len(second.split()) <= 15
        if (
            (short_start or unfinished)
            and not re.search(r"[.!?:,;]$", first)
            and not opens_an_address(second)
            and not re.search(r"[.!?]$", second)
            and not date_alone(second)
        ):
            return [f"{first} {second}", *paragraphs[2:]]
    return paragraphs


# ---------------------------------------------------------------- title


def _looks_like_title(line: str, following: list[str]) -> bool:
    if not following or opens_an_address(line):
        return False
    if _POSTED_RE.match(following[0]):
        return len(line) <= TITLE_MAX  # the old site's layout: the title, then "Posted on"
    if len(line) > TITLE_MAX:
        return False
    if _repeats(line, following[0]):
        return True
    if dateline_at_start(line) and line.endswith("."):
        return False  # a dated first paragraph is the lead: the title is missing
    ends_sentence = line.endswith((".", "!", "?")) and not line.endswith(("etc.", "Jr."))
    return not ends_sentence or len(line.split()) <= 20


def _heading_of(title: str, line: str) -> bool:
    """Whether `line` is `title` again, shorter ("Second Ministerial Meeting" under "Second
    Ministerial Meeting, 22 October 2004")."""
    a = re.sub(r"\W+", " ", title).casefold().strip()
    b = re.sub(r"\W+", " ", line).casefold().strip()
    return bool(b) and len(b.split()) >= 2 and a.startswith(b) and not b.endswith(".")


def _repeats(title: str, paragraph: str) -> bool:
    """Whether the lead paragraph restates the title (the site often prints it twice)."""
    a = re.sub(r"\W+", " ", title).lower().strip()
    b = re.sub(r"\W+", " ", paragraph).lower().strip()
    if not a or not b:
        return False
    prefix = a[: max(20, int(len(a) * 0.6))]
    return b.startswith(prefix)


def derive_title(lead: str) -> str:
    """A title for a text that has none: the lead's first sentence, shortened at a word; none
    ("") for a speech that opens by addressing its audience (no sentence of it is a title)."""
    if opens_an_address(lead):
        return ""
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-ZА-ЯЁ“\"«])", lead, maxsplit=1)[0].rstrip(".")
    sentence = _without_leading_date(sentence)
    if len(sentence) <= DERIVED_TITLE_MAX:
        return sentence
    cut = sentence[:DERIVED_TITLE_MAX].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return cut + "…"


def _take_title(
    paragraphs: list[str], warnings: list[str], unsure: list[str]
) -> tuple[str, list[str], Dateline | None]:
    """(title, paragraphs after it, dateline found at the title's end)."""
    first = paragraphs[0]
    _check_title_line(first, paragraphs)
    title, tail = _split_title_tail(first.rstrip())
    if tail is not None and names_a_meeting(first):
        # A meeting's own page: its name with its date is the title ("Second Ministerial
        # Meeting, 22 October 2004"); the place is where the text says it was held.
        return first.rstrip(" ."), paragraphs[1:], Dateline(tail.span, Place())
    if not _looks_like_title(first, paragraphs[1:]):
        title = derive_title(dateline_stripped(first))
        warnings.append(
            "no title line: the title is the lead's first sentence; check it"
            if title
            else "no title line, and no sentence of it makes one: write the title"
        )
        unsure.append("title")  # a suggestion to save the draft under, not the text's own
        return title, paragraphs, None
    title, tail = _split_title_tail(first.rstrip())
    if tail is not None and re.search(r"\s(?:on|of|dated|от)$", title, re.IGNORECASE):
        title = first.rstrip()  # "... delivered on 26 November 2024": the date is the title's own
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    on_date = ON_DATE_RE.match(title)
    if on_date and parse_date(on_date.group("date")) and not _POSTED_RE.match(paragraphs[1]):
        # "On October 12, 2020, the Executive Director ..." : the date goes to the dateline.
        tail = tail or Dateline(parse_date(on_date.group("date")), Place())
        title = _without_leading_date(title)
    return title, paragraphs[1:], tail


def _check_title_line(first: str, paragraphs: list[str]) -> None:
    """BadFile for a first line that cannot be a title, or a title with no text after it."""
    if len(first) > TITLE_MAX and not re.search(r"[.!?:;»”\")]$", first) and len(paragraphs) > 1:
        raise BadFile(
            f"the title is {len(first)} characters long; the limit is {TITLE_MAX}", line=1
        )
    if len(paragraphs) == 1 and not re.search(r"[.!?»”\")]$", first):
        raise BadFile("the file has a title but no text", line=1)


def _split_title_tail(title: str) -> tuple[str, Dateline | None]:
    """ "... Ministerial Council New York, 21 September 2023" -> the title and that dateline."""
    match = TITLE_TAIL_RE.match(title) or TITLE_DATE_TAIL_RE.match(title)
    if not match or not parse_date(match.group("date")):
        return title, None
    place = place_from_title_tail(match) if "place" in match.groupdict() else Place()
    return match.group("title").rstrip(" ,–—-"), Dateline(parse_date(match.group("date")), place)


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
    unsure: list[str] = []
    page = _page(text)
    title, rest, title_tail = _take_title(page.paragraphs, warnings, unsure)
    while len(rest) > 1 and _is_header(rest[0]):
        rest = rest[1:]  # a breadcrumb under the title ("• Home › Statement ...")
    dateline, rest = _dateline(rest, title_tail, page.posted)
    if _repeats(title, rest[0]) and len(rest) > 1 and _repeats(rest[0], rest[1]):
        rest = rest[1:]  # the title printed twice, then the fuller lead
    elif len(rest) > 1 and len(rest[0]) < len(title) and _heading_of(title, rest[0]):
        rest = rest[1:]  # the page's heading again, without the date its title has
    lead = dateline_stripped(rest[0]) if dateline and dateline.consumed else rest[0]
    if dateline is None:
        warnings.append("no date found: set the activity date by hand")
    elif not dateline.place.city:
        dateline.place = _activity_place(lead)
    parsed = ParsedRelease(
        title=title,
        kind=detect_kind(title, rest, page.kind),
        language=detect_language(" ".join(page.paragraphs)),
        date=dateline.span if dateline else None,
        place=dateline.place if dateline else Place(),
        lead=lead,
        body=_markdown_paragraphs(rest[1:]),
        media_contacts=parse_contacts(page.contact_block, warnings),
        warnings=warnings,
        source_url=page.source_url,
        unsure=unsure,
    )
    # A section header "Statements and Remarks of <the speaker>" names who speaks.
    speakers = [h for h in page.headers if re.search(r"\bof\b|\bпосла\b", h)]
    # (After the title: the event finder reads the title as the text's first characters.)
    _find_entities(parsed, "\n".join([title, *(f"{h}." for h in speakers), *rest]))
    return parsed


@dataclass
class _Page:
    paragraphs: list[str]  # from the title on, without headers, date line and contacts
    kind: str  # what the section header says, if any
    contact_block: str
    posted: Dateline | None  # "Posted on: October 28, 2020 | Back | Print" above the title
    source_url: str = ""
    headers: list[str] = field(default_factory=list)


# "Source: https://s-cica.org/...": where the text was on an old site (README, "Old addresses").
_SOURCE_RE = re.compile(
    r"^(?:source|original|url|источник|адрес)\s*:\s*(https?://\S+)$", re.IGNORECASE
)


def _source_url(paragraphs: list[str]) -> tuple[list[str], str]:
    """The old address a `Source:` line names, and the paragraphs without it."""
    for index, paragraph in enumerate(paragraphs):
        found = _SOURCE_RE.match(paragraph.strip())
        if found:
            return paragraphs[:index] + paragraphs[index + 1 :], found.group(1)
    return paragraphs, ""


def _without_menu(lines: list[str]) -> list[str]:
    """The lines without a navigation menu at the top: a block of three or more short lines
    (a few words each, no sentence, no date) before the first blank line ("About cica" /
    "Areas of cooperation" / "External relations" ...)."""
    end = lines.index("") if "" in lines else len(lines)
    block = lines[:end]
    short = all(
        len(line.split()) <= 5 and len(line) <= 40 and not re.search(r"[.!?:;,]$", line)
        for line in block
    )
    dated = any(date_alone(line) for line in block)
    if len(block) >= 3 and short and end < len(lines) and not dated:
        return lines[end:]
    return lines


def _page(text: str) -> _Page:
    """The text's paragraphs, with the page's furniture taken off."""
    paragraphs = [tidy_quotes(p) for p in _without_menu(normalise(text)) if p]
    paragraphs, source_url = _source_url(paragraphs)
    paragraphs, kind, headers = _strip_headers(paragraphs)
    paragraphs, contact_block = split_contact_block(paragraphs)
    # A date on its own above the title is when the page was posted; a meeting's name with its
    # date ("Second Ministerial Meeting, 22 October 2004") is the title, not a place and date.
    posted = (
        date_alone(paragraphs[0]) if paragraphs and not names_a_meeting(paragraphs[0]) else None
    )
    if posted:
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise BadFile("no text besides page headers, dates and contacts")
    return _Page(paragraphs, kind, contact_block, posted, source_url, headers)


_POSTED_RE = re.compile(r"^(?:posted on|опубликовано)\b", re.IGNORECASE)


def _dateline(
    rest: list[str], title_tail: Dateline | None, posted: Dateline | None
) -> tuple[Dateline | None, list[str]]:
    """The release's dateline, and the paragraphs after the title without a date line. A
    "Posted on: ... | Back | Print" line is when the page was published: the activity's date
    only when the text gives none (and never part of the text)."""
    for index, paragraph in enumerate(rest[:3]):
        if _POSTED_RE.match(paragraph) and date_alone(paragraph):
            posted = posted or date_alone(paragraph)
            rest = rest[:index] + rest[index + 1 :]
            break
    dateline, alone_index = _find_dateline(rest, title_tail)
    if posted and dateline is None:
        dateline, alone_index = posted, None
    if alone_index is not None:
        rest = rest[:alone_index] + rest[alone_index + 1 :]
    if not rest:
        raise BadFile("the file has a title but no text")
    return dateline, rest


_BEFORE_CITY = re.compile(
    r"\b(?:" + "|".join(PLACE_CUES["before_city"]) + r")\s+(?:г\.\s?|the city of\s+)?$",
    re.IGNORECASE,
)
_AFTER_CITY = re.compile(r"^\s+(?:" + "|".join(PLACE_CUES["after_city"]) + r")\b", re.IGNORECASE)


def _activity_place(text: str) -> Place:
    """A place the first sentences give for the activity: after a cue ("held in Almaty,
    Kazakhstan", "a working visit to New Delhi"), before one ("Astana has hosted"), or after a
    plain "in" in the first sentence, unless what it is in is still to come ("this fall in
    Nur-Sultan", "will be held in")."""
    sentences = re.split(r"(?<=[.!?])\s", text, maxsplit=3)
    first, opening = sentences[0], " ".join(sentences[:3])
    for match in find_places(opening):
        before, after = opening[: match.start()], opening[match.end() :]
        future = _FUTURE_CUE.search(before[-60:])
        if (_BEFORE_CITY.search(before) or _AFTER_CITY.match(after)) and not future:
            return place_of(match)
        in_first = match.start() < len(first) and re.search(r"\b(?:in|в)\s+(?:г\.\s?)?$", before)
        if in_first and not future and not _NOT_HERE.search(before):
            return place_of(match)
    return Place()


# "in <city>" that places something else: an event named just before it ("the Summit in
# Nur-Sultan"), or an activity held online.
_NOT_HERE = re.compile(
    r"(?:\b(?:Summit|Conference|Forum|Meeting|Session|Congress|Exhibition|Games)\s+(?:in|в)\s+$)"
    r"|\b(?:online|virtual|video ?conference|онлайн)\b",
    re.IGNORECASE,
)


_FUTURE_CUE = re.compile(
    r"\b(?:will|would|shall|to be held|scheduled|planned|upcoming|next|this (?:fall|autumn|"
    r"spring|summer|winter|year|month)|forthcoming|состоится|пройд[её]т|запланирован\w*)\b",
    re.IGNORECASE,
)


def rest_paragraphs(parsed: ParsedRelease) -> list[str]:
    """The body's first paragraphs as plain text (a speech's lead is only its address)."""
    return [p.replace("\\", "") for p in parsed.body.split("\n\n")[:3]]


# How the old pages glue an honorific to the next ("H.E.Mr. Gong Jianwei"), and a speaker who
# names themself ("I Sirojiddin Muhriddin, Minister of ..."): written out for the finders.
_GLUED_HONORIFIC = re.compile(r"(?<=\b[A-Z]\.[A-Z]\.)(?=(?:Mr|Mrs|Ms|Dr)\.)")
_FIRST_PERSON = re.compile(r"(?<![\w.])I (?=[A-Z][a-z]+ [A-Z][a-z]+, )")


def _find_entities(parsed: ParsedRelease, text: str) -> None:
    text = _FIRST_PERSON.sub("", _GLUED_HONORIFIC.sub(" ", text))
    parsed.people = find_people(text)
    known = {person_key(p.name) for p in parsed.people}
    for name, title in people_after_bodies(text, NOT_NAME_WORDS):
        if person_key(name) not in known:
            known.add(person_key(name))
            parsed.people.append(PersonMention(name=name, title=title))
    parsed.organisations = find_organisations(text)
    # Bodies found in running text may also be meeting as an event ("at the OSCE Ministerial
    # Council, New York"): only the organisations the data files know are never events.
    known = {o.name for o in parsed.organisations if o.acronym or o.name_ru}
    parsed.events = find_events(
        text,
        activity=parsed.date,
        activity_place=parsed.place,
        known_orgs=known,
        title_length=len(parsed.title),
    )
    if not parsed.place.city and parsed.date is None:
        parsed.place = _activity_place(" ".join([parsed.lead, *rest_paragraphs(parsed)]))
