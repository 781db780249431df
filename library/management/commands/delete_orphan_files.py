"""List the files in the media storage that no record points to (left by a failed upload, a
deleted picture, a restore); `--delete` removes them. A dry run unless told otherwise."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from library.models import Document, Image, Rendition

FOLDERS = ("images", "renditions", "documents")


def walk(storage, folder):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from walk(storage, f"{folder}/{sub}")


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Delete them (after a look).")

    def handle(self, *args, delete, **options):
        known = set(Image.objects.values_list("file", flat=True))
        known |= set(Rendition.objects.values_list("file", flat=True))
        known |= set(Document.objects.values_list("file", flat=True))
        orphans = [
            path
            for folder in FOLDERS
            for path in walk(default_storage, folder)
            if path not in known
        ]
        for path in orphans:
            self.stdout.write(("Deleted: " if delete else "No record: ") + path)
            if delete:
                default_storage.delete(path)
        verb = "deleted" if delete else "found (run again with --delete to remove them)"
        self.stdout.write(f"{len(orphans)} file(s) {verb}.")
