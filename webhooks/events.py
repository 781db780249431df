"""What each event says and who hears it. An occurrence is announced from the worker, once
committed: its payload is read then from what the public sees (an item not public at that
moment announces nothing), and one message per subscribed endpoint is written (the unique
occurrence keeps a task run twice from announcing twice)."""

import datetime
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from editorial.models import ChangeNote
from releases.models import Event, Release
from releases.serializers import EventSerializer, ReleaseSerializer

from .models import Endpoint, EventType, Message, new_message_id

MODELS = {"release": (Release, ReleaseSerializer), "event": (Event, EventSerializer)}


def kind_of(item) -> str:
    return "release" if isinstance(item, Release) else "event"


def recent(item, now=None) -> bool:
    """Webhooks are news: an item going live more than WEBHOOKS_ANNOUNCE_WITHIN ago (an archive
    import, a catch-up) is not announced as published, nor an event over by then (the past
    meetings an import of old releases records)."""
    now = now or timezone.now()
    within = datetime.timedelta(hours=settings.WEBHOOKS_ANNOUNCE_WITHIN_HOURS)
    if item.publish_at is None or item.publish_at < now - within:
        return False
    if isinstance(item, Event) and item.ends_on is not None:
        return item.ends_on >= timezone.localdate(now - within)
    return True


def public_request() -> Request:
    """A request for the public site's address, so links in payloads are absolute and the same
    as the API's."""
    parts = urlsplit(settings.PUBLIC_BASE_URL)
    factory = RequestFactory()
    django_request = factory.get("/", HTTP_HOST=parts.netloc, secure=parts.scheme == "https")
    return Request(django_request)


def api_row(item) -> dict:
    """The item as the API's detail answer shows it, as plain JSON values."""
    serializer_class = MODELS[kind_of(item)][1]
    with translation.override(settings.LANGUAGE_CODE):
        data = serializer_class(item, context={"request": public_request()}).data
    return json.loads(JSONRenderer().render(data))


def addresses(item) -> dict:
    """The item's language, its page and its API address (a withdrawn one's page shows its
    note; its API address answers 404)."""
    return {
        "language": item.language,
        "url": settings.PUBLIC_BASE_URL + item.get_absolute_url(),
        "api_url": settings.PUBLIC_BASE_URL
        + reverse(f"{kind_of(item)}-detail", kwargs={"slug": item.slug}),
    }


def identity(item) -> dict:
    """What is left to say of an item no longer public: which one it was, and why it went."""
    return {
        "slug": item.slug,
        "title": item.title,
        **addresses(item),
        "withdrawal_note": item.withdrawal_note,
    }


def build(event: str, kind: str, pk: int, note_id: int | None) -> dict | None:
    """The payload of `event` for the item, or None when it must not be said now."""
    model = MODELS[kind][0]
    if event.endswith(".withdrawn"):
        item = model.objects.filter(pk=pk).first()
        if item is None or item.is_public:
            return None  # deleted (never public) or public again: nothing went away
        data = identity(item)
    else:
        item = model.objects.public().select_related("lead_image").filter(pk=pk).first()
        if item is None:
            return None  # not public (yet, or any more): an embargo is never announced early
        if event.endswith(".published") and not recent(item):
            return None  # news no more (the worker was away for days)
        data = api_row(item)
    payload = {
        "type": event,
        "timestamp": timezone.now().isoformat(),
        **addresses(item),
        "data": data,
    }
    if note_id is not None:
        note = ChangeNote.objects.filter(pk=note_id).first()
        if note is None:
            return None
        payload["change_note"] = {"note": note.note, "created_at": note.created_at.isoformat()}
    return payload


def subscribed(event: str):
    """The endpoints that want `event`: the active ones, and those paused after failures (their
    messages wait for the press office to resume them). One switched off by hand hears nothing.
    (Events are a JSON list: filtered here, there are few endpoints.)"""
    endpoints = Endpoint.objects.filter(Q(active=True) | Q(paused_at__isnull=False))
    return [e for e in endpoints if event in (e.events or [])]


def announce(event: str, kind: str, pk: int, occurrence: str, note_id=None) -> tuple[str, list]:
    """Write a message for each endpoint that wants `event`; returns what happened and the
    messages to send. Run by the worker (`tasks.announce`)."""
    if event not in EventType.values or kind not in MODELS:
        return "unknown event", []
    endpoints = subscribed(event)
    if not endpoints:
        return "nobody listens", []
    payload = build(event, kind, pk, note_id)
    if payload is None:
        return "not to be said now", []
    made = []
    for endpoint in endpoints:
        try:
            with transaction.atomic():
                message_id = new_message_id()
                message = Message.objects.create(
                    endpoint=endpoint,
                    event=event,
                    occurrence=occurrence,
                    message_id=message_id,
                    payload={"id": message_id, **payload},
                    status=Message.Status.QUEUED if endpoint.active else Message.Status.HELD,
                )
        except IntegrityError:  # this occurrence was announced to it already
            continue
        if endpoint.active:
            made.append(message.pk)
    return f"{len(made)} queued", made
