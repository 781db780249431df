"""python manage.py restore_portal ARCHIVE: load an export into an empty database."""

import shlex
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.backup import RestoreError, restore

from ._progress import ProgressBar


class Command(BaseCommand):
    help = "Load an archive made by export_portal into an empty database (SQLite or PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="a file written by export_portal")

    def handle(self, *args, archive, **options):
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file")
        call_command("migrate", verbosity=0, interactive=False)
        bar = ProgressBar(self.stderr)
        try:
            manifest = restore(archive, progress=bar.update)
        except RestoreError as exc:
            raise CommandError(f"{archive}: not restored, nothing written: {exc}") from None
        bar.done()
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Restored {rows:,} rows of {len(manifest['models'])} models and "
            f"{manifest['media restored']:,} media files from {archive}."
        )
        # The task queue is not in the archive: what it held is made again.
        for command in settings.BACKUP_AFTER_RESTORE:
            self.stdout.write(f"Then: manage.py {command}")
            call_command(*shlex.split(command), stdout=self.stdout, stderr=self.stderr)
