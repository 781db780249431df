"""An archive import: the new files of a folder are written a batch at a time (bulk.py), with
everything the careful path writes, and a batch that cannot be written whole goes file by file."""

import datetime
import shutil
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Organisation, Person
from editorial.models import StateChange, Status
from editorial.signals import state_changed
from releases.importing.runner import import_file, import_files
from releases.models import Release

from .test_import_command import run

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


@pytest.fixture(autouse=True)
def _import_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def _archive(folder: Path, count: int, *, start: int = 0) -> Path:
    folder.mkdir(exist_ok=True)
    for n in range(start, start + count):
        (folder / f"{n:04d}.txt").write_text(
            f"CICA Secretariat meets partners, meeting {n}\n\n"
            f"Astana, {n % 27 + 1} March 2021 – Ambassador Kairat Sarybay, Secretary General of "
            "CICA, met representatives of the Shanghai Cooperation Organisation (SCO) and the "
            "United Nations (UN).\n\n"
            "The participants exchanged views on confidence building measures.\n\n"
            "Media Contact:\nAkbota Batyrkhan\nPR Officer\nPhone: +7 (777) 036-26-58\n",
            encoding="utf-8",
        )
    return folder


def test_a_batch_writes_what_the_careful_path_writes(tmp_path):
    announced = []

    def heard(sender, item, previous_status, **kwargs):
        announced.append((item.pk, previous_status))

    state_changed.connect(heard, sender=Release, dispatch_uid="test-bulk")
    try:
        reports = list(
            import_files(
                sorted(_archive(tmp_path / "archive", 5).iterdir()),
                status=Status.PUBLISHED,
                root=tmp_path,
            )
        )
    finally:
        state_changed.disconnect(dispatch_uid="test-bulk")
    assert [r.status for r in reports] == ["created"] * 5
    releases = list(Release.objects.order_by("source_file"))
    assert [r.source_file for r in releases] == [f"archive/{n:04d}.txt" for n in range(5)]
    assert len({r.slug for r in releases}) == 5
    assert sorted(announced) == [(r.pk, None) for r in releases]  # alerts and webhooks hear it
    assert Person.objects.filter(name="Kairat Sarybay").count() == 1
    assert Organisation.objects.filter(acronym__in=["SCO", "UN"]).count() == 2
    organisations = Organisation.objects.count()  # CICA too
    for release in releases:
        assert release.is_public and release.publish_at.date() == release.date
        assert release.body_html and release.import_fingerprint
        assert release.organisations.count() == organisations
        assert release.media_contacts.count() == 1
        mention = release.mentions.get()
        assert mention.appointment.role_title.startswith("Secretary General")  # learnt
        log = StateChange.for_item(release).get()
        assert (log.action, log.to_status) == (StateChange.Action.PUBLISHED, Status.PUBLISHED)
        # One revision, holding the links and the people (what a restore puts back).
        [revision] = release.history.all()
        assert revision.history_change_reason == f"imported from {release.source_file}"
        assert set(revision.organisations.values_list("organisation_id", flat=True)) == set(
            release.organisations.values_list("pk", flat=True)
        )
        assert revision.media_contacts.count() == 1
        assert [m.person_id for m in release.mentions_at(revision)] == [mention.person_id]
    # Restoring that revision after an editor emptied the links brings the people back.
    first = releases[0]
    first.mentions.all().delete()
    first.restore_links(first.history.get())
    assert first.mentions.get().title_given == "Secretary General of CICA"


def test_the_queries_of_a_batch_do_not_grow_with_its_files(tmp_path):
    _archive(tmp_path / "known", 1)
    list(
        import_files(sorted((tmp_path / "known").iterdir()), status=Status.PUBLISHED, root=tmp_path)
    )
    counts = {}
    # (Django writes a bulk insert in statements of as many rows as SQLite's 999 parameters
    # allow: about thirty releases each. Both batches here fit in one.)
    for label, count, start in (("few", 5, 100), ("many", 20, 200)):
        files = sorted(_archive(tmp_path / label, count, start=start).iterdir())
        with CaptureQueriesContext(connection) as queries:
            reports = list(import_files(files, status=Status.PUBLISHED, root=tmp_path))
        assert [r.status for r in reports] == ["created"] * count
        counts[label] = len(queries)
    assert counts["many"] == counts["few"], counts


