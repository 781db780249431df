"""Public pages. Every query starts from `public()`: the one rule of what a visitor may see."""

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from contacts.models import Appointment, MediaContact, Organisation, Person

from .filters import ReleaseFilter
from .models import Event, Release, ReleasePerson, Status, Topic, search_terms

LIST_PAGE_SIZE = 20


def release_detail_queryset():
    """Public and withdrawn releases, with everything the detail page shows prefetched."""
    visible = Release.objects.public() | Release.objects.withdrawn()
    return visible.prefetch_related(
        Prefetch(
            "mentions",
            queryset=ReleasePerson.objects.select_related("person").prefetch_related(
                Prefetch(
                    "person__appointments",
                    queryset=Appointment.objects.select_related("organisation"),
                )
            ),
        ),
        "organisations",
        "topics",
        Prefetch("events", queryset=Event.objects.public()),
        Prefetch("media_contacts", queryset=MediaContact.objects.filter(active=True)),
    )


class HomeView(TemplateView):
    template_name = "releases/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest=Release.objects.public()[:8],
            upcoming=Event.objects.public().upcoming(timezone.localdate())[:5],
            contacts=MediaContact.objects.filter(active=True),
            **kwargs,
        )


class ReleaseListView(ListView):
    template_name = "releases/release_list.html"
    paginate_by = LIST_PAGE_SIZE
    context_object_name = "releases"

    def get_queryset(self):
        self.filterset = ReleaseFilter(self.request.GET or None, queryset=Release.objects.public())
        if self.filterset.is_bound and not self.filterset.is_valid():
            return Release.objects.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class ReleaseDetailView(DetailView):
    template_name = "releases/release_detail.html"
    context_object_name = "release"

    def get_queryset(self):
        return release_detail_queryset()

    def get_context_data(self, **kwargs):
        release = self.object
        return super().get_context_data(withdrawn=release.status == Status.WITHDRAWN, **kwargs)


class EventListView(TemplateView):
    template_name = "releases/event_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        events = Event.objects.public()
        return super().get_context_data(
            upcoming=events.upcoming(today), past=events.past(today)[:100], **kwargs
        )


class EventDetailView(DetailView):
    template_name = "releases/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.public().prefetch_related(
            "hosts", "topics", Prefetch("releases", queryset=Release.objects.public())
        )


class PersonListView(ListView):
    template_name = "releases/person_list.html"
    context_object_name = "people"
    paginate_by = 100

    def get_queryset(self):
        # Who's who lists the people the public releases speak of.
        return Person.objects.public().prefetch_related(
            Prefetch("appointments", queryset=Appointment.objects.select_related("organisation"))
        )


class PersonDetailView(DetailView):
    template_name = "releases/person_detail.html"
    context_object_name = "person"
    queryset = Person.objects.public().prefetch_related(
        Prefetch("appointments", queryset=Appointment.objects.select_related("organisation"))
    )

    def get_context_data(self, **kwargs):
        releases = Release.objects.public().filter(people=self.object)
        return super().get_context_data(releases=releases, **kwargs)


class OrganisationDetailView(DetailView):
    template_name = "releases/organisation_detail.html"
    context_object_name = "organisation"
    queryset = Organisation.objects.public()

    def get_context_data(self, **kwargs):
        org = self.object
        return super().get_context_data(
            releases=Release.objects.public().filter(organisations=org)[:50],
            events=Event.objects.public()
            .filter(Q(hosts=org) | Q(releases__organisations=org))
            .distinct()[:50],
            **kwargs,
        )


class TopicDetailView(DetailView):
    template_name = "releases/topic_detail.html"
    context_object_name = "topic"
    queryset = Topic.objects.public()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            releases=Release.objects.public().filter(topics=self.object)[:50],
            events=Event.objects.public().filter(topics=self.object)[:50],
            **kwargs,
        )


class SearchView(TemplateView):
    """Releases and events matching a query, best first; the matched words highlighted."""

    template_name = "releases/search.html"
    max_results = 50

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:200]
        terms = search_terms(query)
        releases = Release.objects.public().search(query)[: self.max_results] if terms else []
        events = Event.objects.public().search(query)[: self.max_results] if terms else []
        return super().get_context_data(
            query=query, terms=terms, releases=releases, events=events, **kwargs
        )
