"""Slugs and field lengths: one way to make a free slug, and values cut to their column."""

from django.utils.text import slugify

from .transliteration import transliterate

SLUG_BASE_MAX = 80


def unique_slug(
    model, text: str, *, field: str = "slug", fallback: str = "item", limit: int = SLUG_BASE_MAX
) -> str:
    """A Latin slug for `text` (Cyrillic transliterated), cut at a word, not yet used by a row
    of `model`: "text", then "text-2", "text-3"..."""
    base = slugify(transliterate(text))
    limit = min(limit, model._meta.get_field(field).max_length - 6)
    if len(base) > limit:
        base = base[: limit + 1].rsplit("-", 1)[0]
    base = base.strip("-") or fallback
    taken = set(
        model.objects.filter(**{f"{field}__startswith": base}).values_list(field, flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def fit(model, field: str, value: str) -> str:
    """`value` cut to the length of `model.field`'s column."""
    return (value or "")[: model._meta.get_field(field).max_length]
