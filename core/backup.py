"""Export and restore of the whole portal: one portable file, any database, any storage.

The archive is a zip: `manifest.json` (what it holds: format, when, each app's last migration,
rows per model, media files) and one JSON file per model in Django's serialisation, foreign
keys to content types, permissions and users written by their natural keys, so the archive
loads into SQLite or PostgreSQL alike, and under `media/` every file a record names (the
library's pictures, renditions and documents), read from the storage in use (disk or S3) and
written back to the storage of the portal restored. Which apps are kept is configuration
(settings.BACKUP_APPS); sessions and the sign-in lockout's counters are not worth keeping. The
task queue is not kept: what it held is made again after a restore by the commands in
settings.BACKUP_AFTER_RESTORE (alerts still due, renditions missing).
"""

import datetime
import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.models import FileField
from django.test.utils import override_settings

FORMAT = 1
BATCH = 2000
SKIPPED = {"auth.permission"}  # made by `migrate`; referenced by natural key

Progress = Callable[[int, int, str], None]


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder writes times to the millisecond (ECMA-262): a restored portal's times
    would each move by up to 999 microseconds. A backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


def exported_models() -> list:
    """The models kept, parents before the rows that point to them."""
    chosen = [
        model
        for label in settings.BACKUP_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in SKIPPED
    ]
    app_list = {apps.get_app_config(label): None for label in settings.BACKUP_APPS}
    order = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [m for m in order if m in chosen] + [m for m in chosen if m not in order]


def stored_files(models) -> list[str]:
    """The names of the files the rows of `models` name (their FileFields), each once."""
    names = set()
    for model in models:
        for field in model._meta.get_fields():
            if isinstance(field, FileField):
                names.update(
                    model._base_manager.exclude(**{field.name: ""}).values_list(
                        field.name, flat=True
                    )
                )
    return sorted(name for name in names if name)


def export(path: Path, *, media: bool = True, progress: Progress = lambda *a: None) -> dict:
    """Write the archive (with the media files, unless `media` is false); its manifest."""
    models = exported_models()
    counts = {}
    partial = path.with_name(path.name + ".part")  # renamed once whole: no half archive
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, model in enumerate(models, start=1):
            label = model._meta.label_lower
            progress(index, len(models), label)
            rows = model._base_manager.order_by("pk")
            counts[label] = rows.count()
            with archive.open(f"data/{label}.json", "w") as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8")
                serializers.serialize(
                    "json",
                    rows.iterator(chunk_size=BATCH),
                    stream=out,
                    cls=ExactJSONEncoder,
                    use_natural_foreign_keys=True,
                )
                out.flush()
        files = export_media(archive, models) if media else {"files": 0, "bytes": 0}
        manifest = {
            "format": FORMAT,
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "migrations": _last_migrations(),
            "models": [m._meta.label_lower for m in models],
            "rows": counts,
            "media": files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    partial.replace(path)
    return manifest


def export_media(archive: zipfile.ZipFile, models) -> dict:
    """Copy each stored file the rows name into `media/`; what was copied and what is missing."""
    copied, size, missing = 0, 0, []
    for name in stored_files(models):
        try:
            with (
                default_storage.open(name, "rb") as source,
                archive.open(f"media/{name}", "w", force_zip64=True) as target,
            ):
                shutil.copyfileobj(source, target, 1024 * 1024)
        except FileNotFoundError:
            missing.append(name)
            continue
        copied += 1
        size += archive.getinfo(f"media/{name}").file_size
    return {"files": copied, "bytes": size, "missing": missing}


class RestoreError(Exception):
    """The archive cannot be loaded here (not empty, other migrations, not an archive)."""


def restore(path: Path, *, progress: Progress = lambda *a: None) -> dict:
    """Load the archive into this (migrated, empty) database, all or nothing."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        _check(manifest)
        # Loading links must not write revisions of its own: the archive has them all.
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            # The groups a migration made come back from the archive, with their permissions.
            apps.get_model("auth", "Group").objects.all().delete()
            with connection.constraint_checks_disabled():
                for index, label in enumerate(manifest["models"], start=1):
                    progress(index, len(manifest["models"]), label)
                    with archive.open(f"data/{label}.json") as data:
                        for item in serializers.deserialize(
                            "json", data, handle_forward_references=True
                        ):
                            item.save()
            connection.check_constraints()
            _reset_sequences(manifest["models"])
        manifest["media restored"] = restore_media(archive)
    return manifest


def restore_media(archive: zipfile.ZipFile) -> int:
    """Write the archive's media files to this portal's storage under their own names (a file
    already there is left as it is); how many were written."""
    written = 0
    for info in archive.infolist():
        if not info.filename.startswith("media/") or info.is_dir():
            continue
        name = info.filename.removeprefix("media/")
        if default_storage.exists(name):
            continue
        with archive.open(info) as source:
            saved = default_storage.save(name, File(source, name=name))
        if saved != name:
            raise RestoreError(f"the storage stored {name} as {saved}")
        written += 1
    return written


def _check(manifest: dict) -> None:
    if manifest.get("format") != FORMAT:
        raise RestoreError(f"archive format {manifest.get('format')}; this portal reads {FORMAT}")
    here = _last_migrations()
    behind = {app: m for app, m in manifest["migrations"].items() if here.get(app) != m}
    if behind:
        raise RestoreError(
            "the archive was made at other migrations "
            + ", ".join(f"{app} {m} (here {here.get(app)})" for app, m in sorted(behind.items()))
            + ": run this portal's version that made it, or migrate both to the same version"
        )
    for label in ("releases.release", "contacts.person", "auth.user"):
        if apps.get_model(label).objects.exists():
            raise RestoreError(
                f"this database is not empty ({label} has rows): restore into an empty one"
            )


def _last_migrations() -> dict[str, str]:
    applied = MigrationLoader(connection).applied_migrations
    last: dict[str, str] = {}
    for app, name in sorted(applied):
        if app in settings.BACKUP_APPS:
            last[app] = max(last.get(app, ""), name)
    return last


def _reset_sequences(labels: list[str]) -> None:
    models = [apps.get_model(label) for label in labels]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
