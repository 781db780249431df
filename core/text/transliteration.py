"""Cyrillic to Latin, for slugs and spelling-insensitive name keys."""

# Cyrillic (Russian and Kazakh letters) to Latin, for slugs and for spelling-insensitive name keys.
_TRANSLIT = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "ә": "a",
        "ө": "o",
        "ү": "u",
        "ұ": "u",
        "қ": "k",
        "ғ": "g",
        "ң": "n",
        "һ": "h",
        "і": "i",
    }
)


def transliterate(text: str) -> str:
    """Lower-case `text` with Cyrillic letters spelled in Latin ("Сарыбай" -> "sarybai")."""
    return text.lower().translate(_TRANSLIT)
