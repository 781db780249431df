"""Catch-up: queue the alerts of releases that went live but were never announced (a worker
was down, the queue was lost); with `--all-due`, also what the queue held for later (each
scheduled release's go-live announcement, mail not yet sent), as after a restore. Safe to run
at any time: a release is announced once, a mail sent once."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from alerts.delivery import ANNOUNCE_WITHIN, announceable
from alerts.models import Delivery, Mailing
from alerts.tasks import announce_release, queue_sending
from releases.models import Release


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours",
            type=float,
            default=ANNOUNCE_WITHIN.total_seconds() / 3600,
            help="Look at releases that went live in the last HOURS (default: 48, the most "
            "that is still announced).",
        )
        parser.add_argument("--dry-run", action="store_true", help="List them, queue nothing.")
        parser.add_argument(
            "--all-due",
            action="store_true",
            help="Also queue the scheduled releases' announcements and the mail not yet sent "
            "(what a lost or restored queue held).",
        )

    def handle(self, *args, hours, dry_run, all_due, **options):
        if all_due and not dry_run:
            self.queue_what_is_due()
        since = timezone.now() - datetime.timedelta(hours=hours)
        announced = Mailing.objects.filter(occasion=Mailing.Occasion.PUBLISHED).values("release")
        missing = (
            Release.objects.public()
            .filter(publish_at__gte=since, translation_of__isnull=True, correction_of__isnull=True)
            .exclude(pk__in=announced)
            .order_by("publish_at")
        )
        count = 0
        for release in missing:
            if not announceable(release):
                continue
            count += 1
            self.stdout.write(f"{'Would queue' if dry_run else 'Queued'}: {release.title}")
            if not dry_run:
                announce_release.enqueue(release.pk, release.publish_at.isoformat())
        self.stdout.write(
            self.style.SUCCESS(f"{count} release(s) {'to queue' if dry_run else 'queued'}.")
        )

    def queue_what_is_due(self) -> None:
        scheduled = Release.objects.scheduled().filter(
            translation_of__isnull=True, correction_of__isnull=True
        )
        for release in scheduled:
            announce_release.using(run_after=release.publish_at).enqueue(
                release.pk, release.publish_at.isoformat()
            )
        waiting = list(
            Delivery.objects.filter(status=Delivery.Status.QUEUED).values_list("pk", flat=True)
        )
        queue_sending(waiting)
        self.stdout.write(
            f"Queued {scheduled.count()} scheduled announcement(s) and {len(waiting)} mail(s) "
            "not yet sent."
        )
