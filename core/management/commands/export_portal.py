"""python manage.py export_portal ARCHIVE: every record, revision, log and group in one file."""

from pathlib import Path

from django.core.management.base import BaseCommand

from core.backup import export

from ._progress import ProgressBar


class Command(BaseCommand):
    help = "Write the whole portal (content, revisions, logs, users, groups) to one archive file."

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", type=Path, help="the file to write, e.g. cica-2026-11-23.zip"
        )

    def handle(self, *args, archive, **options):
        bar = ProgressBar(self.stderr)
        manifest = export(archive, progress=bar.update)
        bar.done()
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"Wrote {archive}: {rows:,} rows of {len(manifest['models'])} models.")
