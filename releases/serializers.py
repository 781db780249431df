"""JSON shapes of the public API: compact embedded objects, full releases and events."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from contacts.models import Appointment, MediaContact, Organisation, Person

from .models import ChangeNote, Event, Release, ReleasePerson, Topic
from .rendering import render_markdown


class PageLinkMixin(serializers.Serializer):
    """`url`: the object's page on the public website."""

    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


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
        request = self.context.get("request")
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
                    "url": request.build_absolute_uri(page) if request else page,
                    "api_url": request.build_absolute_uri(api) if request else api,
                }
            )
        return links


class TopicSerializer(PageLinkMixin, serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["name", "slug", "url"]


class OrganisationSerializer(PageLinkMixin, serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["name", "name_ru", "acronym", "acronym_ru", "slug", "kind", "website", "url"]


class MediaContactSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    vcard = serializers.SerializerMethodField()

    class Meta:
        model = MediaContact
        fields = ["id", "name", "role", "organisation", "phone", "email", "languages", "vcard"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_vcard(self, obj) -> str:
        request = self.context.get("request")
        path = f"/media-contacts/{obj.pk}.vcf"
        return request.build_absolute_uri(path) if request else path


class AppointmentSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Appointment
        fields = ["role_title", "role_title_ru", "organisation", "start", "end"]


class PersonSerializer(PageLinkMixin, serializers.ModelSerializer):
    appointments = AppointmentSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["name", "name_ru", "slug", "honorific", "aliases", "appointments", "url"]


class MentionSerializer(serializers.ModelSerializer):
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
        request = self.context.get("request")
        path = obj.person.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class EventSummarySerializer(PageLinkMixin, serializers.ModelSerializer):
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


class ChangeNoteSerializer(serializers.ModelSerializer):
    date = serializers.DateTimeField(source="created_at")

    class Meta:
        model = ChangeNote
        fields = ["date", "note"]


class PlaceField(serializers.Serializer):
    city = serializers.CharField()
    country = serializers.CharField()


class ReleaseSerializer(TranslationsMixin, PageLinkMixin, serializers.ModelSerializer):
    api_route = "release-detail"

    place = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(source="publish_at")
    body_markdown = serializers.CharField(source="body")
    body_html = serializers.SerializerMethodField()
    people = MentionSerializer(source="mentions", many=True, read_only=True)
    organisations = OrganisationSerializer(many=True, read_only=True)
    topics = TopicSerializer(many=True, read_only=True)
    events = EventSummarySerializer(many=True, read_only=True)
    media_contacts = MediaContactSerializer(many=True, read_only=True)
    change_notes = ChangeNoteSerializer(many=True, read_only=True)

    class Meta:
        model = Release
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
            "translations",
        ]

    @extend_schema_field(PlaceField)
    def get_place(self, obj) -> dict:
        return {"city": obj.city, "country": obj.country}

    def get_body_html(self, obj) -> str:
        """The body rendered from Markdown and sanitised, as the website shows it."""
        return str(render_markdown(obj.body))


class EventSerializer(TranslationsMixin, PageLinkMixin, serializers.ModelSerializer):
    api_route = "event-detail"

    hosts = OrganisationSerializer(many=True, read_only=True)
    topics = TopicSerializer(many=True, read_only=True)
    status = serializers.CharField(source="event_status")
    ical = serializers.SerializerMethodField()
    change_notes = ChangeNoteSerializer(many=True, read_only=True)

    class Meta:
        model = Event
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
            "translations",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_ical(self, obj) -> str:
        request = self.context.get("request")
        path = f"/events/{obj.slug}.ics"
        return request.build_absolute_uri(path) if request else path
