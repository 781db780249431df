"""python manage.py import_releases PATH [PATH ...]: import plain-text press releases."""

import json
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand

from editorial.models import Status
from releases.importing.runner import collect_files, import_file

PROGRESS_EVERY = 250


class Command(BaseCommand):
    help = (
        "Import plain-text press releases (files, or folders of .txt files). Re-importing is safe."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="a .txt file or a folder of them"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and report; write nothing"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object per file")
        parser.add_argument(
            "--status",
            choices=[Status.DRAFT, Status.PUBLISHED],
            default=Status.DRAFT,
            help="status of newly created releases (default: draft)",
        )
        parser.add_argument(
            "--root",
            type=Path,
            default=Path.cwd(),
            help="the import root: files must be inside it, and a release remembers its file "
            "by its path under it (default: the current folder)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace releases editors changed since their import",
        )

    def handle(self, *args, paths, dry_run, json, status, force, root, **options):
        files, reports = collect_files(paths, root)
        counts = Counter(r.status for r in reports)
        for report in reports:
            self._emit(report, as_json=json)
        for done, path in enumerate(files, start=1):
            report = import_file(path, status=status, root=root, dry_run=dry_run, force=force)
            counts[report.status] += 1
            self._emit(report, as_json=json)
            if len(files) > PROGRESS_EVERY and done % PROGRESS_EVERY == 0:
                self.stderr.write(f"… {done}/{len(files)} files")
        summary = ", ".join(
            f"{counts[s]} {s}" for s in ("created", "updated", "unchanged", "failed")
        )
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stderr.write(f"{prefix}{sum(counts.values())} files: {summary}")
        if counts["failed"]:
            sys.exit(1)

    def _emit(self, report, *, as_json):
        if as_json:
            self.stdout.write(json_dumps(report.as_json()))
        elif report.status == "failed":
            self.stderr.write(self.style.ERROR(report.line()))
        else:
            self.stdout.write(report.line())


def json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
