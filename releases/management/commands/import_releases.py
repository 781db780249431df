"""python manage.py import_releases PATH [PATH ...]: import plain-text press releases."""

import csv
import json
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from editorial.models import Status
from releases.importing.runner import collect_files, import_files

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
        parser.add_argument(
            "--report",
            type=Path,
            metavar="FILE",
            help="also write what each file became, with its unsure fields, warnings and "
            "errors, to FILE (.html or .csv)",
        )

    def handle(self, *args, paths, dry_run, json, status, force, root, report=None, **options):
        if report is not None and report.suffix.lower() not in (".html", ".csv"):
            raise CommandError(f"{report}: the report is written as .html or .csv")
        files, reports = collect_files(paths, root)
        counts = Counter(r.status for r in reports)
        for failed in reports:
            self._emit(failed, as_json=json)
        outcomes = import_files(files, status=status, root=root, dry_run=dry_run, force=force)
        for done, outcome in enumerate(outcomes, start=1):
            counts[outcome.status] += 1
            self._emit(outcome, as_json=json)
            if report is not None:
                reports.append(outcome)
            if len(files) > PROGRESS_EVERY and done % PROGRESS_EVERY == 0:
                self.stderr.write(f"… {done}/{len(files)} files")
        summary = ", ".join(
            f"{counts[s]} {s}" for s in ("created", "updated", "unchanged", "failed")
        )
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stderr.write(f"{prefix}{sum(counts.values())} files: {summary}")
        if report is not None:
            write_report(report, reports, dry_run=dry_run)
            self.stderr.write(f"Report written to {report}")
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


REPORT_COLUMNS = [
    "file", "status", "kind", "language", "title", "date", "place", "people", "organisations",
    "unsure", "warnings", "errors",
]  # fmt: skip


def report_rows(reports) -> list[dict]:
    rows = []
    for report in reports:
        data = report.as_json()
        place = data.get("place") or {}
        rows.append(
            {
                "file": report.file,
                "status": report.status,
                "kind": data.get("kind") or "",
                "language": data.get("language") or "",
                "title": data.get("title") or data.get("title_suggested") or report.known_title,
                "date": data.get("date") or "",
                "place": ", ".join(filter(None, [place.get("city"), place.get("country")])),
                "people": "; ".join(p["name"] for p in data.get("people", [])),
                "organisations": "; ".join(o["name"] for o in data.get("organisations", [])),
                "unsure": ", ".join(data.get("unsure", [])),
                "warnings": "; ".join(report.warnings),
                "errors": "; ".join(report.errors),
            }
        )
    return rows


def write_report(path: Path, reports, *, dry_run: bool) -> None:
    """The import at a glance for the press office: one row per file."""
    rows = report_rows(reports)
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=REPORT_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        return
    context = {
        "rows": rows,
        "columns": REPORT_COLUMNS,
        "dry_run": dry_run,
        "counts": Counter(row["status"] for row in rows),
        "to_check": sum(1 for row in rows if row["unsure"] or row["warnings"] or row["errors"]),
    }
    page = render_to_string("releases/import_report.html", context, using="django")
    path.write_text(page, encoding="utf-8")
