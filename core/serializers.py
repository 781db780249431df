"""Serializer pieces every API object uses."""

import copy
import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# A path `build_absolute_uri()` only puts the scheme and host before (nothing to quote or
# resolve): every page and API address the portal makes.
_PLAIN_PATH = re.compile(r"/(?!/)[-a-zA-Z0-9_/]*")


def absolute(serializer, path: str) -> str:
    """`path` as a full URL when the serializer has a request, else as it is. An API page
    names a hundred and more addresses: the scheme and host are found once per request
    (`build_absolute_uri()` parsed and quoted each address anew)."""
    request = serializer.context.get("request")
    if request is None:
        return path
    if not _PLAIN_PATH.fullmatch(path):
        return request.build_absolute_uri(path)
    base = getattr(request, "_portal_absolute_base", None)
    if base is None:
        base = request._portal_absolute_base = request.build_absolute_uri("/")[:-1]
    return base + path


class PageLinkMixin(serializers.Serializer):
    """`url`: the object's page on the public website."""

    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return absolute(self, obj.get_absolute_url())


# DRF's ModelSerializer, its fields made from the model once per class, not per instance.
#
# DRF makes a ModelSerializer's fields from the model's (their kinds, choices, lengths) for every
# serializer instance, so on every request and for every nested serializer: that was a third of
# the time to serialise one release with its people, organisations, topics, events and contacts
# (2.5 -> 1.6 ms). What it makes depends on the class alone (its Meta and declared fields), so
# the first instance's are kept, unbound, and each instance gets a deep copy (the way DRF copies
# declared fields, by making each anew from its arguments). Not for a serializer whose fields
# depend on its context or instance (none of ours does). No docstring: the API schema would show
# it as the description of every serializer without one of its own.
class ModelSerializer(serializers.ModelSerializer):
    def get_fields(self):
        cls = type(self)
        kept = cls.__dict__.get("_fields_made_once")
        if kept is None:
            kept = super().get_fields()
            cls._fields_made_once = kept
        return copy.deepcopy(kept)