def test_a_folder_mixing_new_known_changed_and_bad_files_is_reported_in_order(tmp_path):
    folder = _archive(tmp_path / "mixed", 3)
    list(import_files(sorted(folder.iterdir()), status=Status.DRAFT, root=tmp_path))
    # 0000 stays, 0001 changes, 0002 is copied as 0003 (the same text), 0004 is new and 0005
    # is not text.
    changed = folder / "0001.txt"
    changed.write_text(changed.read_text().replace("confidence", "trust"), encoding="utf-8")
    shutil.copy(folder / "0002.txt", folder / "0003.txt")
    _archive(folder, 1, start=4)
    (folder / "0005.txt").write_bytes(b"\xff\xfe\x00binary")
    code, out, err = run(folder)
    lines = out.splitlines()
    assert code == 1 and "0005.txt" in err
    assert [line.split()[0] for line in lines if line.split()[0] != "warning:"] == [
        "unchanged",
        "updated",
        "unchanged",
        "unchanged",
        "created",
    ]
    assert "the same text was imported from mixed/0002.txt" in out
    assert Release.objects.count() == 4
    assert "trust" in Release.objects.get(source_file="mixed/0001.txt").body


def test_a_batch_that_cannot_be_written_whole_goes_file_by_file(tmp_path):
    folder = _archive(tmp_path / "archive", 4)
    with mock.patch(
        "releases.importing.bulk._revisions", side_effect=DatabaseError("lost connection")
    ):
        code, out, _err = run(folder, "--status", "published")
    assert code == 0 and out.count("created") == 4
    # Rolled back whole, then each file the careful way: one release, one revision each.
    assert Release.objects.count() == 4 and Person.objects.count() == 1
    assert all(r.history.count() == 1 for r in Release.objects.all())
    assert Organisation.objects.count() == Release.objects.first().organisations.count()


def test_a_text_the_batch_cannot_validate_fails_alone(tmp_path, settings):
    folder = _archive(tmp_path / "archive", 3)
    (folder / "0001.txt").write_text(
        "A meeting\n\nAstana, 3 March 2021 – " + "a" * 400, encoding="utf-8"
    )
    settings.TEXT_LIMITS = {"LEAD": 300}
    code, out, err = run(folder)
    assert code == 1 and "0001.txt" in err
    assert sorted(Release.objects.values_list("source_file", flat=True)) == [
        "archive/0000.txt",
        "archive/0002.txt",
    ]


def test_the_public_lists_show_a_batch_at_once(client, tmp_path):
    url = reverse("releases:list")
    assert "meeting 7" not in client.get(url).content.decode()  # cached, empty
    reports = import_files(
        sorted(_archive(tmp_path / "archive", 8).iterdir()),
        status=Status.PUBLISHED,
        root=tmp_path,
    )
    assert {r.status for r in reports} == {"created"}
    assert "meeting 7" in client.get(url).content.decode()


def test_a_single_file_still_takes_the_careful_path(tmp_path):
    path = _archive(tmp_path / "one", 1) / "0000.txt"
    assert import_file(path, status=Status.DRAFT, root=tmp_path).status == "created"
    assert Release.objects.get().date == datetime.date(2021, 3, 1)


def test_slugs_for_a_batch_read_only_their_own_bases(django_assert_num_queries):
    from core.text.slugs import Slugs

    Release.objects.bulk_create(
        [
            Release(title=t, slug=s)
            for t, s in (("A", "meeting"), ("B", "meeting-2"), ("C", "other"))
        ]
    )
    with django_assert_num_queries(0):  # nothing to name: not every slug of the table
        assert Slugs(Release, []).used == set()
    slugs = Slugs(Release, ["Meeting", "Summit"])
    assert slugs.used == {"meeting", "meeting-2"}
    assert [slugs.free("Meeting"), slugs.free("Meeting"), slugs.free("Summit")] == [
        "meeting-3",
        "meeting-4",
        "summit",
    ]


def test_batches_hold_at_most_a_hundred_files_and_16_mib_of_text(tmp_path, monkeypatch):
    from releases.importing import runner

    monkeypatch.setattr(runner, "BATCH_BYTES", 1000)
    files = []
    for n, size in enumerate([400, 400, 400, 100, 100, 100, 100]):
        path = tmp_path / f"{n}.txt"
        path.write_text("a" * size)
        files.append(path)
    sizes = [[p.stat().st_size for p in batch] for batch in runner._batches(files, 3)]
    assert sizes == [[400, 400], [400, 100, 100], [100, 100]]
