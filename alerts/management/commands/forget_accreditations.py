"""manage.py forget_accreditations: erase the accreditation requests (and their files) whose
keeping time is over, as the applicants agreed (run daily)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from alerts.models import AccreditationRequest


class Command(BaseCommand):
    help = "Erase accreditation requests and their files after their keeping time."

    def handle(self, *args, **options):
        due = AccreditationRequest.objects.filter(forget_after__lt=timezone.localdate())
        count = 0
        for accreditation in due.iterator(chunk_size=200):
            accreditation.delete()  # its files too
            count += 1
        self.stdout.write(f"{count} accreditation request(s) erased.")
