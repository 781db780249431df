"""The importer reads regular files under its root only, knows a release by its path and
text, never lets one text overwrite another's live release, and bounds what it accepts."""

import os
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from editorial.models import Status
from releases.importing.runner import import_file
from releases.importing.text import normalise
from releases.models import Release

pytestmark = pytest.mark.django_db

TEXT = """CICA Secretariat holds a seminar on water security

Astana, 22 January 2024 – The CICA Secretariat held a seminar on water security.

It brought together experts of the Member States."""
OTHER = """CICA Secretary General meets students in Almaty

Almaty, 3 March 2024 – The Secretary General met students of a university in Almaty.

They talked about confidence building in Asia."""


def run(*args, root: Path):
    out, err = StringIO(), StringIO()
    try:
        call_command(
            "import_releases", *map(str, args), "--root", str(root), stdout=out, stderr=err
        )
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue() + err.getvalue()


def test_a_symbolic_link_in_the_folder_is_reported_and_not_followed(tmp_path):
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "good.txt").write_text(TEXT, encoding="utf-8")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    code, output = run(folder, "--status", "published", root=tmp_path)
    assert code == 1
    assert "passwd.txt: a symbolic link: not followed" in output
    assert Release.objects.count() == 1 and "root" not in Release.objects.get().body


def test_a_symbolic_link_named_on_the_command_line_is_refused(tmp_path):
    (tmp_path / "status.txt").symlink_to("/proc/self/status")
    code, output = run(tmp_path / "status.txt", root=tmp_path)
    assert code == 1 and "a symbolic link" in output and not Release.objects.exists()


def test_a_fifo_is_not_read_and_says_what_it_is(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    code, output = run(tmp_path, root=tmp_path)
    assert code == 1 and "pipe.txt: not a regular file (a FIFO)" in output


def test_a_device_is_not_read_and_says_what_it_is():
    report = import_file(Path("/dev/zero"), status="draft", root=Path("/"))
    assert report.status == "failed" and "not a regular file (a device)" in report.errors[0]


def test_paths_outside_the_import_root_are_refused(tmp_path):
    (tmp_path / "inside").mkdir()
    (tmp_path / "outside.txt").write_text(TEXT, encoding="utf-8")
    code, output = run(tmp_path / "inside" / ".." / "outside.txt", root=tmp_path / "inside")
    assert code == 1 and "outside the import root" in output and not Release.objects.exists()


def test_two_files_of_one_name_in_two_folders_are_two_releases(tmp_path):
    for folder, text in (("a", TEXT), ("b", OTHER)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "release.txt").write_text(text, encoding="utf-8")
    run(tmp_path / "a", "--status", "published", root=tmp_path)
    run(tmp_path / "b", "--status", "published", root=tmp_path)
    assert sorted(Release.objects.values_list("source_file", flat=True)) == [
        "a/release.txt",
        "b/release.txt",
    ]
    assert Release.objects.get(source_file="a/release.txt").title.startswith("CICA Secretariat")


def test_a_live_release_known_by_a_bare_name_is_not_replaced_by_another_text(tmp_path):
    (tmp_path / "release.txt").write_text(TEXT, encoding="utf-8")
    import_file(tmp_path / "release.txt", status=Status.PUBLISHED)  # remembered as "release.txt"
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "release.txt").write_text(OTHER, encoding="utf-8")
    code, output = run(tmp_path / "b", root=tmp_path)
    live = Release.objects.get(source_file="release.txt")
    assert live.title.startswith("CICA Secretariat") and "run with --force" in output
    run(tmp_path / "b", "--force", root=tmp_path)
    assert Release.objects.get(pk=live.pk).title.startswith("CICA Secretary General")


def test_the_same_text_from_another_place_is_unchanged_not_a_second_release(tmp_path):
    (tmp_path / "release.txt").write_text(TEXT, encoding="utf-8")
    import_file(tmp_path / "release.txt", status=Status.PUBLISHED)
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "release.txt").write_text(TEXT, encoding="utf-8")
    code, output = run(tmp_path / "copy", root=tmp_path)
    assert code == 0 and "1 unchanged" in output and Release.objects.count() == 1


@pytest.mark.postgres  # SQLite has one writer at a time
def test_a_file_another_run_is_importing_is_left_to_it(tmp_path, django_db_blocker):
    import psycopg
    from django.conf import settings

    (tmp_path / "release.txt").write_text(TEXT, encoding="utf-8")
    db = settings.DATABASES["default"]
    other = psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", ["release.txt"])
        report = import_file(tmp_path / "release.txt", status=Status.DRAFT)
    finally:
        other.close()
    assert report.status == "unchanged" and "being imported by another run" in report.warnings[0]
    assert not Release.objects.exists()


@pytest.mark.postgres  # SQLite has one writer at a time
def test_concurrent_runs_never_report_a_raw_database_error(tmp_path, transactional_db):
    for n in range(6):
        (tmp_path / f"r{n}.txt").write_text(TEXT.replace("water", f"water {n}"), encoding="utf-8")
    outputs = []

    def one_run():
        outputs.append(run(tmp_path, root=tmp_path)[1])
        connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Release.objects.count() == 6
    assert not any("duplicate key" in o or "database error" in o for o in outputs), outputs


def test_bidirectional_controls_go_and_a_zero_width_space_keeps_words_apart():
    [line] = normalise("Zero\u200bwidth \u202eevil title\u202c and s\u00adoft")
    assert line == "Zero width evil title and soft"


def test_a_text_over_the_limit_is_refused_with_its_size_and_line(tmp_path, settings):
    settings.TEXT_LIMITS = {"BODY": 1_000}
    (tmp_path / "long.txt").write_text(TEXT + "\n\n" + "a\n\n" * 2_000, encoding="utf-8")
    report = import_file(tmp_path / "long.txt", status=Status.DRAFT)
    assert report.status == "failed"
    assert "characters long; the limit is 1,000" in report.errors[0] and "line " in report.errors[0]
    assert not Release.objects.exists()


def test_the_admin_refuses_a_body_over_the_limit(admin_client, settings):
    settings.TEXT_LIMITS = {"BODY": 100}
    from .factories import make_release
    from .workspace import form_data

    release = make_release(status=Status.DRAFT, publish_at=None)
    response = admin_client.post(
        f"/admin/releases/release/{release.pk}/change/", form_data(release, body="x" * 101)
    )
    assert response.status_code == 200 and "the limit is 100" in response.content.decode()


def test_the_admin_refuses_a_title_with_a_direction_control(admin_client):
    from .factories import make_release
    from .workspace import form_data

    release = make_release(status=Status.DRAFT, publish_at=None)
    response = admin_client.post(
        f"/admin/releases/release/{release.pk}/change/",
        form_data(release, title="Minister \u202emeets\u202c press"),
    )
    assert response.status_code == 200 and "U+202E" in response.content.decode()
