"""Sending messages: each one POSTed as JSON and signed as Standard Webhooks says
(`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<HMAC-SHA256>`), through the
`standardwebhooks` library that consumers can verify with too. A 2xx answer is a delivery;
anything else is tried again later (WEBHOOKS_RETRY_MINUTES); a message that failed every
attempt pauses its endpoint, and what comes next waits for the press office to resume it."""

import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from .models import Endpoint, Message

logger = logging.getLogger(__name__)

USER_AGENT = "CICA-press-office-webhooks/1"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other non-2xx: the message is not sent elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def body_of(message: Message) -> bytes:
    """The bytes signed and sent: the same for every attempt."""
    return json.dumps(message.payload, ensure_ascii=False, separators=(",", ":")).encode()


def signed_headers(message: Message, body: bytes, now: datetime.datetime) -> dict:
    """Standard Webhooks' three headers, and the same proof in hex for consumers without its
    library: `X-Portal-Signature-256: sha256=<hex>`, the HMAC-SHA256 of "<timestamp>.<body>"
    keyed with the whole secret as written (whsec_...), the timestamp in `X-Portal-Timestamp`
    (the timestamp is signed too, so a replay cannot pass for a new message)."""
    secret = message.endpoint.secret
    timestamp = str(int(now.timestamp()))
    portal = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": message.message_id,
        "webhook-timestamp": timestamp,
        "webhook-signature": Webhook(secret).sign(message.message_id, now, body),
        "X-Portal-Timestamp": timestamp,
        "X-Portal-Signature-256": f"sha256={portal.hexdigest()}",
    }


def private_address(url: str) -> str | None:
    """The address the endpoint's host resolves to when it is not a public one (loopback,
    private, link-local...: SSRF), unless WEBHOOKS_ALLOW_PRIVATE; else None."""
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return None
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for *_, address in socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP):
        if not ipaddress.ip_address(address[0]).is_global:
            return address[0]
    return None


def post(message: Message) -> tuple[int | None, str]:
    """POST the message once: (the status code or None, what went wrong or "")."""
    try:
        refused = private_address(message.endpoint.url)
    except (OSError, UnicodeError) as error:
        return None, f"not reached: {error}"
    if refused:
        return None, f"refused: the address resolves to {refused}, not a public address"
    body = body_of(message)
    request = urllib.request.Request(
        message.endpoint.url,
        data=body,
        headers=signed_headers(message, body, timezone.now()),
        method="POST",
    )
    try:
        with OPENER.open(request, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"answered {error.code} {error.reason}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, f"not reached: {reason}"


def retry_delay(attempts: int) -> datetime.timedelta | None:
    """The wait after the `attempts`-th failure; None when every attempt is spent."""
    minutes = settings.WEBHOOKS_RETRY_MINUTES
    if attempts > len(minutes):
        return None
    return datetime.timedelta(minutes=minutes[attempts - 1])


def claim(message_ids) -> str:
    """Move the given queued, due messages to "sending" under a new claim (a conditional
    update: two workers never send the same message at once)."""
    token = uuid.uuid4().hex
    Message.objects.filter(pk__in=message_ids, status=Message.Status.QUEUED).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    ).update(status=Message.Status.SENDING, claim=token)
    return token


def send_claimed(token: str) -> tuple[dict, list, list]:
    """Send the messages of one claim. Returns the counts, the retries as (id, when) and the
    endpoints this paused."""
    counts = {"delivered": 0, "retry": 0, "failed": 0, "held": 0}
    retries, paused = [], []
    rows = Message.objects.filter(claim=token, status=Message.Status.SENDING)
    for message in rows.select_related("endpoint"):
        outcome = send_one(message)
        counts[outcome] += 1
        if outcome == "retry":
            retries.append((message.pk, message.next_attempt_at))
        elif outcome == "failed":
            paused.append(message.endpoint_id)
    return counts, retries, paused


def tell_paused(endpoint_id: int) -> str:
    """Mail the publishers (and the endpoint's contact, when it is an address) that an endpoint
    was paused, why, and where to resume it."""
    endpoint = Endpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None or endpoint.active:
        return "not paused"
    users = get_user_model().objects.filter(is_active=True, groups__name="Publisher")
    to = set(users.exclude(email="").values_list("email", flat=True))
    try:
        validate_email(endpoint.contact)
        to.add(endpoint.contact)
    except ValidationError:
        pass
    if not to:
        return "nobody to tell"
    where = settings.PUBLIC_BASE_URL + reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
    send_mail(
        f"Webhook paused: {endpoint.name}",
        f"Messages to {endpoint.url} failed every attempt, so the endpoint was paused:\n\n"
        f"{endpoint.paused_reason}\n\nWhat follows is kept. When the receiver works again, "
        f'resume the endpoint (the action "Resume the selected") at {where}\n',
        None,
        sorted(to),
    )
    return f"told {len(to)}"


def send_one(message: Message) -> str:
    endpoint = message.endpoint
    if not endpoint.active:
        message.status = Message.Status.HELD
        message.save(update_fields=["status"])
        return "held"
    code, error = post(message)
    message.attempts += 1
    message.last_status_code = code
    message.last_error = error
    if code is not None and 200 <= code < 300:
        message.status = Message.Status.DELIVERED
        message.delivered_at = timezone.now()
        message.next_attempt_at = None
        outcome = "delivered"
    else:
        delay = retry_delay(message.attempts)
        if delay is None:
            message.status = Message.Status.FAILED
            outcome = "failed"
        else:
            message.status = Message.Status.QUEUED
            message.next_attempt_at = timezone.now() + delay
            outcome = "retry"
    message.save(
        update_fields=[
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    if outcome == "failed":
        logger.warning("webhook endpoint %s paused: %s", endpoint.pk, error)
        endpoint.pause(
            f"{message.event} ({message.message_id}) failed {message.attempts} times: {error}"
        )
        Message.objects.filter(endpoint=endpoint, status=Message.Status.QUEUED).update(
            status=Message.Status.HELD
        )
    return outcome


def resume(endpoint: Endpoint) -> list[int]:
    """Make the endpoint active again; what waited (held, and the message that failed) is
    queued again, oldest first, with its attempts counted afresh. Returns the ids to send."""
    endpoint.active = True
    endpoint.paused_at = None
    endpoint.paused_reason = ""
    endpoint.save(update_fields=["active", "paused_at", "paused_reason"])
    waiting = Message.objects.filter(
        endpoint=endpoint, status__in=[Message.Status.HELD, Message.Status.FAILED]
    )
    ids = list(waiting.order_by("created_at", "pk").values_list("pk", flat=True))
    Message.objects.filter(pk__in=ids).update(
        status=Message.Status.QUEUED, attempts=0, next_attempt_at=None
    )
    return ids
