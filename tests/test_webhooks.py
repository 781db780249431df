"""Webhooks end to end: a receiver on loopback is registered, releases and events are published,
corrected and withdrawn through the workspace, the task worker sends, and each message is
verified as a consumer would verify it (Standard Webhooks' library). Embargoed items are
announced only at go-live; a failing receiver is retried, then paused, and loses nothing."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from editorial.models import Status
from releases.models import Event, Release
from webhooks.models import Endpoint, Message

from .factories import make_event, make_release
from .test_alerts import work
from .webhook_receiver import Receiver
from .workspace import client_for, post_form

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _groups():
    from django.contrib.auth.models import Group, Permission

    from releases.roles import ensure_groups
    from webhooks.roles import grant

    ensure_groups()
    grant(Group, Permission)


@pytest.fixture
def receiver(settings):
    settings.PUBLIC_BASE_URL = "https://press.example.org"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "press.example.org"]
    settings.WEBHOOKS_RETRY_MINUTES = [1, 5]
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the receiver is on loopback
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    server = Receiver()
    yield server
    server.stop()


def register(receiver, events=None) -> Endpoint:
    endpoint = Endpoint(name="Agency", url=receiver.url, contact="desk@agency.example")
    if events is not None:
        endpoint.events = events
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def verified(receiver, endpoint) -> list[dict]:
    """Each message received, its signature checked with the endpoint's secret."""
    hook = Webhook(endpoint.secret)
    return [hook.verify(body, headers) for headers, body in receiver.received]


