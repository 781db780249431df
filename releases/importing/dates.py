"""Dates as the press office writes them, in English and Russian, with their precision."""

import datetime
import re
from dataclasses import dataclass

MONTH_NAMES_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_EN = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# Russian month names in every case the texts use them in ("марта", "март", "марте").
MONTH_STEMS_RU = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}

_EN_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_RU_MONTH = (
    r"(?:январ[яье]|феврал[яье]|март[аеу]?|апрел[яье]|ма[яйе]|июн[яье]|июл[яье]|август[аеу]?|"
    r"сентябр[яье]|октябр[яье]|ноябр[яье]|декабр[яье])"
)
_DASH = r"\s*[-–—‒]\s*"
_YEAR = r"(?:19|20)\d\d"
_RU_YEAR_SUFFIX = r"(?:\s*(?:года|год|г\.?|гг\.?))?"

# Each pattern names its parts: d1, m1 (optional), d2, m2, y (and y1 for cross-year ranges).
DATE_PATTERNS = [
    # 30 October - 2 November 2023 / 30 октября - 2 ноября 2023 г.
    rf"(?P<d1>\d{{1,2}})\s+(?P<m1>{_EN_MONTH}|{_RU_MONTH}){_DASH}(?P<d2>\d{{1,2}})\s+(?P<m2>{_EN_MONTH}|{_RU_MONTH}),?\s+(?P<y>{_YEAR}){_RU_YEAR_SUFFIX}",
    # 26-27 October 2023 / 26–27 октября 2023 года / 22 January 2024
    rf"(?P<d1>\d{{1,2}})(?:{_DASH}(?P<d2>\d{{1,2}}))?\s+(?P<m2>{_EN_MONTH}|{_RU_MONTH}),?\s+(?P<y>{_YEAR}){_RU_YEAR_SUFFIX}",
    # October 30 - November 2, 2023
    rf"(?P<m1>{_EN_MONTH})\s+(?P<d1>\d{{1,2}}){_DASH}(?P<m2>{_EN_MONTH})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y>{_YEAR})",
    # October 12, 2020 / October 12-13, 2020
    rf"(?P<m2>{_EN_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:{_DASH}(?P<d2>\d{{1,2}}))?,?\s+(?P<y>{_YEAR})",
    # 22.01.2024 / 22/01/2024
    rf"(?P<d1>\d{{1,2}})[./](?P<mn>\d{{1,2}})[./](?P<y>{_YEAR}){_RU_YEAR_SUFFIX}",
    # 2024-01-22
    rf"(?P<y>{_YEAR})-(?P<mn>\d\d)-(?P<d1>\d\d)",
]
# One regex to find any of them (group names cannot repeat, so they are dropped here); each
# match is then read with the first pattern that matches it whole.
DATE_RE = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(re.sub(r"\(\?P<\w+>", "(?:", p) for p in DATE_PATTERNS)
    + r")(?![\w])",
    re.IGNORECASE,
)
_COMPILED = [re.compile(p, re.IGNORECASE) for p in DATE_PATTERNS]
# The same, as a pattern to embed in larger ones (datelines); it has no groups of its own.
DATE_SOURCE = "(?:" + "|".join(re.sub(r"\(\?P<\w+>", "(?:", p) for p in DATE_PATTERNS) + ")"

MONTH_ONLY_RE = re.compile(
    rf"\b(?P<m>{_EN_MONTH}|{_RU_MONTH})(?:\s+(?P<y>{_YEAR}){_RU_YEAR_SUFFIX})?\b", re.IGNORECASE
)


@dataclass(frozen=True)
class DateSpan:
    """A date or a range of days, and how precise it is ("day" or "month")."""

    start: datetime.date
    end: datetime.date | None = None
    precision: str = "day"

    def as_json(self) -> dict:
        return {
            "date": self.start.isoformat(),
            "date_end": self.end.isoformat() if self.end else None,
            "precision": self.precision,
        }


def month_number(word: str) -> int | None:
    """1-12 for an English or Russian month name in any case form, else None."""
    word = word.lower().rstrip(".")
    if word in MONTHS_EN:
        return MONTHS_EN[word]
    for stem, number in sorted(MONTH_STEMS_RU.items(), key=lambda kv: -len(kv[0])):
        if word.startswith(stem) and len(word) - len(stem) <= 2:
            return number
    return None


def _span_from_parts(parts: dict) -> DateSpan | None:
    year = int(parts["y"])
    if parts.get("mn"):
        month2 = month1 = int(parts["mn"])
    else:
        month2 = month_number(parts["m2"])
        month1 = month_number(parts["m1"]) if parts.get("m1") else month2
    try:
        start = datetime.date(year, month1, int(parts["d1"]))
        end = datetime.date(year, month2, int(parts["d2"])) if parts.get("d2") else None
    except (TypeError, ValueError):
        return None
    if end is not None and end < start:
        if month1 > month2:  # 30 December - 2 January 2024: the range crosses the year
            start = start.replace(year=year - 1)
        else:
            return None
    return DateSpan(start, end if end != start else None)


def parse_date_match(match: re.Match) -> DateSpan | None:
    """The DateSpan a match of DATE_RE stands for (None for impossible dates like 31 February)."""
    text = match.group(0)
    for pattern in _COMPILED:
        full = pattern.fullmatch(text)
        if full:
            return _span_from_parts({k: v for k, v in full.groupdict().items() if v})
    return None


def find_dates(text: str):
    """Yield (match, DateSpan) for every full date in `text`, in order."""
    for match in DATE_RE.finditer(text):
        span = parse_date_match(match)
        if span is not None:
            yield match, span


def parse_date(text: str) -> DateSpan | None:
    """The first full date in `text`, or None."""
    return next((span for _, span in find_dates(text)), None)


def month_span(match: re.Match, *, reference: datetime.date | None) -> DateSpan | None:
    """A month with or without its year ("August 2024", "in May") as a month-precision span.

    Without a year, the month is the next one of that name on or after `reference` (the
    release's date): "scheduled for May" in a January 2024 release is May 2024.
    """
    month = month_number(match.group("m"))
    if month is None:
        return None
    if match.group("y"):
        year = int(match.group("y"))
    elif reference is not None:
        year = reference.year + (1 if month < reference.month else 0)
    else:
        return None
    return DateSpan(datetime.date(year, month, 1), None, "month")
