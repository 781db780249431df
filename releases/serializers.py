"""JSON shapes of releases, events and topics in the public API."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.serializers import ModelSerializer

from contacts.serializers import MediaContactSerializer, OrganisationSerializer
from core.api.serializers import PageLinkMixin, absolute
from editorial.models import ChangeNote
from editorial.serializers import KeptRowsListSerializer, KeptRowsMixin, TranslationsMixin
from library.serializers import DocumentSerializer, ImageSerializer

from .models import Event, Release, ReleasePerson, Topic, event_links, release_links


class TopicSerializer(PageLinkMixin, ModelSerializer):
    class Meta:
        model = Topic
        fields = ["name", "slug", "url"]


class MentionSerializer(ModelSerializer):
    """A person as a release names them, with the title they held on the release's date."""

    name = serializers.CharField(source="person.name")
    slug = serializers.CharField(source="person.slug")
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = ReleasePerson
        fields = ["name", "slug", "honorific", "title", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return absolute(self, obj.person.get_absolute_url())


class EventSummarySerializer(PageLinkMixin, ModelSerializer):
    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "start_date",
            "end_date",
            "date_precision",
            "city",
            "country",
            "url",
        ]


class ChangeNoteSerializer(ModelSerializer):
    date = serializers.DateTimeField(source="created_at")

    class Meta:
        model = ChangeNote
        fields = ["date", "note"]


def gallery(serializer, item) -> list:
    return [
        ImageSerializer(entry.image, context=serializer.context).data for entry in item.gallery_list
    ]


class PlaceField(serializers.Serializer):
    city = serializers.CharField()
    country = serializers.CharField()


class ReleaseSerializer(KeptRowsMixin, TranslationsMixin, PageLinkMixin, ModelSerializer):
    api_route = "release-detail"
    link_lookups = staticmethod(release_links)

    place = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(source="publish_at")
    body_markdown = serializers.CharField(source="body")
    body_html = serializers.CharField(
        read_only=True,
        help_text="The body rendered from Markdown and sanitised, as the website shows it.",
    )
    people = MentionSerializer(source="mention_list", many=True, read_only=True)
    organisations = OrganisationSerializer(source="organisation_list", many=True, read_only=True)
    topics = TopicSerializer(source="topic_list", many=True, read_only=True)
    events = EventSummarySerializer(source="event_list", many=True, read_only=True)
    media_contacts = MediaContactSerializer(source="contact_list", many=True, read_only=True)
    change_notes = ChangeNoteSerializer(source="note_list", many=True, read_only=True)
    image = ImageSerializer(source="lead_image", read_only=True, allow_null=True)
    gallery = serializers.SerializerMethodField()
    documents = DocumentSerializer(source="document_list", many=True, read_only=True)

    class Meta:
        model = Release
        list_serializer_class = KeptRowsListSerializer
        fields = [
            "slug",
            "url",
            "title",
            "kind",
            "language",
            "date",
            "date_end",
            "place",
            "lead",
            "body_markdown",
            "body_html",
            "published_at",
            "updated_at",
            "people",
            "organisations",
            "topics",
            "events",
            "media_contacts",
            "change_notes",
            "image",
            "gallery",
            "documents",
            "translations",
        ]

    @extend_schema_field(ImageSerializer(many=True))
    def get_gallery(self, obj) -> list:
        return gallery(self, obj)

    @extend_schema_field(PlaceField)
    def get_place(self, obj) -> dict:
        return {"city": obj.city, "country": obj.country}


class EventSerializer(KeptRowsMixin, TranslationsMixin, PageLinkMixin, ModelSerializer):
    api_route = "event-detail"
    link_lookups = staticmethod(lambda: event_links(releases=False))

    hosts = OrganisationSerializer(source="host_list", many=True, read_only=True)
    topics = TopicSerializer(source="topic_list", many=True, read_only=True)
    status = serializers.CharField(source="event_status")
    ical = serializers.SerializerMethodField()
    change_notes = ChangeNoteSerializer(source="note_list", many=True, read_only=True)
    image = ImageSerializer(source="lead_image", read_only=True, allow_null=True)
    gallery = serializers.SerializerMethodField()
    documents = DocumentSerializer(source="document_list", many=True, read_only=True)

    class Meta:
        model = Event
        list_serializer_class = KeptRowsListSerializer
        fields = [
            "slug",
            "url",
            "ical",
            "title",
            "kind",
            "language",
            "start_date",
            "end_date",
            "date_precision",
            "city",
            "country",
            "venue",
            "format",
            "status",
            "description",
            "hosts",
            "topics",
            "updated_at",
            "change_notes",
            "image",
            "gallery",
            "documents",
            "translations",
        ]

    @extend_schema_field(ImageSerializer(many=True))
    def get_gallery(self, obj) -> list:
        return gallery(self, obj)

    @extend_schema_field(OpenApiTypes.URI)
    def get_ical(self, obj) -> str:
        return absolute(self, reverse("releases:event-ics", kwargs={"slug": obj.slug}))
