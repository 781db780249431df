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
        parser.add_argument(
            "--no-media",
            action="store_true",
            help="leave the library's files out (back up MEDIA_ROOT or the bucket apart)",
        )

    def handle(self, *args, archive, no_media, **options):
        bar = ProgressBar(self.stderr)
        manifest = export(archive, media=not no_media, progress=bar.update)
        bar.done()
        rows = sum(manifest["rows"].values())
        media = manifest["media"]
        self.stdout.write(
            f"Wrote {archive}: {rows:,} rows of {len(manifest['models'])} models, "
            f"{media['files']:,} media files ({media['bytes'] / 1_048_576:.1f} MB)."
        )
        for name in media.get("missing", []):
            self.stderr.write(f"Not in the storage, not kept: {name}")
