"""Make every picture's renditions again (after MEDIA_RENDITION_WIDTHS changed, or to repair),
with a progress bar; `--missing` makes only those not there yet."""

import sys

from django.core.management.base import BaseCommand

from library import renditions
from library.models import Image


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="Only the renditions missing.")

    def handle(self, *args, missing, **options):
        images = Image.objects.order_by("pk")
        total = images.count()
        made = failed = 0
        for done, image in enumerate(images.iterator(chunk_size=100), 1):
            try:
                made += renditions.make(image, again=not missing)
            except (OSError, ValueError) as error:
                failed += 1
                self.stderr.write(f"\nImage {image.pk} ({image.file.name}): {error}")
            if sys.stdout.isatty() or done == total:
                filled = int(30 * done / total) if total else 30
                self.stdout.write(
                    f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} pictures",
                    ending="",
                )
        self.stdout.write(f"\n{made} renditions made, {failed} picture(s) could not be read.")
