"""What the page and API answer of a release or an event show besides the item itself, loaded
for a page of items at once with statements (`core.statements`), one query per relation:
people with their titles, organisations, topics, public events and media contacts, pictures
with their renditions, documents and change notes.

`Release.objects.with_links()` and `Event.objects.with_links()` hand their rows to these (the
same lists `Prefetch(..., to_attr=...)` gave, in the same order); a row read some other way
reads a relation when asked (the models' `PrefetchedList`s)."""

from django.db.models import F

from contacts.models import MediaContact, Organisation, public_appointments
from core.statements import Load, Statement, load_together
from editorial.models import ChangeNote
from library.models import Document, Image, load_renditions, renditions

from .models import Event, EventImage, Release, ReleaseImage, ReleasePerson, Topic


def linked(rows, relation: str) -> Statement:
    """The rows of `rows()` that items whose ids are given link to through `relation`, each
    with the item's id as `link_owner` (a row linked to two of them comes twice)."""
    return Statement(
        lambda ids: rows().filter(**{f"{relation}__in": ids}).annotate(link_owner=F(relation))
    )


def belonging(model, item: str, *related: str) -> Statement:
    """The rows of `model` whose foreign key `item` is one of the ids given."""
    return Statement(
        lambda ids: model.objects.filter(**{f"{item}_id__in": ids}).select_related(*related)
    )


MENTIONS = belonging(ReleasePerson, "release", "person")
RELEASE_ORGANISATIONS = linked(Organisation.objects.all, "releases")
RELEASE_TOPICS = linked(Topic.objects.all, "releases")
RELEASE_EVENTS = linked(lambda: Event.objects.public().listed(), "releases")
RELEASE_CONTACTS = linked(
    lambda: MediaContact.objects.public().select_related("organisation"), "releases"
)
RELEASE_GALLERIES = belonging(ReleaseImage, "release", "image")
RELEASE_DOCUMENTS = linked(Document.objects.all, "releases")
EVENT_HOSTS = linked(Organisation.objects.all, "hosted_events")
EVENT_TOPICS = linked(Topic.objects.all, "events")
EVENT_RELEASES = linked(lambda: Release.objects.public().listed(), "events")
EVENT_GALLERIES = belonging(EventImage, "event", "image")
EVENT_DOCUMENTS = linked(Document.objects.all, "events")
IMAGES = Statement(lambda ids: Image.objects.filter(pk__in=ids))


RELEASE_LISTS = {
    "organisation_list": RELEASE_ORGANISATIONS,
    "topic_list": RELEASE_TOPICS,
    "event_list": RELEASE_EVENTS,
    "contact_list": RELEASE_CONTACTS,
    "document_list": RELEASE_DOCUMENTS,
}
EVENT_LISTS = {
    "host_list": EVENT_HOSTS,
    "topic_list": EVENT_TOPICS,
    "document_list": EVENT_DOCUMENTS,
}


def load_release_links(releases) -> None:
    """People (with the titles they held, from their public appointments), organisations,
    topics, public events, public media contacts, pictures, documents and change notes: two
    rounds of queries sent together (what the first finds, the second completes)."""
    ids = [release.pk for release in releases]
    load_together(
        Load(releases, "mention_list", MENTIONS, {"ids": ids}, by="release_id", back="release"),
        *(
            Load(releases, name, s, {"ids": ids}, by="link_owner")
            for name, s in RELEASE_LISTS.items()
        ),
        *media(releases, RELEASE_GALLERIES, back="release"),
        ChangeNote.notes_of(releases),
    )
    people = [mention.person for release in releases for mention in release.mention_list]
    load_together(public_appointments(people), renditions(pictures(releases)))


def load_event_links(events, *, releases: bool = True) -> None:
    """Hosts, topics, pictures, documents, change notes and (unless `releases` is false: the
    API does not list them) the public releases about each event."""
    ids = [event.pk for event in events]
    lists = {**EVENT_LISTS, **({"release_list": EVENT_RELEASES} if releases else {})}
    load_together(
        *(Load(events, name, s, {"ids": ids}, by="link_owner") for name, s in lists.items()),
        *media(events, EVENT_GALLERIES, back="event"),
        ChangeNote.notes_of(events),
    )
    load_renditions(pictures(events))


def load_release_media(releases) -> None:
    load_media(releases, RELEASE_GALLERIES, back="release")


def load_event_media(events) -> None:
    load_media(events, EVENT_GALLERIES, back="event")


def load_media(items, galleries: Statement, *, back: str) -> None:
    """Each item's lead picture and gallery (`gallery_list`), every picture with its renditions."""
    load_together(*media(items, galleries, back=back))
    load_renditions(pictures(items))


def media(items, galleries: Statement, *, back: str) -> list[Load]:
    """The loads of the items' galleries and lead pictures (not yet their renditions)."""
    leads = [item.lead_image_id for item in items if item.lead_image_id]
    ids = [item.pk for item in items]
    return [
        Load(items, "gallery_list", galleries, {"ids": ids}, by=f"{back}_id", back=back),
        Load(items, "lead_image", IMAGES, {"ids": leads}, one=True),
    ]


def pictures(items) -> list:
    """The lead picture and gallery pictures of `items`, as loaded."""
    leads = [item.lead_image for item in items if item.lead_image_id]
    return [*leads, *(entry.image for item in items for entry in item.gallery_list)]
