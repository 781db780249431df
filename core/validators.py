"""Bounds on what editors and the importer may write, so no text can make a request slow."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Characters a text of each kind may hold (settings TEXT_LIMITS overrides any of them). A long
# speech is about 40,000 characters; the limits leave room for several.
TEXT_LIMITS = {"BODY": 200_000, "LEAD": 5_000, "DESCRIPTION": 50_000, "NOTE": 5_000}


def text_limit(kind: str) -> int:
    return {**TEXT_LIMITS, **getattr(settings, "TEXT_LIMITS", {})}[kind]


@deconstructible
class MaxTextLength:
    """At most `text_limit(kind)` characters, with a message that says how far over it is."""

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, value):
        limit = text_limit(self.kind)
        if value and len(value) > limit:
            raise ValidationError(
                "This text is %(length)s characters long; the limit is %(limit)s. Split it, or "
                "attach the full text as a document.",
                code="too_long",
                params={"length": f"{len(value):,}", "limit": f"{limit:,}"},
            )

    def __eq__(self, other):
        return isinstance(other, MaxTextLength) and other.kind == self.kind


BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)


def no_bidi_controls(value: str) -> None:
    """Titles and names may not hold invisible bidirectional controls (U+202E and the like): they
    make a title read differently from what it says."""
    found = sorted({f"U+{ord(ch):04X}" for ch in value or "" if ch in BIDI_CONTROLS})
    if found:
        raise ValidationError(
            "Remove the invisible direction control characters (%(found)s): they change how "
            "the text reads.",
            code="bidi",
            params={"found": ", ".join(found)},
        )
