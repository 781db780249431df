"""What the parser knows of the world, read from the data files in `data/` (README: "Teaching
the importer"): places, organisations, honorifics, title words, section headers."""

import tomllib
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> dict:
    with (DATA / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


_places = _load("places")
_organisations = _load("organisations")["organisation"]
_words = _load("words")

# City as written -> country, in the text's language.
CITIES: dict[str, str] = _places["cities"]
# Country as written (long forms included) -> short name.
COUNTRIES: dict[str, str] = _places["countries"]

# (acronym, English name, Russian acronym, Russian name, kind)
ORGANISATIONS: list[tuple[str, str, str, str, str]] = [
    (o["acronym"], o["name"], o.get("acronym_ru", ""), o.get("name_ru", ""), o["kind"])
    for o in _organisations
]
# Another spelling -> the English name of the organisation it names.
ORGANISATION_ALIASES: dict[str, str] = {
    alias: o["name"] for o in _organisations for alias in o.get("also", [])
}

HONORIFICS: list[str] = _words["honorifics"]
# Words that begin an official title, as regular-expression alternatives.
TITLE_WORDS = "|".join(_words["title_words"])
TITLE_WORDS_RU = "|".join(_words["title_words_ru"])
ROLE_EQUIVALENTS_RU: dict[str, tuple[str, ...]] = {
    ru: tuple(forms) for ru, forms in _words["role_equivalents_ru"].items()
}
SECTION_HEADERS: list[tuple[str, str]] = [
    (h["pattern"], h["kind"]) for h in _words["section_header"]
]
# Capitalised words that are never part of a person's name.
NOT_NAME_WORDS: set[str] = set(_words["not_name_words"])

# What kind of text a page is (kinds.py): regular expressions by role.
KIND_PATTERNS: dict[str, list[str]] = _words["kind"]

# Words of bodies named in running text (entities.find_bodies).
BODY_HEADS: list[str] = _words["bodies"]["heads"]
BODY_HEADS_RU: dict[str, str] = _words["bodies"]["heads_ru"]
BODY_NOT_OPENERS: set[str] = set(_words["bodies"]["not_name_openers"])

# Cues that a city is where the activity took place (parser._activity_place).
PLACE_CUES: dict[str, list[str]] = _words["place"]
