"""Filters for release and event lists, shared by the website and the API."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema_field

from contacts.models import Organisation, Person
from core.api.filtering import SlugChoiceFilter

from .models import Event, Release, Topic


@extend_schema_field({"type": "integer", "minimum": 1992, "maximum": 2100})
class YearFilter(django_filters.NumberFilter):
    """A calendar year from CICA's founding on; anything else is refused (400), not ignored."""

    field_class = forms.IntegerField


@extend_schema_field({"type": "boolean"})
class StrictBooleanFilter(django_filters.BooleanFilter):
    """`true` or `false` (also 1/0); any other value is refused, not read as "no filter"."""

    field_class = forms.TypedChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")])
        kwargs.setdefault("coerce", lambda value: value in ("true", "1"))
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


class NamedFilter(SlugChoiceFilter):
    """A record the items link to (a topic, person, organisation, event), by its slug: the
    items naming it, read in a bounded time however rarely it is named (`naming()`)."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.naming(self.field_name, value)


class SearchMixin:
    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class ReleaseFilter(SearchMixin, django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Release.Kind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    language = django_filters.ChoiceFilter(
        choices=Release._meta.get_field("language").choices,
        label=_("Language"),
        empty_label=_("Any language"),
    )
    # Choices come from public() too: a filter must not name what visitors may not see yet.
    topic = NamedFilter(
        field_name="topics",
        queryset=lambda request: Topic.objects.public(),
        label=_("Topic"),
        empty_label=_("Any topic"),
    )
    person = NamedFilter(
        field_name="people",
        queryset=lambda request: Person.objects.public(),
        label=_("Person"),
        empty_label=_("Anyone"),
    )
    organisation = NamedFilter(
        field_name="organisations",
        queryset=lambda request: Organisation.objects.public(),
        label=_("Organisation"),
        empty_label=_("Any organisation"),
    )
    event = NamedFilter(
        field_name="events",
        queryset=lambda request: Event.objects.public(),
        label=_("Event"),
        empty_label=_("Any event"),
    )
    year = YearFilter(
        field_name="date", lookup_expr="year", min_value=1992, max_value=2100, label=_("Year")
    )
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("Dated on or after")
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("Dated on or before")
    )
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))

    class Meta:
        model = Release
        fields = []


class EventFilter(SearchMixin, django_filters.FilterSet):
    start_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    start_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")
    status = django_filters.ChoiceFilter(
        field_name="event_status", choices=Event.EventStatus.choices
    )
    format = django_filters.ChoiceFilter(choices=Event.Format.choices)
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices)
    upcoming = StrictBooleanFilter(method="filter_upcoming")

    class Meta:
        model = Event
        fields = []

    def filter_upcoming(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.upcoming(today) if value else queryset.past(today)
