"""People named in a release's text, and the pure logic of names and roles: how two
spellings of one person are recognised, and which role a title names in either language."""

import re
from dataclasses import dataclass, field

from core.text.languages import is_cyrillic
from core.text.transliteration import transliterate

from .dates import MONTH_NAMES_EN
from .gazetteer import (
    CITIES,
    COUNTRIES,
    HONORIFICS,
    ROLE_EQUIVALENTS_RU,
    TITLE_WORDS,
    TITLE_WORDS_RU,
)
from .gazetteer import NOT_NAME_WORDS as GAZETTEER_NOT_NAME_WORDS


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


# ---------------------------------------------------------------- people

_CYR = "А-ЯЁ"
_UP = f"A-Z{_CYR}ÀÁÂÄÇÉÈÊÖÜİŞĞ"
_LOW = "a-zа-яёàáâäçéèêöüışğ"
NAME_TOKEN = rf"[{_UP}][{_LOW}'’]+(?:-[{_UP}]?[{_LOW}'’]+)*"
INITIAL = rf"[{_UP}]\.\s?"
NAME = rf"(?:{INITIAL}){{0,2}}{NAME_TOKEN}(?:\s+(?:{INITIAL})?{NAME_TOKEN}){{0,3}}"
_HONORIFIC_RE = "|".join(re.escape(h) for h in sorted(HONORIFICS, key=len, reverse=True))
_TITLE_START = f"{TITLE_WORDS}|{TITLE_WORDS_RU}"

# Honorifics may come in a row ("H.E. Mr. Gong Jianwei"): all of them before the name.
HONORIFIC_NAME_RE = re.compile(
    rf"(?<![\w.])(?P<hon>(?:{_HONORIFIC_RE})(?:[ ]+(?:{_HONORIFIC_RE}))*)[ ]+(?P<name>{NAME})"
)
# "to" only before a country ("Ambassador of Egypt to Kazakhstan"): "President Tokayev to Prime
# Minister Modi" is two people.
_TO_COUNTRY = (
    "to[ ]+(?:the[ ]+)?(?:"
    + "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True))
    + ")"
)
_TITLE_RUN = rf"(?:{_TITLE_START})(?:[ ]+(?:{_TO_COUNTRY}|of|for|on|in|and|the|de|по|при|[{_UP}(][\w()’'&-]*))*"
# The title just before an honorific: "the Executive Director of the CICA Secretariat | Ambassador ..."
TITLE_BEFORE_RE = re.compile(rf"(?<![\w])(?P<title>{_TITLE_RUN})[ ]*$")
# A title then a name, no honorific: "Minister of Foreign Affairs of Kazakhstan Murat Nurtleu said"
TITLE_NAME_RE = re.compile(
    rf"(?<![\w])(?P<title>{_TITLE_RUN})[ ]+"
    rf"(?P<name>{NAME_TOKEN}(?:[ ]+{NAME_TOKEN}){{1,2}}|{INITIAL}{NAME_TOKEN})(?=[ ]+[{_LOW}]|[,.;:]|$)",
    re.MULTILINE,
)
# A title, then the name set off by commas: "the Minister of ... of Russia, Alexander Kozlov, and"
TITLE_COMMA_NAME_RE = re.compile(
    rf"(?<![\w])(?P<title>{_TITLE_RUN}),[ ]+(?P<name>{NAME_TOKEN}(?:[ ]+{NAME_TOKEN}){{1,2}})(?=[ ]*[,.;:])"
)
# "Ambassador Kairat Sarybay, Secretary General of the Conference ... (CICA), conducted"
APPOSITIVE_RE = re.compile(
    rf"^[ ]*,[ ]*(?:the[ ]+)?(?P<title>(?:{_TITLE_START})\b[^,.;:\n]*(?:\([^)]*\))?)"
)

NOT_NAME_WORDS = set(GAZETTEER_NOT_NAME_WORDS)
NOT_NAME_WORDS |= set(CITIES) | {w for c in COUNTRIES for w in c.split()}
MONTH_WORDS = set(MONTH_NAMES_EN)
NOT_NAME_WORDS |= MONTH_WORDS


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
    for regex in (TITLE_NAME_RE, TITLE_COMMA_NAME_RE):
        for match in regex.finditer(text):
            name = (
                _clean_name(match.group("name"))
                if "." in match.group("name")
                else match.group("name")
            )
            title = _clean_title(match.group("title"))
            if title in HONORIFICS or any(w in NOT_NAME_WORDS for w in name.split()):
                continue
            yield name, title, ""


