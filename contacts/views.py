"""Who's who, organisation pages and media contacts (with a vCard each).

Releases and events appear here through the reverse relations and their shared `public()`
QuerySet: this app never imports the releases app."""

import vobject
from django.core.paginator import InvalidPage
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from core.caching import TaggedViewMixin
from core.web.pagination import SharedCountMixin, SharedCountPaginator
from library.models import Image, with_renditions

from .models import MediaContact, Organisation, Person

LINKED_SHOWN = 50


class PersonListView(SharedCountMixin, TaggedViewMixin, ListView):
    cache_tags = ("people",)
    template_name = "contacts/person_list.html"
    query_params = frozenset({"page"})
    context_object_name = "people"
    paginate_by = 100

    def get_queryset(self):
        # Who's who lists the people the public releases speak of.
        return Person.objects.public().with_public_appointments()


def releases_naming(person: int, language: str):
    """The public releases in `language` that name a person, as their list items show them,
    read in a bounded time however rarely the person is named (`naming()`; the releases are
    reached through the relation: this app does not import the releases app)."""
    mentions = Person.releases.field  # Release.people
    releases = mentions.model.objects.public().in_language(language)
    return releases.naming(mentions.name, person).listed()


class PersonDetailView(TaggedViewMixin, DetailView):
    template_name = "contacts/person_detail.html"
    context_object_name = "person"
    query_params = frozenset({"page"})
    releases_per_page = 20

    def get_queryset(self):
        portrait = Image.objects.prefetch_related(with_renditions())
        return (
            Person.objects.public()
            .with_public_appointments()
            .prefetch_related(Prefetch("portrait", queryset=portrait))
        )

    def get_context_data(self, **kwargs):
        # A page at a time: a Secretary General is named in thousands of releases.
        language = get_language()
        releases = releases_naming(self.object.pk, language)
        paginator = SharedCountPaginator(releases, self.releases_per_page)
        paginator.count_memo = ("person-releases", self.object.pk, language)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage:
            raise Http404("No such page of releases.") from None
        return super().get_context_data(releases=page, page_obj=page, **kwargs)


class OrganisationDetailView(TaggedViewMixin, DetailView):
    cache_tags = ("events", "people")  # events linked through releases; appointments there
    template_name = "contacts/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.public()

    def get_context_data(self, **kwargs):
        org = self.object
        language = get_language()
        # Releases and events are reached through the relations (this app does not import the
        # releases app): Release.organisations, Event.hosts.
        naming, hosting = Organisation.releases.field, Organisation.hosted_events.field
        releases = naming.model.objects.public().naming(naming.name, org)
        events = hosting.model.objects.public().in_language(language).listed()
        # Events it hosts, and events of public releases naming it (a draft's links are not
        # shown), each a check on the event: no join multiplying events by their releases.
        hosted = hosting.remote_field.through.objects.filter(event=OuterRef("pk"), organisation=org)
        reported = naming.model.events.through.objects.filter(release__in=releases)
        linked = Q(Exists(hosted)) | Q(pk__in=reported.values("event"))
        return super().get_context_data(
            releases=releases.in_language(language)[:LINKED_SHOWN],
            events=events.filter(linked)[:LINKED_SHOWN],
            **kwargs,
        )


class MediaContactListView(TaggedViewMixin, ListView):
    cache_tags = ("contacts",)
    template_name = "contacts/media_contact_list.html"
    context_object_name = "contacts"

    def get_queryset(self):
        return MediaContact.objects.public().select_related("organisation")


def vcard(request, pk):
    """The contact as a vCard 3.0 file for an address book."""
    contact = get_object_or_404(MediaContact.objects.public().select_related("organisation"), pk=pk)
    card = vobject.vCard()
    card.add("fn").value = contact.name
    given, _, family = contact.name.rpartition(" ")
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    if contact.role:
        card.add("title").value = contact.role
    card.add("org").value = [
        contact.organisation.name if contact.organisation else "CICA Secretariat"
    ]
    if contact.phone:
        tel = card.add("tel")
        tel.value = contact.phone
        tel.type_param = "WORK"
    if contact.email:
        email = card.add("email")
        email.value = contact.email
        email.type_param = "INTERNET"
    response = HttpResponse(card.serialize(), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cica-media-contact-{contact.pk}.vcf"'
    return response
