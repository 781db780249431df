"""Catch-up: queue the alerts of releases that went live but were never announced (a worker
was down, the queue was lost). Safe to run at any time: a release is announced once."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from alerts.delivery import ANNOUNCE_WITHIN, announceable
from alerts.models import Mailing
from alerts.tasks import announce_release
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

    def handle(self, *args, hours, dry_run, **options):
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
