"""The webhooks in the API's OpenAPI 3.1 schema (`webhooks`): what each message's body holds,
how it is signed, and what the receiver answers. drf-spectacular reads WEBHOOKS from here."""

from drf_spectacular.utils import OpenApiResponse, OpenApiWebhook, extend_schema
from rest_framework import serializers

from releases.serializers import EventSerializer, ReleaseSerializer

SIGNING = (
    "Signed as Standard Webhooks says (https://www.standardwebhooks.com/): the headers "
    "`webhook-id` (the same on every retry of one message: drop one already seen), "
    "`webhook-timestamp` (Unix seconds; refuse one more than five minutes off) and "
    "`webhook-signature` (`v1,` and the base64 HMAC-SHA256, keyed with the endpoint's secret "
    "after `whsec_`, of `id.timestamp.body`); for consumers without a Standard Webhooks library, "
    "`X-Portal-Signature-256: sha256=<hex>` is the HMAC-SHA256 of `timestamp.body` keyed with the "
    "whole secret as written, and `X-Portal-Timestamp` the timestamp. Answer 2xx within 10 seconds; anything else is "
    "tried again (by default after 1, 5, 30, 120 and 720 minutes), then the endpoint is paused "
    "until the press office resumes it (nothing is lost meanwhile)."
)


class ChangeNotePayload(serializers.Serializer):
    note = serializers.CharField(help_text="What was corrected, as the page says.")
    created_at = serializers.DateTimeField()


class Envelope(serializers.Serializer):
    """What every message says besides its `data`."""

    id = serializers.CharField(help_text="The message's id, as in the webhook-id header.")
    timestamp = serializers.DateTimeField(help_text="When the message was written.")
    language = serializers.CharField(help_text="The item's language (en, ru).")
    url = serializers.URLField(help_text="The item's page.")
    api_url = serializers.URLField(help_text="The item's API address.")


class ReleaseMessage(Envelope):
    type = serializers.ChoiceField(choices=["release.published", "release.corrected"])
    data = ReleaseSerializer(help_text="The release as GET /api/v1/releases/{slug}/ shows it.")
    change_note = ChangeNotePayload(required=False, help_text="release.corrected only.")


class EventMessage(Envelope):
    type = serializers.ChoiceField(choices=["event.published", "event.changed"])
    data = EventSerializer(help_text="The event as GET /api/v1/events/{slug}/ shows it.")
    change_note = ChangeNotePayload(required=False, help_text="When a note says what changed.")


class GoneItem(serializers.Serializer):
    slug = serializers.SlugField()
    language = serializers.CharField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="Its page, which now shows the withdrawal note only.")
    api_url = serializers.URLField(help_text="Its API address, which now answers 404.")
    withdrawal_note = serializers.CharField()


class WithdrawnMessage(Envelope):
    type = serializers.ChoiceField(choices=["release.withdrawn", "event.withdrawn"])
    data = GoneItem()


def webhook(name, message, summary) -> OpenApiWebhook:
    return OpenApiWebhook(
        name=name,
        decorator=extend_schema(
            summary=summary,
            description=SIGNING,
            request=message,
            responses={200: OpenApiResponse(description="Received (any 2xx will do).")},
        ),
    )


WEBHOOKS = [
    webhook(
        "release.published",
        ReleaseMessage,
        "A release went live (at its embargo's end, never before)",
    ),
    webhook("release.corrected", ReleaseMessage, "A live release was corrected"),
    webhook("release.withdrawn", WithdrawnMessage, "A live release was withdrawn"),
    webhook("event.published", EventMessage, "An event went live"),
    webhook("event.changed", EventMessage, "A live event changed"),
    webhook("event.withdrawn", WithdrawnMessage, "A live event was withdrawn"),
]
