"""manage.py send_digests: queue the daily and weekly digests for their time, and one that is
due and was never queued at once (run hourly; the worker sends them)."""

from django.core.management.base import BaseCommand

from alerts import digests


class Command(BaseCommand):
    help = "Queue the digests due and the next ones (run hourly)."

    def handle(self, *args, **options):
        queued = digests.schedule()
        for line in queued:
            self.stdout.write(f"Queued the {line}.")
        if not queued:
            self.stdout.write("Nothing new to queue.")
