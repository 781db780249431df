"""What the page and API answer of a release or an event show besides the item itself, loaded
for a page of items at once with statements (`core.statements`), one query per relation:
people with their titles, organisations, topics, public events and media contacts, pictures
with their renditions, documents and change notes.

`Release.objects.with_links()` and `Event.objects.with_links()` hand their rows to these (the
same lists `Prefetch(..., to_attr=...)` gave, in the same order); a row read some other way
reads a relation when asked (the models' `PrefetchedList`s)."""

from django.db.models import F

from contacts.models import MediaContact, Organisation, public_appointments_of
from core.statements import Load, Statement, load_together
from editorial.models import ChangeNote
from editorial.translations import group_versions
from library.models import RENDITIONS, Document, Image, renditions_of

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
# Read by the items' ids with the rows they complete, not by what those rows hold: the
# titles with the mentions, the galleries' renditions with the galleries, all in one round trip.
MENTIONED_APPOINTMENTS = Statement(
    lambda ids: public_appointments_of(
        ReleasePerson.objects.filter(release_id__in=ids).values("person_id")
    )
)
RELEASE_GALLERY_RENDITIONS = Statement(
    lambda ids: renditions_of(ReleaseImage.objects.filter(release_id__in=ids).values("image_id"))
)
EVENT_GALLERY_RENDITIONS = Statement(
    lambda ids: renditions_of(EventImage.objects.filter(event_id__in=ids).values("image_id"))
)


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


def load_release_links(releases, *, versions: bool = False) -> None:
    """People (with the titles they held, from their public appointments), organisations,
    topics, public events, public media contacts, pictures with their renditions, documents,
    change notes and (with `versions`: a release's page and API answers name them) the public
    language versions: the queries all sent together, in one round trip on PostgreSQL."""
    ids = [release.pk for release in releases]
    load_together(
        Load(releases, "mention_list", MENTIONS, {"ids": ids}, by="release_id", back="release"),
        Load(
            lambda: [mention.person for release in releases for mention in release.mention_list],
            "appointment_list",
            MENTIONED_APPOINTMENTS,
            {"ids": ids},
            by="person_id",
        ),
        *(
            Load(releases, name, s, {"ids": ids}, by="link_owner")
            for name, s in RELEASE_LISTS.items()
        ),
        *media(releases, RELEASE_GALLERIES, RELEASE_GALLERY_RENDITIONS, back="release"),
        ChangeNote.notes_of(releases),
        *([group_versions(Release, releases)] if versions else []),
    )


def load_event_links(events, *, releases: bool = True, versions: bool = False) -> None:
    """Hosts, topics, pictures with their renditions, documents, change notes, (unless
    `releases` is false: the API does not list them) the public releases about each event and
    (with `versions`) its public language versions."""
    ids = [event.pk for event in events]
    lists = {**EVENT_LISTS, **({"release_list": EVENT_RELEASES} if releases else {})}
    load_together(
        *(Load(events, name, s, {"ids": ids}, by="link_owner") for name, s in lists.items()),
        *media(events, EVENT_GALLERIES, EVENT_GALLERY_RENDITIONS, back="event"),
        ChangeNote.notes_of(events),
        *([group_versions(Event, events)] if versions else []),
    )


def load_release_media(releases) -> None:
    load_together(*media(releases, RELEASE_GALLERIES, RELEASE_GALLERY_RENDITIONS, back="release"))


def load_event_media(events) -> None:
    load_together(*media(events, EVENT_GALLERIES, EVENT_GALLERY_RENDITIONS, back="event"))


def media(items, galleries: Statement, gallery_renditions: Statement, *, back: str) -> list[Load]:
    """The loads of the items' lead pictures and galleries (`gallery_list`), every picture
    with its renditions (`rendition_list`)."""
    leads = [item.lead_image_id for item in items if item.lead_image_id]
    ids = [item.pk for item in items]
    return [
        Load(items, "gallery_list", galleries, {"ids": ids}, by=f"{back}_id", back=back),
        Load(items, "lead_image", IMAGES, {"ids": leads}, one=True),
        Load(
            lambda: [entry.image for item in items for entry in item.gallery_list],
            "rendition_list",
            gallery_renditions,
            {"ids": ids},
            by="image_id",
        ),
        Load(
            lambda: [item.lead_image for item in items if item.lead_image_id],
            "rendition_list",
            RENDITIONS,
            {"ids": leads},
            by="image_id",
        ),
    ]