def test_publish_correct_withdraw_each_arrive_signed_once(receiver):
    endpoint = register(receiver)
    release = make_release(title="Ministers meet in Astana", publish_at=timezone.now())
    work()
    publisher = client_for("publisher")
    response = post_form(
        publisher, release, body="Eleven delegations came.", change_note="Delegations counted."
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    work()
    release = Release.objects.get(pk=release.pk)
    release.status, release.withdrawal_note = Status.WITHDRAWN, "Issued in error."
    release.save()
    work()
    work()  # nothing twice
    payloads = verified(receiver, endpoint)
    assert [p["type"] for p in payloads] == [
        "release.published",
        "release.corrected",
        "release.withdrawn",
    ]
    published, corrected, withdrawn = payloads
    assert published["data"]["title"] == "Ministers meet in Astana"
    assert published["data"]["url"] == f"https://press.example.org{release.get_absolute_url()}"
    assert corrected["data"]["body_markdown"] == "Eleven delegations came."
    assert corrected["change_note"]["note"] == "Delegations counted."
    assert withdrawn["data"]["slug"] == release.slug
    assert withdrawn["data"]["withdrawal_note"] == "Issued in error."
    assert "body_markdown" not in withdrawn["data"]  # a withdrawn text is not sent again
    ids = [headers["webhook-id"] for headers, _ in receiver.received]
    assert len(set(ids)) == 3 and [p["id"] for p in payloads] == ids
    for payload in payloads:
        assert payload["language"] == "en"
        assert payload["url"] == f"https://press.example.org{release.get_absolute_url()}"
        assert payload["api_url"] == f"https://press.example.org/api/v1/releases/{release.slug}/"
    assert Message.objects.filter(status=Message.Status.DELIVERED).count() == 3


def portal_signature_ok(secret: str, headers: dict, body: bytes) -> bool:
    """The README's ten-line check of X-Portal-Signature-256, for consumers with no library."""
    import hashlib
    import hmac
    import time

    timestamp = headers["x-portal-timestamp"]
    if abs(time.time() - int(timestamp)) > 300:
        return False  # too old (or from the future): a replay
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest(headers["x-portal-signature-256"], "sha256=" + mac.hexdigest())


def test_the_hex_signature_verifies_too_and_not_once_altered(receiver):
    endpoint = register(receiver)
    make_release(publish_at=timezone.now())
    work()
    ((headers, body),) = receiver.received
    assert portal_signature_ok(endpoint.secret, headers, body)
    assert not portal_signature_ok(endpoint.secret, headers, body + b" ")
    replayed = {**headers, "x-portal-timestamp": str(int(headers["x-portal-timestamp"]) + 1)}
    assert not portal_signature_ok(endpoint.secret, replayed, body)


def test_no_message_goes_to_a_private_address_unless_allowed(receiver, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    endpoint = Endpoint(name="Inside", url=receiver.url.replace("http:", "https:"))
    endpoint.full_clean()  # an https:// address: registered; where it leads is checked on sending
    endpoint.save()
    make_release(publish_at=timezone.now())
    work()
    message = Message.objects.get()
    assert receiver.received == [] and message.status == Message.Status.QUEUED
    assert "127.0.0.1" in message.last_error and "not a public address" in message.last_error


def test_a_forged_or_replayed_body_does_not_verify(receiver):
    from standardwebhooks.webhooks import WebhookVerificationError

    endpoint = register(receiver)
    make_release(publish_at=timezone.now())
    work()
    ((headers, body),) = receiver.received
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(body.replace(b"Release", b"Relaese"), headers)
    with pytest.raises(WebhookVerificationError):
        from webhooks.models import new_secret

        Webhook(new_secret()).verify(body, headers)


def test_an_embargoed_release_is_announced_only_at_go_live(receiver, time_machine):
    register(receiver)
    go_live = timezone.now() + datetime.timedelta(hours=3)
    release = make_release(title="Embargoed communiqué", publish_at=go_live)
    work()
    assert receiver.received == []  # the worker ran: nothing before the embargo ends
    time_machine.move_to(go_live - datetime.timedelta(minutes=1))
    work()
    assert receiver.received == []
    time_machine.move_to(go_live + datetime.timedelta(seconds=5))
    work()
    ((headers, body),) = receiver.received
    assert json.loads(body)["data"]["slug"] == release.slug


def test_rescheduled_or_withdrawn_before_go_live_sends_nothing_early(receiver, time_machine):
    register(receiver)
    first = timezone.now() + datetime.timedelta(hours=1)
    later = Release.objects.get(pk=make_release(publish_at=first).pk)
    later.publish_at = first + datetime.timedelta(hours=5)
    later.save()
    pulled = Release.objects.get(pk=make_release(publish_at=first).pk)
    pulled.status, pulled.withdrawal_note = Status.WITHDRAWN, "Postponed."
    pulled.save()
    time_machine.move_to(first + datetime.timedelta(minutes=1))
    work()
    assert receiver.received == []  # neither at the old time, nor a withdrawal never announced
    time_machine.move_to(later.publish_at + datetime.timedelta(minutes=1))
    work()
    assert [json.loads(b)["data"]["slug"] for _, b in receiver.received] == [later.slug]


def test_events_are_announced_when_published_and_changed(receiver):
    endpoint = register(receiver, events=["event.published", "event.changed"])
    event = make_event(title="CICA Summit", publish_at=timezone.now())
    make_release(publish_at=timezone.now())  # not asked for
    work()
    event = Event.objects.get(pk=event.pk)
    event.venue = "Palace of Independence"
    event.save()
    work()
    payloads = verified(receiver, endpoint)
    assert [p["type"] for p in payloads] == ["event.published", "event.changed"]
    assert payloads[1]["data"]["venue"] == "Palace of Independence"


def test_an_archive_import_announces_nothing(receiver):
    register(receiver)
    make_release(publish_at=timezone.now() - datetime.timedelta(days=400))
    past = datetime.date(2020, 10, 12)  # a meeting an old release names, recorded today
    make_event(publish_at=timezone.now(), start_date=past, end_date=past)
    work()
    assert receiver.received == [] and not Message.objects.exists()


def test_a_failing_receiver_is_retried_then_paused_and_loses_nothing(receiver, time_machine):
    endpoint = register(receiver)
    receiver.answer = 500
    first = make_release(publish_at=timezone.now())
    work()
    message = Message.objects.get()
    assert message.status == Message.Status.QUEUED and message.attempts == 1
    assert message.last_status_code == 500
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=2))
    work()
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=6))
    work()
    assert len(receiver.received) == 3  # the first try and the two retries
    message.refresh_from_db()
    endpoint.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert not endpoint.active and endpoint.paused_at and "500" in endpoint.paused_reason
    from django.core import mail

    (told,) = mail.outbox  # the publishers (and the endpoint's contact), by the worker
    assert told.subject == "Webhook paused: Agency" and told.to == ["desk@agency.example"]
    assert f"/admin/webhooks/endpoint/{endpoint.pk}/change/" in told.body
    second = make_release(publish_at=timezone.now())
    work()
    assert len(receiver.received) == 3  # paused: nothing sent, the new one held
    assert Message.objects.get(payload__data__slug=second.slug).status == Message.Status.HELD
    receiver.answer = 200
    response = client_for("publisher").post(
        "/admin/webhooks/endpoint/",
        {"action": "resume", "_selected_action": [endpoint.pk]},
    )
    assert response.status_code == 302
    work()
    slugs = [json.loads(body)["data"]["slug"] for _, body in receiver.received[3:]]
    assert slugs == [first.slug, second.slug]  # oldest first, the same ids as before
    assert Message.objects.filter(status=Message.Status.DELIVERED).count() == 2


