"""The background work of alerts, through Django's tasks API (django-tasks before Django 6).
The database is the queue; `manage.py db_worker` runs it. Each task is safe to run twice."""

try:  # Django 6
    from django.tasks import task
except ImportError:  # Django 5.2: the backport
    from django_tasks import task

from . import delivery


@task()
def announce_release(release_id: int, publish_at: str) -> str:
    return delivery.go_live(release_id, publish_at)


@task()
def announce_update(change_note_id: int) -> str:
    return delivery.update(change_note_id)


@task()
def send_deliveries(delivery_ids: list[int]) -> dict:
    return delivery.send_claimed(delivery.claim(delivery_ids))


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
