"""When webhooks announce what: listening to the editorial layer, and queueing the announcement
after the commit (never in the editor's request). `release.published`/`event.published` wait
for the go-live time, so an embargoed item is announced at its embargo's end, not before; a
withdrawal and a correction are announced at once."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from editorial.models import ChangeNote, Status, public_at
from editorial.signals import state_changed
from releases.models import Event, Release

from . import events, tasks


def occurrence(event: str, item, extra="") -> str:
    """What happened, once: a task run twice, or a save seen twice, announces it once."""
    return f"{event}:{events.kind_of(item)}:{item.pk}:{item.version}{extra}"


def queue(event: str, item, *, when=None, note_id=None, extra="") -> None:
    """Announce `event` of `item` once this save commits (at `when`, if given)."""
    args = (event, events.kind_of(item), item.pk, occurrence(event, item, extra), note_id)
    transaction.on_commit(lambda: tasks.announce.using(run_after=when).enqueue(*args))


@receiver(state_changed, sender=Release)
@receiver(state_changed, sender=Event)
def item_state_changed(sender, item, previous_status, previous_publish_at, **kwargs):
    item.webhooks_state_moved = True  # this save is announced here, not as a change
    if item.correction_of_id is not None:
        return  # a proposed correction: its original is what consumers see
    kind = events.kind_of(item)
    was_public = public_at(previous_status, previous_publish_at)
    if was_public and not item.is_public:
        queue(f"{kind}.withdrawn", item)
    elif not was_public and item.status == Status.PUBLISHED and item.publish_at is not None:
        now = timezone.now()
        if item.publish_at > now:
            queue(f"{kind}.published", item, when=item.publish_at)
        elif events.recent(item, now):
            queue(f"{kind}.published", item)


@receiver(post_save, sender=Event)
def event_saved(sender, instance, created, **kwargs):
    instance.webhooks_state_moved = False
    if created or not instance.is_public:
        return

    def changed():  # unless state_changed (sent after post_save) announced this save
        if not getattr(instance, "webhooks_state_moved", False):
            queue("event.changed", instance)  # committed already: queued at once

    transaction.on_commit(changed)


@receiver(post_save, sender=ChangeNote)
def change_note_saved(sender, instance, created, **kwargs):
    item = instance.item
    if not created or not isinstance(item, Release | Event) or not item.is_public:
        return
    event = "release.corrected" if isinstance(item, Release) else "event.changed"
    queue(event, item, note_id=instance.pk, extra=f":note{instance.pk}")
