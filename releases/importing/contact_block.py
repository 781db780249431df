"""The media-contact block at the end of a release: names, roles, phones and e-mails."""

import re
from dataclasses import dataclass

from contacts.phones import normalise_phone


@dataclass
class MediaContactMention:
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""

    def as_json(self) -> dict:
        return {"name": self.name, "role": self.role, "phone": self.phone, "email": self.email}


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


def split_contact_block(paragraphs: list[str]) -> tuple[list[str], str]:
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
