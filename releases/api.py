"""The public JSON API for releases, events and topics: only ever what `public()` returns."""

import django_filters

from core.api.filtering import StrictFilterBackend
from core.api.viewsets import (
    PagePagination,
    PublicReadOnlyViewSet,
    StrictOrderingFilter,
)
from core.caching import memoized

from . import serializers
from .filters import EventFilter, ReleaseFilter
from .models import Event, Release, Topic


class ReleaseCursorPagination(PublicReadOnlyViewSet.cursor_pagination):
    """Cursor pages: no COUNT over the whole table, and stable while new releases are published."""

    ordering = ("-publish_at", "-pk")


class ApiReleaseFilter(ReleaseFilter):
    search = django_filters.CharFilter(
        method="filter_search", label="Words the release must contain"
    )

    class Meta(ReleaseFilter.Meta):
        pass


class ApiEventFilter(EventFilter):
    search = django_filters.CharFilter(method="filter_search", label="Words the event must contain")

    class Meta(EventFilter.Meta):
        pass


class ReleaseViewSet(PublicReadOnlyViewSet):
    """Public press releases, statements, speeches and news, newest published first."""

    list_cache_tags = ("releases",)

    filterset_class = ApiReleaseFilter
    pagination_class = ReleaseCursorPagination
    filter_backends = [StrictFilterBackend, StrictOrderingFilter]
    ordering_fields = ["publish_at", "updated_at"]
    serializer_class = serializers.ReleaseSerializer

    def public_queryset(self):
        # Each row's other links: ReleaseSerializer (kept rows).
        return Release.objects.public().select_related("lead_image")

    def last_modified(self, request):
        # Two aggregates over every release: the same answer until content changes.
        return memoized(("last-change", "releases"), Release.objects.last_change)


class EventViewSet(PublicReadOnlyViewSet):
    """Public events; `upcoming=true` lists those not yet over, soonest first."""

    list_cache_tags = ("events",)

    serializer_class = serializers.EventSerializer
    filterset_class = ApiEventFilter
    pagination_class = PagePagination
    filter_backends = [StrictFilterBackend, StrictOrderingFilter]
    ordering_fields = ["start_date", "updated_at", "title"]

    def public_queryset(self):
        # Each row's other links: EventSerializer (kept rows).
        return Event.objects.public().select_related("lead_image")

    def last_modified(self, request):
        return memoized(("last-change", "events"), Event.objects.last_change)


class TopicViewSet(PublicReadOnlyViewSet):
    """Topics of public releases and events."""

    list_cache_tags = ("topics",)

    serializer_class = serializers.TopicSerializer
    pagination_class = PagePagination

    def public_queryset(self):
        return Topic.objects.public()


ROUTES = [
    ("releases", ReleaseViewSet, "release"),
    ("events", EventViewSet, "event"),
    ("topics", TopicViewSet, "topic"),
]
