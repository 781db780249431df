"""export_portal writes the whole portal to one file; restore_portal loads it into an empty
database, SQLite or PostgreSQL, and the result is the same portal, table by table."""

import datetime
import io
import json
import os
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import connection

from editorial.models import ChangeNote, StateChange
from releases.models import Release

ROOT = Path(__file__).resolve().parent.parent
# Sessions and lockout counters: not worth keeping; the task queue: made again after a restore.
NOT_KEPT = ("django_session", "axes_", "django_tasks_database_")

COUNT_TABLES = """
import json
from django.db import connection
with connection.cursor() as cursor:
    counts = {}
    for table in connection.introspection.table_names():
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
print(json.dumps(counts))
"""


@pytest.fixture
def fresh_database(tmp_path):
    """The address of an empty database of the same kind as the test's, made and dropped here."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    db = settings.DATABASES["default"]
    name = f"cica_restore_{uuid.uuid4().hex[:8]}"
    server = dict(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"]
    )
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database_url: str, *args: str, **environ) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        **environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "cica_portal.settings",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def data_files(archive: Path) -> dict[str, list]:
    with zipfile.ZipFile(archive) as zipped:
        return {
            name: json.loads(zipped.read(name))
            for name in zipped.namelist()
            if name.startswith("data/")
        }


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_portal_restored_on_another_machine_is_the_same_portal_with_its_media_and_queue(
    seeds, fresh_database, tmp_path, settings
):
    """Table by table, every row (what was corrected, who did it, the log); the library's files
    in the new machine's own storage; what the queue held (a scheduled release's announcement)
    queued again. One restore for all three: each migrates a database from nothing."""
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from PIL import Image as Picture

    from library import renditions
    from library.models import Image
    from releases.roles import ensure_groups

    from .factories import make_release

    ensure_groups()  # an earlier test's flush may have taken the migration's groups
    editor = User.objects.create_user("aigerim", password="a-long-unique-passphrase")
    editor.groups.add(Group.objects.get(name="Editor"))
    release = Release.objects.first()
    release.title = "Corrected title"
    release.save()
    ChangeNote.objects.create(item=release, note="Corrected the title.", created_by=editor)
    # A time under a millisecond past the second: Django's JSON keeps milliseconds only.
    exact = datetime.datetime(2026, 11, 23, 21, 54, 1, 123, tzinfo=datetime.UTC)
    Release.objects.filter(pk=release.pk).update(updated_at=exact)
    settings.MEDIA_ROOT = tmp_path / "media-here"
    picture = io.BytesIO()
    Picture.new("RGB", (40, 20), (10, 90, 20)).save(picture, "JPEG")
    image = Image(alt_text="Ministers")
    image.file.save("meeting.jpg", ContentFile(picture.getvalue()), save=True)
    renditions.make(image)  # what the task worker does after an upload
    files = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    go_live = timezone.now() + datetime.timedelta(days=1)
    make_release(title="Embargoed", publish_at=go_live, lead_image=image)
    archive = tmp_path / "portal.zip"
    call_command(
        "export_portal", str(archive), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w")
    )

    elsewhere = tmp_path / "media-there"
    restored = manage(fresh_database, "restore_portal", str(archive), MEDIA_ROOT=str(elsewhere))
    assert restored.returncode == 0, restored.stderr
    assert f"{len(files)} media files" in restored.stdout, restored.stdout
    assert "1 scheduled announcement" in restored.stdout
    for file in files:
        copy = elsewhere / file.relative_to(settings.MEDIA_ROOT)
        assert copy.read_bytes() == file.read_bytes()
    again = tmp_path / "again.zip"
    assert manage(fresh_database, "export_portal", str(again)).returncode == 0
    assert data_files(again) == data_files(archive)

    theirs = json.loads(manage(fresh_database, "shell", "-c", COUNT_TABLES).stdout.splitlines()[-1])
    ours = table_counts()
    kept = [t for t in ours if not t.startswith(NOT_KEPT)]
    assert {t: theirs[t] for t in kept} == {t: ours[t] for t in kept}
    assert StateChange.objects.count() == theirs["editorial_statechange"] > 0
    queued = manage(
        fresh_database,
        "shell",
        "-c",
        "from django_tasks_db.models import DBTaskResult; "
        "print([(t.task_path, t.run_after.isoformat()) for t in DBTaskResult.objects.all()])",
    )
    assert "alerts.tasks.announce_release" in queued.stdout, queued.stderr
    assert go_live.isoformat()[:16] in queued.stdout


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(seeds, tmp_path):
    archive = tmp_path / "portal.zip"
    call_command(
        "export_portal", str(archive), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w")
    )
    with pytest.raises(CommandError, match="not empty"):
        call_command(
            "restore_portal",
            str(archive),
            stdout=open(os.devnull, "w"),
            stderr=open(os.devnull, "w"),
        )
    assert Release.objects.count() == 3


@pytest.mark.django_db
def test_an_archive_keeps_every_microsecond(seeds, tmp_path):
    from core.backup import export

    exact = datetime.datetime(2026, 11, 23, 21, 54, 1, 123, tzinfo=datetime.UTC)
    release = Release.objects.first()
    Release.objects.filter(pk=release.pk).update(updated_at=exact)
    export(tmp_path / "portal.zip")
    rows = data_files(tmp_path / "portal.zip")["data/releases.release.json"]
    written = next(row for row in rows if row["pk"] == release.pk)["fields"]["updated_at"]
    assert written == "2026-11-23T21:54:01.000123Z"
