"""Privacy housekeeping: forget addresses never confirmed after ALERTS_FORGET_UNCONFIRMED_DAYS
and the day-old sign-up records kept for the rate limits. Run it daily (README)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from alerts.models import SignupAttempt, Subscriber


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        now = timezone.now()
        cutoff = now - datetime.timedelta(days=settings.ALERTS_FORGET_UNCONFIRMED_DAYS)
        stale = Subscriber.objects.filter(status=Subscriber.Status.PENDING, created_at__lt=cutoff)
        forgotten = stale.count()
        stale.delete()
        attempts, _ = SignupAttempt.objects.filter(at__lt=now - datetime.timedelta(days=1)).delete()
        self.stdout.write(
            f"Forgot {forgotten} unconfirmed address record(s) and {attempts} sign-up record(s)."
        )
