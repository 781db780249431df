"""JSON shapes of people, organisations and media contacts in the public API."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.serializers import ModelSerializer

from core.api.serializers import PageLinkMixin, absolute

from .models import Appointment, MediaContact, Organisation, Person


class OrganisationSerializer(PageLinkMixin, ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["name", "name_ru", "acronym", "acronym_ru", "slug", "kind", "website", "url"]


class MediaContactSerializer(ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    vcard = serializers.SerializerMethodField()

    class Meta:
        model = MediaContact
        fields = ["id", "name", "role", "organisation", "phone", "email", "languages", "vcard"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_vcard(self, obj) -> str:
        return absolute(self, reverse("contacts:vcard", kwargs={"pk": obj.pk}))


class AppointmentSerializer(ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Appointment
        fields = ["role_title", "role_title_ru", "organisation", "start", "end"]


class PersonSerializer(PageLinkMixin, ModelSerializer):
    appointments = AppointmentSerializer(source="appointment_list", many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["name", "name_ru", "slug", "honorific", "aliases", "appointments", "url"]
