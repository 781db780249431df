"""Language versions of a publishable item: each its own record, linked by `translation_group`
and pointing at its original through `translation_of`.

A model says what a translation copies: `TRANSLATED_FIELDS` (text and facts), `TRANSLATED_LINKS`
(many-to-many links), and `copy_translation_extras(original)` for anything else.
"""

from collections import defaultdict

from core.slugs import unique_slug
from core.statements import Load, Statement

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
    sitemap). Items loaded with their groups' versions (`group_versions()`, as the API loads
    them with their links) need no query; else one query reads only the versions that are not
    among `items`, which are at hand: most items have no other version, and a page of them
    reads no rows."""
    found = defaultdict(list)
    for version in items:
        found[version.translation_group].append(version)
    ids = {item.pk for item in items}
    if all(hasattr(item, "group_versions") for item in items):
        others = {
            version.pk: version
            for item in items
            for version in item.group_versions
            if version.pk not in ids
        }.values()
    else:
        groups = sorted({item.translation_group for item in items})
        others = _others_statement(model).run(groups=groups, ids=sorted(ids)) if groups else []
    for version in others:
        found[version.translation_group].append(version)
    for versions in found.values():
        versions.sort(key=lambda version: (version.language, version.pk))
    return found


def _others_statement(model) -> Statement:
    if model not in _GROUPS_VERSIONS:
        _GROUPS_VERSIONS[model] = Statement(
            lambda groups, ids: (
                model.objects.public()
                .filter(translation_group__in=groups)
                .exclude(pk__in=ids)
                .only("slug", "language", "translation_group")
            )
        )
    return _GROUPS_VERSIONS[model]


_GROUPS_VERSIONS: dict = {}  # a statement per model


def group_versions(model, items) -> Load:
    """The public versions of `items`' translation groups (each item's own included, if it is
    public) as each item's `group_versions`: what `public_versions()` and `language_versions()`
    then read without a query of their own, loaded with the items' other links."""
    if model not in _VERSIONS:
        _VERSIONS[model] = Statement(
            lambda groups: (
                model.objects.public()
                .filter(translation_group__in=groups)
                .only("slug", "language", "translation_group")
            )
        )
    groups = sorted({item.translation_group for item in items})
    return Load(
        items,
        "group_versions",
        _VERSIONS[model],
        {"groups": groups},
        by="translation_group",
        key="translation_group",
    )


def language_versions(item) -> dict[str, str]:
    """{language: url} of the public versions of `item` (itself included)."""
    versions = getattr(item, "group_versions", None)
    if versions is None:
        load = group_versions(type(item), [item])
        versions = load.statement.run(**load.values)
    found = {v.language: v.get_absolute_url() for v in versions}
    found[item.language] = item.get_absolute_url()
    return found


_VERSIONS: dict = {}  # a statement per model


class TranslationLinksMixin:
    """API viewsets: looks up the language versions of everything a response shows, in one
    query, for the serializer's `translations` field."""

    def get_serializer(self, *args, **kwargs):
        if args:
            items = list(args[0]) if kwargs.get("many") else [args[0]]
            kwargs.setdefault("context", self.get_serializer_context())
            model = self.get_serializer_class().Meta.model
            kwargs["context"]["versions"] = public_versions(model, items)
        return super().get_serializer(*args, **kwargs)
