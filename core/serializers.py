"""Serializer pieces every API object uses."""

import copy
import re
from collections.abc import Mapping

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import ManyRelatedField, PKOnlyObject, RelatedField

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


# DRF's ModelSerializer, its fields made from the model once per class, not per instance, and
# read off each object along a plan made once per serializer.
#
# DRF makes a ModelSerializer's fields from the model's (their kinds, choices, lengths) for every
# serializer instance, so on every request and for every nested serializer: that was a third of
# the time to serialise one release with its people, organisations, topics, events and contacts
# (2.5 -> 1.6 ms). What it makes depends on the class alone (its Meta and declared fields), so
# the first instance's are kept, unbound, and each instance gets copies (`_copy_field`). Not for
# a serializer whose fields depend on its context or instance (none of ours does).
#
# `to_representation` gives what DRF's gives, byte for byte (tests compare the two on every API
# endpoint and on the unusual fields), with less work per field: an API page of twenty releases
# reads about 1,400 fields, and DRF asks of each whether the object is a Mapping (an ABC check),
# whether the value is a callable with no arguments, whether it is a primary-key stand-in,
# through generators over a mapping view (API release list 12.1 -> 9.3 ms with `_copy_field`,
# API detail 4.5 -> 3.7 ms). Here each field's way of being read is worked out once per serializer
# (`_reading`): a method field calls its bound method; a field with a plain attribute path
# follows it with getattr, falling back to DRF's reading for that field wherever DRF would do
# more (a mapping, a callable, a missing attribute or object); any other field is read DRF's way.
# No docstring: the API schema would show it as the description of every serializer without one
# of its own.
class ModelSerializer(serializers.ModelSerializer):
    def get_fields(self):
        cls = type(self)
        kept = cls.__dict__.get("_fields_made_once")
        if kept is None:
            kept = super().get_fields()
            cls._fields_made_once = kept
        return {name: _copy_field(field) for name, field in kept.items()}

    # A serializer whose answer for a row depends on the row alone (its columns, its page's
    # address) says so; within one answer (one request, one language) each such row is then
    # written once, however often it appears: a page of releases names the same organisations,
    # topics and contacts again and again.
    one_answer_per_row = False

    def to_representation(self, instance):
        if self.one_answer_per_row and instance is not None:
            written = self.root.__dict__.setdefault("_written_rows", {})
            key = (type(self), type(instance), instance.pk)
            answer = written.get(key)
            if answer is None:
                answer = written[key] = self._represent(instance)
            return answer
        return self._represent(instance)

    def _represent(self, instance):
        plan = self.__dict__.get("_reading_plan")
        if plan is None:
            plan = self._reading_plan = [_reading(self, field) for field in self._readable_fields]
        ret = {}
        for name, field, how, detail in plan:
            if how is _METHOD:
                ret[name] = None if instance is None else detail(instance)
                continue
            value = _read_path(instance, detail) if how is _PATH else _DRF_WAY
            if value is _DRF_WAY:
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                if isinstance(value, PKOnlyObject) and value.pk is None:
                    value = None
            ret[name] = None if value is None else field.to_representation(value)
        return ret


def _copy_field(field):
    """An unbound copy of `field`. A nested serializer, or a field holding a child field, is
    made anew from its arguments, as DRF copies fields; a plain field (no child, nothing but
    its arguments and the values its class worked out from them, none changed in binding or
    reading) is copied attribute by attribute, about a tenth of the cost."""
    cls = type(field)
    if (
        isinstance(field, serializers.BaseSerializer)
        or cls.__deepcopy__ is not serializers.Field.__deepcopy__
        or hasattr(field, "child")
        or hasattr(field, "child_relation")
    ):
        return copy.deepcopy(field)
    twin = cls.__new__(cls)
    twin.__dict__.update(field.__dict__)
    return twin


_METHOD, _PATH, _DRF = "method", "path", "drf"  # how a field is read (`_reading`)
_DRF_WAY = object()  # `_read_path`: this value is to be read DRF's way
_NOT_MAPPINGS: set[type] = set()  # classes seen whose instances are not Mappings


def _reading(serializer, field) -> tuple:
    """`(name, field, how, detail)`: how `serializer` reads `field` off an object."""
    cls = type(field)
    plain_reading = cls.get_attribute is serializers.Field.get_attribute
    if (
        isinstance(field, serializers.SerializerMethodField)
        and plain_reading
        and cls.to_representation is serializers.SerializerMethodField.to_representation
        and not field.source_attrs  # source "*": DRF hands the method the object itself
    ):
        return (field.field_name, field, _METHOD, getattr(serializer, field.method_name))
    if (
        plain_reading
        and field.source_attrs
        and not isinstance(field, (RelatedField, ManyRelatedField))  # primary-key stand-ins
    ):
        return (field.field_name, field, _PATH, tuple(field.source_attrs))
    return (field.field_name, field, _DRF, None)


def _read_path(instance, attrs: tuple):
    """`instance.a.b...` as DRF's `get_attribute` reads it, or `_DRF_WAY` where DRF would do
    more than getattr along the path: a mapping's item, a callable's result, a missing
    attribute or related object (the field's default, None or leaving it out)."""
    value = instance
    for attr in attrs:
        kind = type(value)
        if kind not in _NOT_MAPPINGS:
            if isinstance(value, Mapping) or value.__class__ is not kind:  # or a lazy object
                return _DRF_WAY
            _NOT_MAPPINGS.add(kind)
        try:
            value = getattr(value, attr)
        except (AttributeError, KeyError, ObjectDoesNotExist):
            return _DRF_WAY
        if callable(value):
            return _DRF_WAY
    return value
