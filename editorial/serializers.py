"""The API's `translations` field: an item's other public language versions."""

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import absolute
from core.caching import cache_key, cached_entries, purges_so_far, store_entries

from .translations import public_versions


class TranslationLinkSerializer(serializers.Serializer):
    language = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.URLField(help_text="The version's page on the website.")
    api_url = serializers.URLField(help_text="The version in this API.")


class TranslationsMixin(serializers.Serializer):
    """`translations`: the other public language versions of the item (the view looks them up
    for a whole page at once and passes them in the context as `versions`)."""

    translations = serializers.SerializerMethodField()
    api_route = ""  # `versions` in the context: {translation group: its public versions}

    @extend_schema_field(TranslationLinkSerializer(many=True))
    def get_translations(self, obj) -> list:
        versions = self.context.get("versions", {}).get(obj.translation_group, [])
        links = []
        for version in versions:
            if version.pk == obj.pk:
                continue
            page = version.get_absolute_url()
            api = reverse(self.api_route, kwargs={"slug": version.slug})
            links.append(
                {
                    "language": version.language,
                    "slug": version.slug,
                    "url": absolute(self, page),
                    "api_url": absolute(self, api),
                }
            )
        return links


class KeptRowsListSerializer(serializers.ListSerializer):
    """A page of items whose rows are kept (`KeptRowsMixin`): looked up together, and only
    the items whose row is missing or old are read and written."""

    def to_representation(self, data):
        return self.child.rows(list(data))


class KeptRowsMixin:
    """An API item's answer kept in the cache until something it shows changes: its page tags
    (the item, its language versions and every record it names: `core.caching`) or the
    content version (a scheduled item going live). After a publish a list's answer is made
    again, but only the new item's row is read and written; the others come from the cache.
    The viewset reads the items alone: their links (`link_lookups()`) are prefetched here for
    the rows that are missing, with the language versions `translations` names."""

    link_lookups = staticmethod(lambda: [])

    def to_representation(self, instance):
        return self.rows([instance])[0]

    def rows(self, items: list) -> list:
        request = self.context.get("request")
        base = request.build_absolute_uri("/") if request is not None else ""
        keys = {
            item.pk: cache_key("row", type(item)._meta.label, str(item.pk), get_language(), base)
            for item in items
        }
        found = cached_entries(list(keys.values()))
        missing = [item for item in items if keys[item.pk] not in found]
        if missing:
            since = purges_so_far()
            prefetch_related_objects(missing, *self.link_lookups())
            self.context["versions"] = public_versions(type(missing[0]), missing)
            made = {}
            for item in missing:
                tags = item.page_tags()
                made[keys[item.pk]] = (tags, (super().to_representation(item), sorted(tags)))
            store_entries(made, rendered_since=since)
            found.update({key: payload for key, (_tags, payload) in made.items()})
        shown = self.context.get("shown_tags")
        if shown is not None:  # what the answer shows, for its own cache tags
            shown.update(tag for item in items for tag in found[keys[item.pk]][1])
        return [found[keys[item.pk]][0] for item in items]
