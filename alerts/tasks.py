"""The background work of alerts, through Django's tasks API (django-tasks before Django 6).
The database is the queue; `manage.py db_worker` runs it. Each task is safe to run twice."""

try:  # Django 6
    from django.tasks import task
except ImportError:  # Django 5.2: the backport
    from django_tasks import task

from django.conf import settings

from . import delivery


def queue_sending(delivery_ids: list[int]) -> None:
    """Send tasks for `delivery_ids`, ALERTS_BATCH_SIZE rows each."""
    size = settings.ALERTS_BATCH_SIZE
    for start in range(0, len(delivery_ids), size):
        send_deliveries.enqueue(delivery_ids[start : start + size])


@task()
def announce_release(release_id: int, publish_at: str) -> str:
    outcome, queued = delivery.go_live(release_id, publish_at)
    queue_sending(queued)
    return outcome


@task()
def announce_update(change_note_id: int) -> str:
    outcome, queued = delivery.update(change_note_id)
    queue_sending(queued)
    return outcome


@task()
def send_deliveries(delivery_ids: list[int]) -> dict:
    counts, retries = delivery.send_claimed(delivery.claim(delivery_ids))
    for pk, when in retries:
        send_deliveries.using(run_after=when).enqueue([pk])
    return counts


@task()
def send_subscriber_mail(subscriber_id: int, kind: str) -> str:
    """The confirmation mail (kind "confirm") or, for an address already subscribed that was
    entered again, its own links ("reminder")."""
    from . import mail
    from .models import Subscriber

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return "gone"
    if kind == "confirm" and subscriber.status == Subscriber.Status.PENDING:
        mail.confirmation(subscriber).send()
    elif kind == "reminder" and subscriber.status == Subscriber.Status.ACTIVE:
        mail.already_subscribed(subscriber).send()
    else:
        return "nothing to send"
    return "sent"


@task()
def send_advance_copies(copy_ids: list[int]) -> int:
    return delivery.send_advance_copies(copy_ids)


@task()
def send_cancellations(release_id: int, reason: str) -> int:
    return delivery.send_cancellations(release_id, reason)


@task()
def send_accreditation_mail(request_id: int, kind: str) -> str:
    """To the applicant, in their language: "received", or the decision the request carries
    now ("approved", "refused", "more")."""
    from . import mail
    from .models import AccreditationRequest

    request = AccreditationRequest.objects.select_related("event").filter(pk=request_id).first()
    if request is None:
        return "gone"
    if kind != "received" and kind != request.status:
        return "decision changed since"  # the later decision's own mail says what holds
    mail.accreditation(request, kind).send()
    return "sent"


@task()
def send_digest(digest_id: int) -> str:
    from . import digests

    return digests.send(digest_id)
