"""What alerts does when the editorial layer says something changed: queue the go-live
announcement for the moment a release becomes public (now, or its scheduled time: no cron),
the update a publisher asked for, and the "do not publish" notices when an embargoed release
is called off. Always after the commit, never sending in the editor's request."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from editorial.models import ChangeNote, Status
from editorial.signals import state_changed
from releases.models import Release

from . import delivery, tasks
from .models import AdvanceCopy


@receiver(state_changed, sender=Release)
def release_state_changed(sender, item, previous_status, previous_publish_at, **kwargs):
    now = timezone.now()
    if (
        item.status == Status.PUBLISHED
        and item.translation_of_id is None
        and item.correction_of_id is None
        and item.publish_at is not None
        and item.publish_at >= now - delivery.ANNOUNCE_WITHIN
    ):
        when = item.publish_at if item.publish_at > now else None
        pk, moment = item.pk, item.publish_at.isoformat()
        transaction.on_commit(
            lambda: tasks.announce_release.using(run_after=when).enqueue(pk, moment)
        )
    was_scheduled = (
        previous_status == Status.PUBLISHED
        and previous_publish_at is not None
        and previous_publish_at > now
    )
    if not was_scheduled or not AdvanceCopy.objects.filter(release=item).exists():
        return
    if item.status != Status.PUBLISHED:
        # The journalists' links die with the embargo, in this save's own transaction: the
        # notices can wait for the worker, the links cannot (they would show later drafts).
        item.preview_links.filter(
            pk__in=AdvanceCopy.objects.filter(release=item).values("preview_link"),
            revoked_at__isnull=True,
        ).update(revoked_at=now)
        reason = (
            "The release was withdrawn before its embargo ended."
            if item.status == Status.WITHDRAWN
            else "The release was taken off the schedule before its embargo ended."
        )
        pk = item.pk
        transaction.on_commit(lambda: tasks.send_cancellations.enqueue(pk, reason))
    elif item.publish_at != previous_publish_at:
        # Rescheduled: the advance copies' embargo and preview links follow the new time.
        copies = AdvanceCopy.objects.filter(release=item, cancelled_at__isnull=True)
        copies.update(embargo_until=item.publish_at)
        item.preview_links.filter(pk__in=copies.values("preview_link")).update(
            expires_at=item.publish_at
        )


@receiver(post_save, sender=ChangeNote)
def change_note_saved(sender, instance, created, **kwargs):
    if created and instance.announce:
        pk = instance.pk
        transaction.on_commit(lambda: tasks.announce_update.enqueue(pk))
