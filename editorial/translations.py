"""Language versions of a publishable item: each its own record, linked by `translation_group`
and pointing at its original through `translation_of`.

A model says what a translation copies: `TRANSLATED_FIELDS` (text and facts), `TRANSLATED_LINKS`
(many-to-many links), and `copy_translation_extras(original)` for anything else.
"""

import difflib
from collections import defaultdict

from django.db.models import Exists, F, OuterRef
from django.utils.translation import get_language_info

from core.text.slugs import unique_slug

from .models import Status


def translate(source, language: str, user):
    """A draft `language` version of `source`, pre-filled with the original's text and links,
    for a translator to rewrite. Its original is `source`'s original."""
    original = source.original
    copy = _draft_copy(
        original,
        user,
        slug_base=f"{original.slug}-{language}",
        reason=f"translation of “{original}” made",
        language=language,
        translation_group=original.translation_group,
        translation_of=original,
    )
    copy.copy_translation_extras(original)
    return copy


def propose_correction(live, user):
    """A draft copy of the live item `live`, for an editor to correct and a publisher to apply
    (`workflow.apply_correction`). It is its own record, never published: `correction_of`."""
    copy = _draft_copy(
        live,
        user,
        slug_base=f"{live.slug}-correction",
        reason=f"correction of “{live}” proposed",
        language=live.language,
        correction_of=live,
    )
    copy.copy_correction_extras(live)
    return copy


def _draft_copy(source, user, *, slug_base: str, reason: str, **fields):
    """A new draft with `source`'s text (`TRANSLATED_FIELDS`) and links (`TRANSLATED_LINKS`),
    and `fields`; saved with `reason` in its history."""
    model = type(source)
    slug_field = model._meta.get_field("slug")
    copy = model(
        **{name: getattr(source, name) for name in model.TRANSLATED_FIELDS},
        **fields,
        status=Status.DRAFT,
        slug=unique_slug(model, slug_base, limit=slug_field.max_length - 6),
        created_by=user,
        updated_by=user,
    )
    copy._history_user = user
    copy._change_reason = reason
    copy.save()
    for name in model.TRANSLATED_LINKS:
        getattr(copy, name).set(getattr(source, name).all())
    return copy


def public_versions(model, items) -> dict:
    """{translation_group: [public version, ...]} for `items` (public ones), by language (API,
    sitemap), in one query that reads only the versions not among `items` (most items have no
    other version, and a page of them reads no rows)."""
    found = defaultdict(list)
    for version in items:
        found[version.translation_group].append(version)
    groups = {item.translation_group for item in items}
    if groups:
        others = (
            model.objects.public()
            .filter(translation_group__in=groups)
            .exclude(pk__in=[item.pk for item in items])
            .only("slug", "language", "translation_group")
        )
        for version in others:
            found[version.translation_group].append(version)
    for versions in found.values():
        versions.sort(key=lambda version: (version.language, version.pk))
    return found


def language_versions(item) -> dict[str, str]:
    """{language: url} of the public versions of `item` (itself included)."""
    versions = (
        type(item)
        .objects.public()
        .filter(translation_group=item.translation_group)
        .exclude(pk=item.pk)
        .only("slug", "language", "translation_group")
    )
    found = {v.language: v.get_absolute_url() for v in versions}
    found[item.language] = item.get_absolute_url()
    return found


def changes_since(version) -> list[tuple[str, str]]:
    """What the original's words became since `version`'s own last change: (field name, a
    unified diff) for each text field that changed; [] when it needs no update."""
    original = version.translation_of
    if original is None or not version.needs_update:
        return []
    try:
        then = original.history.as_of(version.text_changed_at)
    except original.DoesNotExist:  # no revision that old: all of it is new to the translation
        then = None
    changes = []
    for name in type(original).TEXT_FIELDS:
        old = getattr(then, name, "") if then is not None else ""
        new = getattr(original, name)
        if (old or "") != (new or ""):
            lines = difflib.unified_diff(
                (old or "").splitlines(), (new or "").splitlines(), lineterm="", n=1
            )
            label = type(original)._meta.get_field(name).verbose_name
            changes.append((label, "\n".join(list(lines)[2:])))  # without the ---/+++ header
    return changes


def missing_in(queryset, language: str):
    """The originals of `queryset` (in another language) with no version in `language`."""
    versions = queryset.model.objects.filter(
        translation_group=OuterRef("translation_group"), language=language
    )
    return (
        queryset.filter(translation_of__isnull=True)
        .exclude(language=language)
        .exclude(Exists(versions))
    )


def needing_update(queryset):
    """The translations of `queryset` whose original's words changed after their own."""
    return queryset.filter(translation_of__text_changed_at__gt=F("text_changed_at"))


def language_name(code: str) -> str:
    """A language's name in the reader's language ("Russian", "русский")."""
    return get_language_info(code)["name_translated"]
