"""Bodies named in running text that no data file lists: ministries, councils, committees,
universities, institutes, governments, in English and in Russian ("Ministry of External Affairs
of India", "Maqsut Narikbayev University", "Министерству обороны Республики Казахстан"), and the
people named right after one ("... Foreign Ministry Azer Musayev").

A body's name turns on a head word (data/words.toml [bodies]); it takes the capitalised words
before it and the "of ..."/"on ..."/"under ..." phrases after it, and stops at a country (what
follows a country is a person), at an honorific, and at "and" between two bodies.
"""

import re

from .gazetteer import BODY_HEADS, BODY_HEADS_RU, BODY_NOT_OPENERS, COUNTRIES, HONORIFICS

_CAP = r"[A-Z][\w&-]*(?!['’])"
_HEADS = "|".join(sorted(map(re.escape, BODY_HEADS), key=len, reverse=True))
_ACRONYM = r"[ ]+\((?P<acr>[A-Z][A-Za-z]{1,9})\)"
BODY_RE = re.compile(
    rf"(?P<pre>(?:{_CAP}[ ]+){{0,5}})(?P<head>{_HEADS})\b"
    rf"(?P<post>(?:{_ACRONYM}|[ ]+(?:of|on|for|under)[ ]+(?:the[ ]+)?{_CAP}"
    rf"(?:[ ]+(?:and[ ]+)?{_CAP}|,[ ]+{_CAP}(?=[ \w]*[ ]and[ ]))*)*)"
)
_EVENT_WORDS = re.compile(r"\b(?:Summit|Conference|Meeting|Forum|Session|Day|Week)\b")
_COUNTRY_WORDS = sorted(COUNTRIES, key=lambda c: -len(c.split()))
_HONORIFIC_WORDS = {h.rstrip(".") for h in HONORIFICS}
_STATE_HEADS = {"Government", "Parliament", "Senate", "Mazhilis"}


def _has_country(name: str) -> bool:
    return any(re.search(rf"\b{re.escape(c)}\b", name) for c in COUNTRIES)


_STOP_RE = re.compile(
    r"(?<![\w-])(?:(?P<country>"
    + "|".join(re.escape(c) for c in _COUNTRY_WORDS)
    + r")|(?P<honorific>"
    + "|".join(re.escape(h) for h in sorted(_HONORIFIC_WORDS, key=len, reverse=True))
    + r")\.?)(?![\w-])"
)


def _cut_at_country(post: str) -> tuple[str, str]:
    """Split an "of ..." chain after its first country, or before an honorific: (the body's
    part, what follows)."""
    match = _STOP_RE.search(post)
    if match is None:
        return post, ""
    cut = match.end() if match.group("country") else match.start()
    return post[:cut].rstrip(), post[cut:].strip()


def _pre_words(pre: str) -> list[str]:
    words = pre.split()
    while words and words[0] in BODY_NOT_OPENERS:
        words = words[1:]
    return words


def find_bodies(text: str) -> list[tuple[str, str, int]]:
    """(name, acronym, end offset) of each body named in English in `text`."""
    found = []
    for match in BODY_RE.finditer(text):
        acronym = match.group("acr") or ""
        post = re.sub(_ACRONYM, "", match.group("post"))
        post, rest = _cut_at_country(post)
        words = [*_pre_words(match.group("pre")), match.group("head")]
        name = " ".join(words) + post
        if len(name.split()) < 2 or _EVENT_WORDS.search(name):
            continue
        if (
            match.group("head") in _STATE_HEADS
            and not rest
            and post == _cut_at_country(post)[0]
            and not _has_country(name)
        ):
            continue  # "Government of CICA Member States": a state's body names its state
        end = match.end() - len(rest) - (1 if rest else 0)
        found.append((name, acronym, end))
    return found


_RU_HEADS = "|".join(sorted(BODY_HEADS_RU, key=len, reverse=True))
_RU_WORD = r"(?:[А-ЯЁA-Z][\w-]*|[а-яё]+(?:ых|их|ой|ей|ы|и|а|я|ов|ев|ия|ии|ого|его|ства)|дел)"
BODY_RU_RE = re.compile(rf"\b(?P<head>{_RU_HEADS})[а-яё]*(?P<rest>(?:[ ]+{_RU_WORD}){{1,5}})")


def find_bodies_ru(text: str) -> list[str]:
    """Bodies named in Russian, in the nominative ("Министерству обороны" -> "Министерство
    обороны"); a country shared by two joined by "и" is given to both."""
    spans = []
    for match in BODY_RU_RE.finditer(text):
        head = match.group("head") + BODY_HEADS_RU[match.group("head")]
        spans.append([head + match.group("rest"), match.start(), match.end()])
    for first, second in zip(spans, spans[1:], strict=False):
        joined = text[first[2] : second[1]].strip() == "и"
        country = re.search(r"Республик[аиеу] [А-ЯЁ]\w+$", second[0])
        if joined and country and not re.search(r"[А-ЯЁ]", first[0][1:]):
            first[0] += " " + country.group(0).replace("Республику", "Республики")
    return [name for name, _, _ in spans]


_PERSON_AFTER = re.compile(
    r"^[ ]+(?P<name>[A-Z][a-z’'-]+(?:[ ]+[A-Z][a-z’'-]+){1,2})(?=[ ]*[,.;:)]|[ ]+[a-z]|$)"
)


def people_after_bodies(text: str, not_names: set[str], bodies=None) -> list[tuple[str, str]]:
    """(name, title) of people named right after a body (`bodies`: find_bodies(text)):
    "... of the Ministry of External Affairs of India Sanjay Verma."."""
    people = []
    for name, _, end in find_bodies(text) if bodies is None else bodies:
        match = _PERSON_AFTER.match(text[end:])
        if match and not any(w in not_names for w in match.group("name").split()):
            people.append((match.group("name"), name))
    return people
