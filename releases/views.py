"""Public pages. Every query starts from `public()`: the one rule of what a visitor may see."""

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from contacts.models import MediaContact
from core.caching import TaggedViewMixin, canonical_query, memoized, tag_headers
from core.caching.edge import MEDIA
from core.web.pagination import CappedPaginator, SharedCountMixin
from editorial.models import Status, search_terms
from editorial.translations import language_versions

from . import kits
from .filters import ReleaseFilter
from .models import Event, PreviewLink, Release, Topic

LIST_PAGE_SIZE = 20


def public_releases():
    """Public releases in the language of the page being shown."""
    return public_in(Release, get_language())


def public_events():
    """Public events in the language of the page being shown."""
    return public_in(Event, get_language())


def public_in(model, language: str):
    return model.objects.public().in_language(language)


def upcoming_in(language: str, today):
    return public_in(Event, language).listed().upcoming(today)


def past_in(language: str, today):
    return public_in(Event, language).listed().past(today)


class LanguageVersionMixin:
    """A detail page in one language: shown under its own language's address, and telling the
    switcher which other languages have a version of it."""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.language != get_language():
            return redirect(self.object, permanent=False)
        request.language_versions = language_versions(self.object)
        return self.render_to_response(self.get_context_data(object=self.object))


class HomeView(TaggedViewMixin, TemplateView):
    """The latest releases, the next events and the media contacts."""

    cache_tags = ("releases", "events", "contacts")
    template_name = "releases/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest=public_releases().listed()[:8],
            upcoming=upcoming_in(get_language(), timezone.localdate())[:5],
            contacts=MediaContact.objects.public(),
            **kwargs,
        )


class ReleaseListView(SharedCountMixin, TaggedViewMixin, ListView):
    cache_tags = ("releases",)
    template_name = "releases/release_list.html"
    query_params = frozenset({*ReleaseFilter.base_filters, "page"})
    paginate_by = LIST_PAGE_SIZE
    paginator_class = (
        CappedPaginator  # "more than 10000": counting them all cost more than the page
    )
    context_object_name = "releases"

    def get_queryset(self):
        if self.request.GET.keys().isdisjoint(ReleaseFilter.base_filters):
            # No filter asked for (the list as it opens, and its pages): no filter set to build
            # (a millisecond or two of copying its twelve filters), and its fields are the same
            # for everyone: written once per language and content change.
            self.filterset = None
            return public_releases().listed()
        self.filterset = ReleaseFilter(self.request.GET, queryset=public_releases().listed())
        if not self.filterset.is_valid():
            return Release.objects.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        if self.filterset is None:
            fields = memoized(("release-filter-fields", get_language()), self.unfiltered_fields)
            return super().get_context_data(filter_fields=fields, **kwargs)
        # The fields as this query fills them (its values chosen, its errors said), written once
        # per content change: the person and organisation lists are hundreds of options.
        query, _dropped = canonical_query(self.request, self.query_params - {"page"})
        fields = memoized(
            ("release-filter-fields", get_language(), query),
            lambda: self.filter_fields(self.filterset),
        )
        return super().get_context_data(filter_fields=fields, **kwargs)

    def unfiltered_fields(self) -> str:
        return self.filter_fields(ReleaseFilter(None, queryset=Release.objects.none()))

    @staticmethod
    def filter_fields(filterset) -> str:
        # What the engine wrote is markup, its values escaped: written as it is on the page.
        return mark_safe(render_to_string("releases/_release_filters.html", {"filter": filterset}))


class ReleaseDetailView(LanguageVersionMixin, TaggedViewMixin, DetailView):
    template_name = "releases/release_detail.html"
    context_object_name = "release"

    def get_queryset(self):
        return Release.objects.addressable().with_links()

    def get_context_data(self, **kwargs):
        release = self.object
        withdrawn = release.status == Status.WITHDRAWN
        kit = None if withdrawn else kits.current(release)
        return super().get_context_data(withdrawn=withdrawn, media_kit=kit, **kwargs)


