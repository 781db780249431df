"""Bytes to clean text: decoding with a clear error, and whitespace and quote normalisation."""

import re
import unicodedata

from core.text.transliteration import transliterate  # noqa: F401 (the importer's name keys use it)


class BadFile(ValueError):
    """A file that cannot be imported; the message names the reason and, where it helps, the line."""

    def __init__(self, message: str, *, line: int | None = None):
        super().__init__(message)
        self.line = line

    def __str__(self):
        message = super().__str__()
        return f"line {self.line}: {message}" if self.line else message


def decode(data: bytes) -> str:
    """UTF-8 text from `data` (a leading BOM is dropped); BadFile for binary or other encodings."""
    if b"\x00" in data:
        raise BadFile(
            "binary file (it contains NUL bytes), not plain text",
            line=data[: data.index(b"\x00")].count(b"\n") + 1,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BadFile(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded); save the file as UTF-8",
            line=line,
        ) from None
    text = text.removeprefix("\ufeff")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v")
    if controls > max(3, len(text) // 100):
        raise BadFile("binary file (control characters), not plain text")
    if not text.strip():
        raise BadFile("empty file" if not text else "the file holds only white space")
    return text


# Invisible characters: a zero-width space separates words (it becomes a space); the others sit
# inside words and go. Bidirectional controls (U+202A-U+202E, U+2066-U+2069, the marks) can
# make a title read differently from what it says, and go too.
_INVISIBLE = {
    0x200B: " ",
    **dict.fromkeys(map(ord, "\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c"), None),
    **dict.fromkeys(range(0x202A, 0x202F), None),
    **dict.fromkeys(range(0x2066, 0x206A), None),
}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalise(text: str) -> list[str]:
    """The text's lines, stripped, with single spaces; blank lines kept as "" (runs folded to one)."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = "".join(
        ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc" or ch == "\t"
    )
    lines: list[str] = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def tidy_quotes(text: str) -> str:
    """Close a quotation the text opened with “ but closed with a straight quote."""
    return re.sub(r"“([^”\"]*)\"", r"“\1”", text)
