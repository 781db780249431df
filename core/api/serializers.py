"""Serializer pieces every API object uses."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def absolute(serializer, path: str) -> str:
    """`path` as a full URL when the serializer has a request, else as it is."""
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class PageLinkMixin(serializers.Serializer):
    """`url`: the object's page on the public website."""

    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return absolute(self, obj.get_absolute_url())
