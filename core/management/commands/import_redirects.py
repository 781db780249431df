"""manage.py import_redirects FILE.csv [FILE.csv ...]: the old sites' addresses and where each
leads now, one per line (`old_url,new_path`, with that header). Each line is checked on its own:
a bad line is reported with its file and line number and the others are imported. Running it
again changes nothing (a line already in place is "unchanged")."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import Resolver404, resolve

from core.models import Redirect
from core.redirects import address_key, target_path

COLUMNS = ("old_url", "new_path")


class Command(BaseCommand):
    help = "Import redirects from old addresses (CSV with the columns old_url,new_path)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, change nothing"
        )

    def handle(self, *args, files, dry_run=False, **options):
        totals = {"created": 0, "updated": 0, "unchanged": 0, "errors": 0}
        for path in files:
            for outcome in self.import_file(path, dry_run):
                totals[outcome] += 1
        self.stdout.write(
            ("Would import: " if dry_run else "")
            + ", ".join(f"{count} {name}" for name, count in totals.items())
        )
        if totals["errors"]:
            raise CommandError(f"{totals['errors']} line(s) could not be imported (see above).")

    def import_file(self, path: Path, dry_run: bool):
        try:
            handle = path.open(encoding="utf-8-sig", newline="")
        except OSError as error:
            self.stderr.write(f"{path}: cannot be read ({error.strerror}).")
            yield "errors"
            return
        with handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                self.stderr.write(
                    f"{path}:1: the header must name the columns old_url,new_path "
                    f"(missing: {', '.join(missing)})."
                )
                yield "errors"
                return
            seen = {}
            try:
                for row in reader:
                    line = reader.line_num
                    try:
                        yield self.import_row(row, seen, line, dry_run)
                    except ValueError as error:
                        self.stderr.write(f"{path}:{line}: {error}")
                        yield "errors"
            except (csv.Error, UnicodeDecodeError) as error:
                self.stderr.write(f"{path}:{reader.line_num}: not a readable CSV line ({error}).")
                yield "errors"

    def import_row(self, row: dict, seen: dict, line: int, dry_run: bool) -> str:
        old_url, new_url = (row.get("old_url") or "").strip(), (row.get("new_path") or "").strip()
        key = address_key(old_url)
        target = target_path(new_url)
        if key == address_key(target):
            raise ValueError(f"{old_url} would lead to itself.")
        if key in seen and seen[key][0] != target:
            raise ValueError(f"{old_url} is already on line {seen[key][1]} with another target.")
        seen[key] = (target, line)
        try:
            resolve(target.split("?", 1)[0])
        except Resolver404:
            raise ValueError(f"{new_url} is not an address of this site.") from None
        current = Redirect.objects.filter(old_path=key).first()
        if current is not None and current.new_path == target:
            return "unchanged"
        if not dry_run:
            with transaction.atomic():
                Redirect.objects.update_or_create(
                    old_path=key,
                    defaults={"new_path": target, "source": Redirect.Source.IMPORTED},
                )
        return "created" if current is None else "updated"
