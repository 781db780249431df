"""The API's `translations` field: an item's other public language versions."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.serializers import absolute


class TranslationLinkSerializer(serializers.Serializer):
    language = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.URLField(help_text="The version's page on the website.")
    api_url = serializers.URLField(help_text="The version in this API.")


class TranslationsMixin(serializers.Serializer):
    """`translations`: the other public language versions of the item (the view looks them up
    for a whole page at once and passes them in the context as `versions`)."""

    translations = serializers.SerializerMethodField()
    api_route = ""

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
