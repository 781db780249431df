"""Sending: a release that went live (or an update a publisher asked for) becomes one mailing,
one delivery row per matching subscriber, and batches of sends run by the task worker.

Exactly once: the delivery row is unique per subscriber and mailing, and a worker sends only
the rows its own conditional update moved from "queued" to "sending" (two workers given the
same rows send each once). A temporary SMTP failure puts the row back in the queue for later
(back-off); a permanent one is recorded, and an address failing permanently
ALERTS_PAUSE_AFTER_FAILURES times in a row is paused."""

import datetime
import logging
import smtplib
import uuid

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.text.dates import astana_and_utc
from editorial.models import ChangeNote, StateChange
from releases.models import Release

from . import mail
from .models import AdvanceCopy, Delivery, Mailing, Subscriber

logger = logging.getLogger(__name__)

# A release older than this when it is (re)published, imported or caught up is not mailed:
# alerts are news, and importing the archive must not mail the archive.
ANNOUNCE_WITHIN = datetime.timedelta(days=2)


def announceable(release: Release, now=None) -> bool:
    now = now or timezone.now()
    return (
        release.translation_of_id is None
        and release.correction_of_id is None
        and release.is_public
        and release.publish_at >= now - ANNOUNCE_WITHIN
    )


def go_live(release_id: int, publish_at: str) -> tuple[str, list[int]]:
    """Run at the release's go-live time: announce it if it is public now with the go-live
    time it was scheduled for (a release rescheduled, unscheduled or withdrawn since finds a
    different state here and sends nothing; its new time has a task of its own). Returns what
    happened and the deliveries to send (`tasks.queue_sending()`)."""
    release = Release.objects.filter(pk=release_id).first()
    if release is None or release.publish_at is None or not release.is_public:
        return "not public", []
    # The same instant, whatever zone each was written in (a form's time is Astana's, the
    # database's UTC): comparing the strings would call every scheduled release rescheduled.
    if release.publish_at != datetime.datetime.fromisoformat(publish_at):
        return "rescheduled", []
    if not announceable(release):
        return "too old", []
    try:
        with transaction.atomic():
            mailing, _ = Mailing.objects.get_or_create(
                release=release, occasion=Mailing.Occasion.PUBLISHED
            )
    except IntegrityError:  # another worker made it first
        mailing = Mailing.objects.get(release=release, occasion=Mailing.Occasion.PUBLISHED)
    return fan_out(mailing)


def update(change_note_id: int) -> tuple[str, list[int]]:
    """A correction's change note the publisher asked to send as an update."""
    note = ChangeNote.objects.filter(pk=change_note_id, announce=True).first()
    release = note.item if note is not None else None
    if not isinstance(release, Release) or not release.is_public:
        return "not public", []
    original = release.original
    try:
        with transaction.atomic():
            mailing, _ = Mailing.objects.get_or_create(
                change_note=note,
                defaults={"release": original, "occasion": Mailing.Occasion.UPDATE},
            )
    except IntegrityError:
        mailing = Mailing.objects.get(change_note=note)
    return fan_out(mailing)


def fan_out(mailing: Mailing) -> tuple[str, list[int]]:
    """A delivery row for each matching subscriber (once); the queued ones, to send."""
    matching = Subscriber.matching(mailing.release).filter(frequency="immediate")
    matching = matching.values_list("pk", flat=True)  # digest readers get it in their digest
    Delivery.objects.bulk_create(
        [Delivery(mailing=mailing, subscriber_id=pk) for pk in matching.iterator()],
        ignore_conflicts=True,
        batch_size=1000,
    )
    queued = list(
        mailing.deliveries.filter(status=Delivery.Status.QUEUED).values_list("pk", flat=True)
    )
    return f"{len(queued)} queued", queued


def claim(delivery_ids) -> str:
    """Move the given queued, due rows to "sending" under a new claim; only the rows this
    update moved carry the claim, so only this worker sends them."""
    token = uuid.uuid4().hex
    now = timezone.now()
    Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.QUEUED).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ).update(status=Delivery.Status.SENDING, claim=token)
    return token


