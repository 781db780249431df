"""Delete delivered webhook messages older than N days (run daily): each keeps a copy of what
it announced, and the record is for following deliveries, not an archive. Messages that failed
or wait for a paused endpoint are kept until they are delivered."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from webhooks.models import Message


class Command(BaseCommand):
    help = "Delete delivered webhook messages older than --days (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days, **options):
        before = timezone.now() - datetime.timedelta(days=days)
        gone, _ = Message.objects.filter(
            status=Message.Status.DELIVERED, delivered_at__lt=before
        ).delete()
        self.stdout.write(f"{gone} delivered messages older than {days} days deleted.")
