"""Language versions of a release or event: each its own record, linked by `translation_group`
and pointing at its original through `translation_of`."""

from collections import defaultdict

from django.utils.text import slugify

from .models import Event, Release, ReleasePerson, Status

COPIED = {
    Release: ("title", "kind", "date", "date_end", "city", "country", "lead", "body"),
    Event: (
        "title",
        "kind",
        "start_date",
        "date_precision",
        "end_date",
        "city",
        "country",
        "venue",
        "format",
        "event_status",
        "description",
    ),
}
LINKS = {
    Release: ("topics", "organisations", "events", "media_contacts"),
    Event: ("hosts", "topics"),
}


def _free_slug(model, base: str) -> str:
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def translate(source, language: str, user):
    """A draft `language` version of `source`, pre-filled with the original's text and links,
    for a translator to rewrite. Its original is `source`'s original."""
    model = type(source)
    original = source.original
    copy = model(
        **{name: getattr(original, name) for name in COPIED[model]},
        language=language,
        translation_group=original.translation_group,
        translation_of=original,
        status=Status.DRAFT,
        slug=_free_slug(model, slugify(f"{original.slug[:300]}-{language}")),
        created_by=user,
        updated_by=user,
    )
    copy._history_user = user
    copy._change_reason = f"translation of “{original}” made"
    copy.save()
    for name in LINKS[model]:
        getattr(copy, name).set(getattr(original, name).all())
    if model is Release:
        ReleasePerson.objects.bulk_create(
            ReleasePerson(
                release=copy,
                person_id=m.person_id,
                title_given=m.title_given,
                honorific=m.honorific,
                position=m.position,
            )
            for m in original.mentions.all()
        )
    return copy


def public_versions(model, items) -> dict:
    """{translation_group: [public version, ...]} for `items`, in one query (API, sitemap)."""
    groups = {item.translation_group for item in items}
    found = defaultdict(list)
    rows = (
        model.objects.public()
        .filter(translation_group__in=groups)
        .only("slug", "language", "translation_group")
        .order_by("language")
    )
    for version in rows:
        found[version.translation_group].append(version)
    return found
