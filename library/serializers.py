"""Pictures and documents in the API: what a client needs to show them (alt text, caption,
credit, the renditions' addresses) and to offer a download (title, type, size)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.serializers import ModelSerializer

from core.api.serializers import absolute

from .models import Document, Image


class RenditionField(serializers.Serializer):
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    format = serializers.ChoiceField(choices=["webp", "jpg"])
    url = serializers.URLField()


class ImageSerializer(ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The cleaned original.")
    renditions = serializers.SerializerMethodField()

    class Meta:
        model = Image
        fields = [
            "alt_text",
            "alt_text_ru",
            "caption",
            "caption_ru",
            "credit",
            "taken_on",
            "width",
            "height",
            "url",
            "renditions",
        ]

    def get_url(self, obj) -> str:
        return absolute(self, obj.url())

    @extend_schema_field(RenditionField(many=True))
    def get_renditions(self, obj) -> list:
        return [
            {
                "width": r.width,
                "height": r.height,
                "format": r.format,
                "url": absolute(self, obj.url(f"{r.width}.{r.format}")),
            }
            for r in obj.rendition_list
        ]


class DocumentSerializer(ModelSerializer):
    type = serializers.CharField(source="content_type")
    size = serializers.IntegerField(help_text="In bytes.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["title", "language", "type", "size", "url"]

    def get_url(self, obj) -> str:
        return absolute(self, obj.url())
