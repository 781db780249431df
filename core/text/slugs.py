"""Slugs and field lengths: one way to make a free slug, and values cut to their column."""

from django.db.models import Q
from django.utils.text import slugify

from .transliteration import transliterate

SLUG_BASE_MAX = 80


def unique_slug(
    model, text: str, *, field: str = "slug", fallback: str = "item", limit: int = SLUG_BASE_MAX
) -> str:
    """A Latin slug for `text` (Cyrillic transliterated), cut at a word, not yet used by a row
    of `model`: "text", then "text-2", "text-3"..."""
    return Slugs(model, [text], field=field, fallback=fallback, limit=limit).free(text)


class Slugs:
    """Free slugs for rows of `model` about to be written together, one per text: the slugs in
    use under their bases are read in one query, and each handed out is remembered."""

    def __init__(
        self,
        model,
        texts,
        *,
        field: str = "slug",
        fallback: str = "item",
        limit: int = SLUG_BASE_MAX,
    ):
        self.fallback = fallback
        self.limit = min(limit, model._meta.get_field(field).max_length - 6)
        wanted = Q()
        for base in {self.base(text) for text in texts}:
            wanted |= Q(**{f"{field}__startswith": base})
        self.used = (
            set(model.objects.filter(wanted).values_list(field, flat=True)) if wanted else set()
        )

    def base(self, text: str) -> str:
        base = slugify(transliterate(text))
        if len(base) > self.limit:
            base = base[: self.limit + 1].rsplit("-", 1)[0]
        return base.strip("-") or self.fallback

    def free(self, text: str) -> str:
        base = self.base(text)
        slug, n = base, 2
        while slug in self.used:
            slug, n = f"{base}-{n}", n + 1
        self.used.add(slug)
        return slug


def fit(model, field: str, value: str) -> str:
    """`value` cut to the length of `model.field`'s column."""
    return (value or "")[: model._meta.get_field(field).max_length]
