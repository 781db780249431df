"""The signed links mailed to a subscriber: confirm (expires), manage and unsubscribe (no
login; voided when the subscriber's key changes, e.g. on a new sign-up after unsubscribing)."""

from django.conf import settings
from django.core import signing

from .models import Subscriber

CONFIRM = "alerts.confirm"
MANAGE = "alerts.manage"


def make(subscriber: Subscriber, purpose: str) -> str:
    return signing.dumps([subscriber.pk, subscriber.key], salt=purpose)


def read(token: str, purpose: str) -> Subscriber | None:
    """The subscriber a token was made for, or None (forged, expired, or its key changed)."""
    max_age = settings.ALERTS_CONFIRM_HOURS * 3600 if purpose == CONFIRM else None
    try:
        pk, key = signing.loads(token, salt=purpose, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return Subscriber.objects.filter(pk=pk, key=key).first()