def test_a_redirect_is_not_followed(receiver):
    receiver.answer = 302
    register(receiver)
    make_release(publish_at=timezone.now())
    work()
    message = Message.objects.get()
    assert message.last_status_code == 302 and message.status == Message.Status.QUEUED
    assert len(receiver.received) == 1


def test_only_https_addresses_are_registered(receiver, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    for url in ("http://agency.example.org/hook", "ftp://agency.example.org/", "https:///x"):
        with pytest.raises(CommandError):
            call_command("add_webhook", url)
    with pytest.raises(CommandError, match="Unknown events"):
        call_command("add_webhook", "https://agency.example.org/hook", events="release.deleted")


def test_add_webhook_prints_the_secret_once(receiver, capsys):
    call_command("add_webhook", receiver.url, "--events", "release.published", "--name", "Tass")
    out = capsys.readouterr().out
    endpoint = Endpoint.objects.get()
    assert endpoint.secret in out and endpoint.events == ["release.published"]
    assert endpoint.secret.startswith("whsec_")


def test_the_admin_registers_an_endpoint_and_sends_a_test_message(receiver):
    publisher = client_for("publisher")
    response = publisher.post(
        "/admin/webhooks/endpoint/add/",
        {
            "name": "Kazinform",
            "url": receiver.url,
            "contact": "desk@kazinform.example",
            "events": ["release.published", "release.withdrawn"],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["release.published", "release.withdrawn"]
    publisher.post(
        "/admin/webhooks/endpoint/", {"action": "send_test", "_selected_action": [endpoint.pk]}
    )
    work()
    (payload,) = verified(receiver, endpoint)
    assert payload["type"] == "ping"
    for page in ("/admin/webhooks/endpoint/", f"/admin/webhooks/endpoint/{endpoint.pk}/change/"):
        assert publisher.get(page).status_code == 200
    assert publisher.get("/admin/webhooks/message/").status_code == 200
    assert client_for("editor").get("/admin/webhooks/endpoint/").status_code == 403


def test_the_message_list_query_count_does_not_grow(receiver, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    endpoint = register(receiver)
    publisher = client_for("publisher")

    def add(n):
        for _ in range(n):
            Message.objects.create(
                endpoint=endpoint, event="ping", occurrence=str(_) + str(n), payload={}
            )

    def counts():
        out = []
        for page in ("/admin/webhooks/message/", "/admin/webhooks/endpoint/"):
            with CaptureQueriesContext(connection) as queries:
                assert publisher.get(page).status_code == 200
            out.append(len(queries))
        return out

    add(2)
    few = counts()
    add(20)
    assert counts() == few


def test_old_delivered_messages_are_pruned_the_rest_kept(receiver, time_machine):
    endpoint = register(receiver)
    make_release(publish_at=timezone.now())
    work()
    Message.objects.create(endpoint=endpoint, event="ping", occurrence="held", payload={},
                           status=Message.Status.HELD)  # fmt: skip
    time_machine.move_to(timezone.now() + datetime.timedelta(days=31))
    call_command("prune_webhook_messages", "--days", "30")
    assert list(Message.objects.values_list("status", flat=True)) == [Message.Status.HELD]