class EventListView(SharedCountMixin, TaggedViewMixin, ListView):
    """Upcoming events, soonest first, a page at a time; the latest past ones below, with a
    link to all of them (their own paginated list)."""

    template_name = "releases/event_list.html"
    cache_tags = ("events",)
    query_params = frozenset({"page"})
    paginate_by = LIST_PAGE_SIZE
    context_object_name = "upcoming"
    past_shown = 5

    def get_queryset(self):
        return upcoming_in(get_language(), timezone.localdate())

    def get_context_data(self, **kwargs):
        past = past_in(get_language(), timezone.localdate())[: self.past_shown]
        return super().get_context_data(past=past, **kwargs)


class PastEventListView(SharedCountMixin, TaggedViewMixin, ListView):
    cache_tags = ("events",)
    template_name = "releases/event_past.html"
    query_params = frozenset({"page"})
    paginate_by = LIST_PAGE_SIZE
    context_object_name = "past"

    def get_queryset(self):
        return past_in(get_language(), timezone.localdate())


class EventDetailView(LanguageVersionMixin, TaggedViewMixin, DetailView):
    template_name = "releases/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return Event.objects.public().with_links()

    def get_context_data(self, **kwargs):
        return super().get_context_data(media_kit=kits.current(self.object), **kwargs)


@require_safe
def media_kit(request, kind: str, slug: str):
    """The zip of a public release's or event's pictures and documents (releases/kits.py)."""
    model = {"release": Release, "event": Event}[kind]
    item = get_object_or_404(model.objects.public().with_links(), slug=slug)
    kit = kits.current(item)
    if kit is None:
        raise Http404("No media kit for this item yet.")
    storage = kit.file.storage
    if getattr(storage, "querystring_auth", False):  # S3: a signed, expiring address
        response = HttpResponseRedirect(storage.url(kit.file.name))
    else:
        response = FileResponse(
            kit.file.open("rb"), as_attachment=True, filename=f"{item.slug}.zip"
        )
    response["Cache-Control"] = "public, max-age=300"
    tag_headers(response, {MEDIA, f"{kind}:{item.pk}"})
    return response


class TopicDetailView(TaggedViewMixin, DetailView):
    template_name = "releases/topic_detail.html"
    context_object_name = "topic"

    def get_queryset(self):
        return Topic.objects.public()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            releases=public_releases().naming("topics", self.object).listed()[:50],
            events=public_events().listed().naming("topics", self.object)[:50],
            **kwargs,
        )


class SearchView(TaggedViewMixin, TemplateView):
    """Releases and events matching a query, best first; the matched words highlighted."""

    template_name = "releases/search.html"
    cache_tags = ("releases", "events")
    query_params = frozenset({"q"})
    max_results = 20  # the best of each; the release list pages through all (`?q=`)

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:200]
        terms = search_terms(query)
        releases = public_releases().found().search_top(query, self.max_results)
        events = public_events().listed().search_top(query, self.max_results)
        # Where the words stand: a marked excerpt of each result shown (one query per list).
        Release.objects.with_excerpts(releases, query, "lead", "body")
        Event.objects.with_excerpts(events, query, "description")
        return super().get_context_data(
            query=query,
            terms=terms,
            releases=releases,
            events=events,
            max_results=self.max_results,
            **kwargs,
        )


def preview(request, token):
    """A release not yet public, for whoever holds an editor's preview link (journalists under
    embargo): this page only, marked as such, never indexed, cached or shown once revoked."""
    link = PreviewLink.find(token)
    if link is None:
        raise Http404("This preview link is unknown, expired or revoked.")
    if link.release.is_public:
        return redirect(link.release)
    release = Release.objects.filter(pk=link.release_id).with_links().get()
    response = render(
        request,
        "releases/release_detail.html",
        {"release": release, "withdrawn": False, "preview_link": link},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"  # the address is the secret: do not pass it on
    return response
