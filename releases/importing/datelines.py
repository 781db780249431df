"""Datelines in every layout the press office uses: where and when the release's activity was."""

import re
from dataclasses import dataclass

from .dates import DATE_SOURCE, DateSpan, find_dates, parse_date
from .entities import CITIES, COUNTRIES, Place, find_place

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


_CHROME_RE = re.compile(
    r"\s*\|?\s*(?:Back|Print|Share|Назад|Печать|Версия для печати)(?:\s*\|\s*(?:Back|Print|Share|Назад|Печать))*\s*$",
    re.IGNORECASE,
)
_POSTED_RE = re.compile(r"^(?:Posted on|Published|Date|Опубликовано|Дата)\s*:?\s*", re.IGNORECASE)


def place_from_title_tail(match: re.Match) -> Place:
    """The place of a TITLE_TAIL_RE match, with its country as the text or the gazetteer has it."""
    city = match.group("place")
    return Place(city, COUNTRIES.get(match.group("country") or "", ""))


def _place_from(text: str | None) -> Place:
    if not text:
        return Place()
    parts = [p.strip(" .") for p in text.split(",") if p.strip(" .")]
    if not parts or len(parts[0].split()) > 4:
        return Place()
    city = re.sub(r"^г\.\s?", "", parts[0])
    country = parts[1] if len(parts) > 1 else ""
    country = COUNTRIES.get(country, country)  # only what the text gives: none invented
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
