"""Names in the reader's language: a record keeps its English `name` and a Russian `name_ru`."""

import re


def is_cyrillic(text: str) -> bool:
    """Whether `text` has a Cyrillic letter (words of a Russian text)."""
    return bool(re.search("[а-яА-ЯёЁ]", text or ""))


class LocalNameMixin:
    """`name_in(language)`: the Russian name on Russian pages when it is known, else the English."""

    def name_in(self, language: str) -> str:
        return self.name_ru if language == "ru" and self.name_ru else self.name
