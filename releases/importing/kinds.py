"""What kind of text a page is: a speech, a statement, an event page or a press release.

The text's own shape decides (a title that names a speech, an opening that addresses an
audience, a greeting, an event page's "Label: value" lines); the site's section header is only a
hint, used when the shape says nothing. The patterns are data (data/words.toml, [kind]).
"""

import re

from .gazetteer import KIND_PATTERNS


def _any(names: str, *, start: bool) -> re.Pattern:
    alternatives = "|".join(f"(?:{p})" for p in KIND_PATTERNS[names])
    return re.compile(("^" if start else "") + f"(?:{alternatives})", re.IGNORECASE)


_SPEECH_TITLE = _any("speech_title", start=True)
_STATEMENT_TITLE = _any("statement_title", start=True)
_STATEMENT_PHRASE = _any("statement_phrases", start=False)
_ADDRESS = _any("address_openers", start=True)
_EVENT_LINE = re.compile(
    "^(?:" + "|".join(KIND_PATTERNS["event_labels"]) + r")\s*:\s*\S", re.IGNORECASE
)


_MEETING_TITLE = re.compile(
    "^(?:" + "|".join(KIND_PATTERNS["meeting_title"]) + r")(?:,\s.*)?$", re.IGNORECASE
)
_MEETING_HELD = _any("meeting_held", start=False)


def names_a_meeting(title: str) -> bool:
    """Whether `title` is a meeting's name (with its date, maybe), not a sentence about one."""
    return bool(_MEETING_TITLE.match(title))


def detect_kind(title: str, paragraphs: list[str], hint: str) -> str:
    """The kind of a page with `title` (may be empty) and `paragraphs` (title excluded), where
    the site's section header said `hint` ("" when it said nothing)."""
    if sum(bool(_EVENT_LINE.match(p)) for p in paragraphs[:8]) >= 2:
        return "event"
    if title and names_a_meeting(title) and any(_MEETING_HELD.search(p) for p in paragraphs[:2]):
        return "event"  # a past meeting's own page
    if title and _SPEECH_TITLE.match(title):
        return "speech"
    opening = paragraphs[:3]
    if title and (_STATEMENT_TITLE.match(title) or _STATEMENT_PHRASE.search(title)):
        return "statement"
    if any(_ADDRESS.match(p) for p in opening):
        return "speech"
    if opening and _STATEMENT_PHRASE.search(opening[0]):
        return "statement"
    return hint or "press_release"


def opens_an_address(line: str) -> bool:
    """Whether `line` addresses an audience ("Dear colleagues,", "Уважаемые делегаты,")."""
    return bool(_ADDRESS.match(line))
