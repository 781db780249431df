"""API consumers told of changes as they happen: the endpoints the press office registers, and
one message per endpoint and occurrence (the unique pair that keeps an occurrence from being
announced twice), signed as Standard Webhooks says and retried until the endpoint is paused."""

import base64
import secrets
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventType(models.TextChoices):
    RELEASE_PUBLISHED = "release.published", _("A release goes live (at its embargo's end)")
    RELEASE_CORRECTED = "release.corrected", _("A live release is corrected (with its note)")
    RELEASE_WITHDRAWN = "release.withdrawn", _("A live release is withdrawn")
    EVENT_PUBLISHED = "event.published", _("An event goes live")
    EVENT_CHANGED = "event.changed", _("A live event changes (dates, place, text)")
    EVENT_WITHDRAWN = "event.withdrawn", _("A live event is withdrawn")


PING = "ping"  # a test message the press office sends from the admin; nobody subscribes to it
MESSAGE_EVENTS = [*EventType.choices, (PING, _("Test message"))]


def endpoint_url(value: str) -> None:
    """HTTPS only: a consumer's system is not reached in clear. Plain HTTP only where private
    addresses are allowed (WEBHOOKS_ALLOW_PRIVATE: a receiver on this machine, in tests)."""
    parts = urlsplit(value)
    if parts.hostname and (
        parts.scheme == "https" or (parts.scheme == "http" and settings.WEBHOOKS_ALLOW_PRIVATE)
    ):
        return
    raise ValidationError(_("An https:// address."), code="https")


def new_secret() -> str:
    """A Standard Webhooks secret: "whsec_" and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def all_events() -> list[str]:
    return list(EventType.values)


class Endpoint(models.Model):
    """A consumer's address, the events it wants and the secret its messages are signed with.
    Paused after a message failed every attempt; resuming sends what waited, oldest first."""

    name = models.CharField(_("name"), max_length=200, help_text=_("Whose system this is."))
    url = models.URLField(_("address"), max_length=500, validators=[endpoint_url])
    events = models.JSONField(
        pgettext_lazy("webhooks", "events"),
        default=all_events,
        help_text=_("The events sent to this address."),
    )
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("Who to tell when it fails.")
    )
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Paused addresses keep their messages waiting.")
    )
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    paused_reason = models.TextField(_("why paused"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.url})"

    def clean(self):
        unknown = [e for e in self.events or [] if e not in EventType.values]
        if unknown or not isinstance(self.events, list):
            raise ValidationError(
                {"events": _("Unknown events: %s") % ", ".join(map(str, unknown))}
            )

    def pause(self, reason: str) -> None:
        self.active = False
        self.paused_at = timezone.now()
        self.paused_reason = reason
        self.save(update_fields=["active", "paused_at", "paused_reason"])


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class Message(models.Model):
    """One occurrence for one endpoint. Its id (the `webhook-id` header) stays the same across
    retries, so a receiver can drop one it has already processed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (every attempt)")
        HELD = "held", _("Held (the endpoint is paused)")

    endpoint = models.ForeignKey(
        Endpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE, related_name="messages"
    )
    event = models.CharField(_("event"), max_length=40, choices=MESSAGE_EVENTS)
    occurrence = models.CharField(
        _("occurrence"),
        max_length=200,
        help_text=_("What happened, once: the item, and its go-live time or change note."),
    )
    message_id = models.CharField(
        _("message id"), max_length=40, unique=True, default=new_message_id
    )
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    claim = models.CharField(_("claim"), max_length=32, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook message")
        verbose_name_plural = _("webhook messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "occurrence"], name="one_message_per_occurrence"
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint.name}"
