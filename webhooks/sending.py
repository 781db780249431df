"""Sending messages: each one POSTed as JSON and signed as Standard Webhooks says
(`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<HMAC-SHA256>`), through the
`standardwebhooks` library that consumers can verify with too. A 2xx answer is a delivery;
anything else is tried again later (WEBHOOKS_RETRY_MINUTES); a message that failed every
attempt pauses its endpoint, and what comes next waits for the press office to resume it."""

import datetime
import json
import logging
import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.db.models import Q
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
    signature = Webhook(message.endpoint.secret).sign(message.message_id, now, body)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": message.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def post(message: Message) -> tuple[int | None, str]:
    """POST the message once: (the status code or None, what went wrong or "")."""
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


def send_claimed(token: str) -> tuple[dict, list]:
    """Send the messages of one claim. Returns the counts and the retries as (id, when)."""
    counts = {"delivered": 0, "retry": 0, "failed": 0, "held": 0}
    retries = []
    rows = Message.objects.filter(claim=token, status=Message.Status.SENDING)
    for message in rows.select_related("endpoint"):
        outcome = send_one(message)
        counts[outcome] += 1
        if outcome == "retry":
            retries.append((message.pk, message.next_attempt_at))
    return counts, retries


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