def permanent(error: Exception) -> bool:
    """Whether an SMTP failure is about the address (5xx for the recipient): not worth retrying."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPSenderRefused):
        return False  # our side (the sender address): retried, never held against the address
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


def backoff(attempts: int) -> datetime.timedelta:
    """1, 4, 16, 64 minutes... after the first, second, third, fourth failure."""
    return datetime.timedelta(minutes=4 ** (attempts - 1))


class Sender:
    """Sends the rows of one claim over one SMTP connection, reopened after a failure."""

    def __init__(self):
        self.connection = None
        self.versions = {}
        self.contexts = {}

    def context(self, release: Release, language: str) -> dict:
        """What the mail says of `release` for readers of `language`, worked out once a batch."""
        key = (release.pk, language)
        if key not in self.contexts:
            self.contexts[key] = mail.release_context(release, language)
        return self.contexts[key]

    def version(self, mailing: Mailing, language: str) -> Release:
        """The version in `language` when it is public, else the original (the mail says so)."""
        key = (mailing.release_id, language)
        if key not in self.versions:
            original = mailing.release
            found = original
            if original.language != language:
                found = (
                    Release.objects.public()
                    .filter(translation_of=original, language=language)
                    .first()
                ) or original
            self.versions[key] = found
        return self.versions[key]

    def send(self, message) -> None:
        if self.connection is None:
            self.connection = get_connection()
            self.connection.open()  # one session for the batch, not one per message
        message.connection = self.connection
        try:
            message.send()
        except Exception:
            self.close()
            raise

    def close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # a dead connection cannot be closed cleanly; it is gone anyway
                logger.debug("closing a failed SMTP connection", exc_info=True)
            self.connection = None


def send_claimed(token: str) -> tuple[dict, list]:
    """Send the rows of one claim; their outcomes are written together at the end (a worker
    killed half-way leaves the rest "being sent", never queued again: no mail goes twice).
    Returns the counts, and the rows to try again later as (id, when)."""
    counts = {"sent": 0, "failed": 0, "retry": 0, "skipped": 0}
    rows = list(
        Delivery.objects.filter(claim=token, status=Delivery.Status.SENDING).select_related(
            "subscriber", "mailing__release", "mailing__change_note"
        )
    )
    sender = Sender()
    try:
        for row in rows:
            counts[send_one(sender, row)] += 1
    finally:
        sender.close()
        with transaction.atomic():  # one short write for the batch
            for row in rows:
                row.save(update_fields=DELIVERY_OUTCOME)
    sent = [row.subscriber_id for row in rows if row.status == Delivery.Status.SENT]
    Subscriber.objects.filter(pk__in=sent).update(last_mail_at=timezone.now(), hard_failures=0)
    retries = []
    for row in rows:
        if row.status == Delivery.Status.FAILED and row.held_against:
            hold_against(row.subscriber)
        elif row.status == Delivery.Status.QUEUED:
            retries.append((row.pk, row.next_attempt_at))
    return counts, retries


DELIVERY_OUTCOME = [
    "status",
    "claim",
    "attempts",
    "last_error",
    "next_attempt_at",
    "sent_at",
    "language",
    "message_id",
]


def send_one(sender: Sender, delivery: Delivery) -> str:
    """Send one claimed row and set its outcome on it (saved by the caller)."""
    subscriber = delivery.subscriber
    delivery.held_against = False
    if subscriber.status != Subscriber.Status.ACTIVE:
        delivery.status = Delivery.Status.SKIPPED
        return "skipped"
    version = sender.version(delivery.mailing, subscriber.language)
    message = mail.release_alert(
        subscriber,
        version,
        change_note=delivery.mailing.change_note,
        context=sender.context(version, subscriber.language),
    )
    delivery.attempts += 1
    delivery.language = version.language
    delivery.message_id = message.extra_headers["Message-ID"]
    try:
        sender.send(message)
    except Exception as error:  # every failure is recorded against this row, none is lost
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        if permanent(error) or delivery.attempts >= settings.ALERTS_MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
            delivery.held_against = permanent(error)
            return "failed"
        delivery.status = Delivery.Status.QUEUED
        delivery.claim = ""
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
        return "retry"
    delivery.status = Delivery.Status.SENT
    delivery.sent_at = timezone.now()
    delivery.last_error = ""
    return "sent"


def hold_against(subscriber: Subscriber) -> None:
    Subscriber.objects.filter(pk=subscriber.pk).update(hard_failures=F("hard_failures") + 1)
    Subscriber.objects.filter(
        pk=subscriber.pk,
        status=Subscriber.Status.ACTIVE,
        hard_failures__gte=settings.ALERTS_PAUSE_AFTER_FAILURES,
    ).update(status=Subscriber.Status.PAUSED)


def resend_failures(mailing: Mailing) -> list[int]:
    """Put a mailing's failed deliveries back in the queue (a publisher's "resend"): the rows
    to send."""
    failed = list(
        mailing.deliveries.filter(
            status=Delivery.Status.FAILED, subscriber__status=Subscriber.Status.ACTIVE
        ).values_list("pk", flat=True)
    )
    Delivery.objects.filter(pk__in=failed).update(
        status=Delivery.Status.QUEUED, claim="", attempts=0, next_attempt_at=None
    )
    return failed


# ---------------------------------------------------------------- embargoed advance copies
def send_advance_copies(copy_ids) -> int:
    from releases.models import PreviewLink

    sent = 0
    sender = Sender()
    try:
        for copy in AdvanceCopy.objects.filter(
            pk__in=copy_ids, sent_at__isnull=True
        ).select_related("release", "journalist", "preview_link"):
            release = copy.release
            if not release.is_scheduled or copy.preview_link is None:
                continue
            preview_url = mail.absolute(PreviewLink.get_absolute_url(copy.preview_link))
            try:
                sender.send(mail.advance_copy(copy, preview_url))
            except Exception as error:
                copy.last_error = f"{type(error).__name__}: {error}"[:2000]
                copy.save(update_fields=["last_error"])
                continue
            copy.sent_at = timezone.now()
            copy.last_error = ""
            copy.save(update_fields=["sent_at", "last_error"])
            StateChange.objects.create(
                item=release,
                action=StateChange.Action.ADVANCE_COPY,
                user=copy.sent_by,
                reason=f"To {copy.journalist.name} ({copy.journalist.outlet}), embargoed until "
                f"{astana_and_utc(copy.embargo_until)}",
            )
            sent += 1
    finally:
        sender.close()
    return sent


def send_cancellations(release_id: int, reason: str) -> int:
    """The “do not publish” notice to each journalist who got an advance copy of a release
    unscheduled or withdrawn before go-live; their preview links are revoked."""
    copies = AdvanceCopy.objects.filter(
        release_id=release_id, sent_at__isnull=False, cancelled_at__isnull=True
    ).select_related("release", "journalist", "preview_link")
    sent = 0
    sender = Sender()
    try:
        for copy in copies:
            if copy.preview_link is not None and copy.preview_link.revoked_at is None:
                copy.preview_link.revoked_at = timezone.now()
                copy.preview_link.save(update_fields=["revoked_at"])
            try:
                sender.send(mail.embargo_cancelled(copy, reason))
            except Exception as error:
                copy.last_error = f"{type(error).__name__}: {error}"[:2000]
                copy.save(update_fields=["last_error"])
                continue
            copy.cancelled_at = timezone.now()
            copy.save(update_fields=["cancelled_at"])
            StateChange.objects.create(
                item=copy.release,
                action=StateChange.Action.EMBARGO_CANCELLED,
                reason=f"To {copy.journalist.name} ({copy.journalist.outlet}): {reason}",
            )
            sent += 1
    finally:
        sender.close()
    return sent
