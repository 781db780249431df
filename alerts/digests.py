"""Digests: subscribers who chose "daily" or "weekly" get one mail listing the period's public
releases that match their choices, in their language, at ALERTS_DIGEST_HOUR Astana time (weekly
on ALERTS_DIGEST_WEEKDAY). A period's `Digest` row is made when it is queued (unique: never
twice), each subscriber's `DigestDelivery` before their mail is sent (unique: never twice); a
subscriber with nothing in the period gets nothing.

`schedule()` (the hourly `send_digests` command) queues each frequency's next digest for its
time, and one that is due and was never queued (the worker or the command was down) at once."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from releases.models import Release

from .models import Digest, DigestDelivery, Subscriber

PERIODS = {"daily": datetime.timedelta(days=1), "weekly": datetime.timedelta(days=7)}


def due_moments(frequency: str, now=None) -> tuple[datetime.datetime, datetime.datetime]:
    """(the last moment a digest of `frequency` was due, at or before `now`; the next one)."""
    now = timezone.localtime(now or timezone.now())
    at_hour = now.replace(hour=settings.ALERTS_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if frequency == "weekly":
        at_hour -= datetime.timedelta(days=(now.weekday() - settings.ALERTS_DIGEST_WEEKDAY) % 7)
    step = PERIODS[frequency]
    last = at_hour if at_hour <= now else at_hour - step
    return last, last + step


def schedule(now=None) -> list[str]:
    """Queue what is due and what comes next; what was queued, for the command to say."""
    from .tasks import send_digest

    queued = []
    for frequency, period in PERIODS.items():
        last, following = due_moments(frequency, now)
        for end, when in ((last, None), (following, following)):
            try:
                with transaction.atomic():
                    digest = Digest.objects.create(
                        frequency=frequency, period_start=end - period, period_end=end
                    )
            except IntegrityError:
                continue  # queued before
            pk = digest.pk
            task = send_digest.using(run_after=when) if when else send_digest
            transaction.on_commit(lambda task=task, pk=pk: task.enqueue(pk))
            queued.append(f"{frequency} digest until {timezone.localtime(end):%Y-%m-%d %H:%M}")
    return queued


def contents(digest: Digest) -> dict[int, list[Release]]:
    """{subscriber id: [release, ...]} of the period, in each subscriber's language."""
    originals = (
        Release.objects.public()
        .filter(
            translation_of__isnull=True,
            publish_at__gt=digest.period_start,
            publish_at__lte=digest.period_end,
        )
        .order_by("publish_at")
    )
    wanted: dict[int, list[Release]] = defaultdict(list)
    for release in originals:
        readers = Subscriber.matching(release).filter(frequency=digest.frequency)
        for subscriber_id in readers.values_list("pk", flat=True):
            wanted[subscriber_id].append(release)
    return wanted


def in_language(release: Release, language: str) -> Release:
    if release.language == language:
        return release
    version = (
        Release.objects.public()
        .filter(translation_group=release.translation_group, language=language)
        .first()
    )
    return version or release


def send(digest_id: int) -> str:
    from . import mail

    digest = Digest.objects.filter(pk=digest_id).first()
    if digest is None:
        return "gone"
    if digest.period_end > timezone.now():
        return "not due"
    wanted = contents(digest)
    subscribers = Subscriber.objects.filter(pk__in=wanted, status=Subscriber.Status.ACTIVE)
    sent = 0
    for subscriber in subscribers:
        releases = [in_language(r, subscriber.language) for r in wanted[subscriber.pk]]
        try:
            with transaction.atomic():
                row = DigestDelivery.objects.create(
                    digest=digest, subscriber=subscriber, releases=len(releases)
                )
        except IntegrityError:
            continue  # sent (or being sent) by another run
        try:
            mail.digest(subscriber, digest, releases).send()
        except Exception as error:  # noqa: BLE001 (recorded; the others are still sent)
            row.error = str(error)[:2000]
            row.save(update_fields=["error"])
            continue
        row.sent_at = timezone.now()
        row.save(update_fields=["sent_at"])
        Subscriber.objects.filter(pk=subscriber.pk).update(last_mail_at=row.sent_at)
        sent += 1
    Digest.objects.filter(pk=digest.pk).update(sent=sent)
    return f"{sent} sent"