def find_people(text: str) -> list[PersonMention]:
    """People named in `text`, one entry per person whatever the spelling, in order of first mention."""
    people: list[PersonMention] = []
    for written, title, honorific in _person_candidates(text):
        name = nominative(written)
        key = person_key(name)
        match = next(
            (
                p
                for p in people
                if _same_person(person_key(p.name), key) or _ends_with(p.name, name)
            ),
            None,
        )
        if match is None:
            match = PersonMention(name=name, title=title, honorific=honorific)
            people.append(match)
        else:
            _merge_person(match, name, title, honorific)
        if written != name and written not in match.aliases:
            match.aliases.append(written)  # the form the text gives (a Russian case form)
    # A surname alone ("Ambassador Sarybay") is kept only as another spelling of a full name.
    return [p for p in people if _is_full_name(p.name) or len(p.name.split()) > 1]


def _ends_with(full: str, part: str) -> bool:
    """ "Науман Башир Бхатти" ends with "Башир Бхатти": the same person named shorter."""
    a, b = full.split(), part.split()
    return len(b) >= 2 and len(a) > len(b) and a[-len(b) :] == b


# A Russian first name in an oblique case (after "Посла", "Генерального секретаря"): the
# ending it takes, and the nominative's. Masculine names only: a feminine name in -а is already
# nominative, and is left alone unless the surname shows the case too.
_RU_CASE_ENDINGS = (
    ("ом", ""),
    ("ем", "й"),
    ("ю", "й"),
    ("я", "й"),
    ("у", ""),
    ("а", ""),
    ("е", ""),
)
_RU_CONSONANT = "бвгджзклмнпрстфхцчшщ"


def nominative(name: str) -> str:
    """A Russian name as written in an oblique case, in the nominative ("Кайрата Сарыбай" ->
    "Кайрат Сарыбай", "Николая Иванова" -> "Николай Иванов"); any other name as it is."""
    words = name.split()
    if len(words) < 2 or not re.fullmatch(r"[А-ЯЁ][а-яё-]+", words[0]):
        return name
    first = words[0]
    for ending, nominative_ending in _RU_CASE_ENDINGS:
        stem = first[: -len(ending)]
        if first.endswith(ending) and len(stem) >= 3 and stem[-1] in _RU_CONSONANT + "й":
            if (
                ending == "а"
                and not re.search(r"(?:ов|ев|ин|ёв)а$", words[-1])
                and stem[-1] not in "тнрдл"
            ):
                return name  # "Айгуль", "Мария": not a case form we can tell
            words[0] = stem + nominative_ending
            words[-1] = re.sub(r"((?:ов|ев|ин|ёв))(?:а|у|ым|е)$", r"\1", words[-1])
            return " ".join(words)
    return name


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


# ---------------------------------------------------------------- names and roles


def is_full_latin_name(name: str) -> bool:
    """ "Kairat Sarybay", not "K. Sarybay", "Sarybay" or "Кайрат Сарыбай"."""
    parts = name.split()
    return (
        len(parts) >= 2
        and not is_cyrillic(name)
        and not any(len(p.rstrip(".")) <= 1 or p.endswith(".") for p in parts)
    )


def canonical_role(title: str, organisations: list) -> tuple[str, object | None]:
    """One spelling per role: "Secretary General of the Conference on ... (CICA)" -> "Secretary General of CICA"."""
    role = re.sub(r"\s*\([^)]*\)", "", title).strip(" ,")
    found = None
    # An organisation before its bodies: "the CICA Secretariat" in a title names CICA.
    for org in sorted(organisations, key=lambda o: not o.acronym):
        forms = [
            org.name,
            f"{org.acronym} Secretariat" if org.acronym else None,
            org.acronym or None,
        ]
        for form in filter(None, forms):
            if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", role):
                role = re.sub(
                    rf"(?:the\s+)?{re.escape(form)}", org.acronym or org.name, role, count=1
                )
                found = found or org
                break
    return role, found


def canonical_role_ru(title: str, organisations: list) -> tuple[str, object | None]:
    """A Russian title as written (declension makes rewriting it unsafe), without asides in
    brackets, and the organisation it names, if a known one."""
    role = re.sub(r"\s*\([^)]*\)", "", title).strip(" ,")
    for org in sorted(organisations, key=lambda o: not o.acronym_ru):
        for form in filter(None, [org.name_ru, org.acronym_ru]):
            if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", role, re.IGNORECASE):
                return role, org
    return role, None


def _starts_with_words(text: str, head: str) -> bool:
    return bool(re.match(rf"{re.escape(head)}(?!\w)", text, re.IGNORECASE))


def role_key(title: str, language: str) -> str | None:
    """Which role a title names, the same for its English and its Russian form: "Secretary
    General of CICA" and "Генеральный секретарь СВМДА" both give "Генеральный секретарь"
    (None when the title opens with no known role)."""
    title = title.strip()
    if language == "ru":
        heads = [(ru, ru) for ru in ROLE_EQUIVALENTS_RU]
    else:
        heads = [(en, ru) for ru, forms in ROLE_EQUIVALENTS_RU.items() for en in forms]
    matching = [(len(head), key) for head, key in heads if _starts_with_words(title, head)]
    return max(matching)[1] if matching else None
