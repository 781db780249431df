"""The background work of webhooks, through Django's tasks API (the database is the queue).
Each task is safe to run twice."""

try:  # Django 6
    from django.tasks import task
except ImportError:  # Django 5.2: the backport
    from django_tasks import task

from . import events, sending


@task()
def announce(event: str, kind: str, pk: int, occurrence: str, note_id: int | None = None) -> str:
    outcome, made = events.announce(event, kind, pk, occurrence, note_id)
    queue_sending(made)
    return outcome


@task()
def send_messages(message_ids: list[int]) -> dict:
    counts, retries, paused = sending.send_claimed(sending.claim(message_ids))
    for pk, when in retries:
        send_messages.using(run_after=when).enqueue([pk])
    for endpoint_id in paused:
        tell_paused.enqueue(endpoint_id)
    return counts


@task()
def tell_paused(endpoint_id: int) -> str:
    return sending.tell_paused(endpoint_id)


def queue_sending(message_ids: list[int]) -> None:
    # One task per message: a slow endpoint delays only its own messages.
    for pk in message_ids:
        send_messages.enqueue([pk])
