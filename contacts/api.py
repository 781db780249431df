"""The public JSON API for people, organisations and media contacts."""

from core.api.viewsets import PagePagination, PublicReadOnlyViewSet

from . import serializers
from .models import MediaContact, Organisation, Person


class PersonViewSet(PublicReadOnlyViewSet):
    """People named in public releases, with their appointments over time."""

    list_cache_tags = ("people",)

    serializer_class = serializers.PersonSerializer
    pagination_class = PagePagination

    def public_queryset(self):
        return Person.objects.public().with_public_appointments()


class OrganisationViewSet(PublicReadOnlyViewSet):
    """Organisations named in public releases or hosting public events."""

    list_cache_tags = ("organisations",)

    serializer_class = serializers.OrganisationSerializer
    pagination_class = PagePagination

    def public_queryset(self):
        return Organisation.objects.public()


class MediaContactViewSet(PublicReadOnlyViewSet):
    """The press office's active media contacts."""

    list_cache_tags = ("contacts",)

    serializer_class = serializers.MediaContactSerializer
    pagination_class = PagePagination
    lookup_field = "pk"
    lookup_value_regex = r"[0-9]+"

    def public_queryset(self):
        return MediaContact.objects.public().select_related("organisation")


ROUTES = [
    ("people", PersonViewSet, "person"),
    ("organisations", OrganisationViewSet, "organisation"),
    ("media-contacts", MediaContactViewSet, "media-contact"),
]
