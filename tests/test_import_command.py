"""The import_releases command: what it writes, re-imports, bad files and atomicity."""

import datetime
import io
import json
import shutil
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from contacts.models import Appointment, MediaContact, Person
from editorial.models import Status
from releases.models import Event, Release

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def run(*args):
    """Run the command; return (exit code, stdout, stderr)."""
    out, err = _Buffer(), _Buffer()
    try:
        call_command("import_releases", *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


class _Buffer:
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def flush(self):
        pass

    def getvalue(self):
        return "".join(self.parts)


@pytest.fixture(autouse=True)
def _import_root(tmp_path, monkeypatch):
    """The import root is the current folder: here, the test's own."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def test_the_seeds_import_as_three_releases(seeds):
    code, _, err = run(seeds, "--status", "published")
    assert code == 0
    assert "3 files: 3 created, 0 updated, 0 unchanged, 0 failed" in err
    assert Release.objects.public().count() == 3


def test_releases_are_drafts_unless_asked_otherwise(seeds):
    run(seeds)
    assert set(Release.objects.values_list("status", flat=True)) == {Status.DRAFT}
    assert not Release.objects.public().exists()


def test_all_spellings_of_kairat_sarybay_are_one_person(seeds):
    run(seeds)
    person = Person.objects.get()
    assert person.name == "Kairat Sarybay"
    assert "K. Sarybay" in person.aliases
    assert person.releases.count() == 3


def test_dated_titles_become_appointments_and_give_the_title_on_each_date(seeds):
    run(seeds, "--status", "published")
    person = Person.objects.get()
    roles = {a.role_title: a.start for a in Appointment.objects.filter(person=person)}
    assert roles == {
        "Executive Director of CICA": datetime.date(2020, 10, 12),
        "Secretary General of CICA": datetime.date(2023, 10, 26),
    }
    assert person.title_on(datetime.date(2020, 10, 12), "en") == "Executive Director of CICA"
    assert person.title_on(datetime.date(2024, 1, 22), "en") == "Secretary General of CICA"


def test_seed_004_links_its_media_contact_and_events(seeds):
    run(seeds)
    release = Release.objects.get(source_file__startswith="seeds/004_")
    contact = release.media_contacts.get()
    assert (contact.name, contact.role, contact.phone) == (
        "Akbota Batyrkhan",
        "PR Officer",
        "+77770362658",
    )
    ministerial = release.events.get(title="CICA Ministerial Conference on Environmental Issues")
    assert (ministerial.start_date, ministerial.date_precision, ministerial.city) == (
        datetime.date(2024, 8, 1),
        "month",
        "Astana",
    )
    assert release.date == datetime.date(2024, 1, 22) and release.city == "Astana"


def test_seed_000_links_an_online_event_on_its_date(seeds):
    run(seeds)
    event = Release.objects.get(source_file__startswith="seeds/000_").events.get()
    assert event.format == Event.Format.ONLINE and event.start_date == datetime.date(2020, 10, 12)


def test_reimporting_unchanged_files_changes_nothing(seeds):
    run(seeds)
    before = {r.pk: r.updated_at for r in Release.objects.all()}
    history = Release.history.count()
    code, out, err = run(seeds)
    assert code == 0 and "3 unchanged" in err
    assert {r.pk: r.updated_at for r in Release.objects.all()} == before
    assert Release.history.count() == history
    assert MediaContact.objects.count() == 1 and Person.objects.count() == 1


def test_a_changed_file_updates_its_release_and_records_history(seeds):
    run(seeds)
    path = next(seeds.glob("001_*.txt"))
    path.write_text(
        path.read_text(encoding="utf-8") + "\n\nThe delegation returned to Astana.",
        encoding="utf-8",
    )
    code, out, err = run(seeds)
    assert "1 updated" in err and "2 unchanged" in err
    release = Release.objects.get(source_file=f"seeds/{path.name}")
    assert release.body.endswith("The delegation returned to Astana.")
    assert Release.objects.count() == 3
    assert release.history.count() == 2
    assert release.history.first().history_change_reason == f"imported from seeds/{path.name}"


def test_an_editors_later_edit_is_not_overwritten_by_a_reimport(seeds):
    run(seeds)
    path = next(seeds.glob("001_*.txt"))
    release = Release.objects.get(source_file=f"seeds/{path.name}")
    release.title = "Edited by the press officer"
    release.save()
    path.write_text(path.read_text(encoding="utf-8") + "\n\nA late addition.", encoding="utf-8")
    code, out, err = run(seeds)
    assert code == 0
    assert "kept the editor's version" in out
    release.refresh_from_db()
    assert release.title == "Edited by the press officer"
    assert "A late addition." not in release.body


def test_force_replaces_an_editors_edit(seeds):
    run(seeds)
    path = next(seeds.glob("001_*.txt"))
    Release.objects.filter(source_file=f"seeds/{path.name}").update(title="Edited")
    path.write_text(path.read_text(encoding="utf-8") + "\n\nA late addition.", encoding="utf-8")
    run(seeds, "--force")
    release = Release.objects.get(source_file=f"seeds/{path.name}")
    assert release.title.startswith("CICA Secretary General takes part")


def test_a_reimport_keeps_the_editorial_status(seeds):
    run(seeds, "--status", "published")
    path = next(seeds.glob("004_*.txt"))
    path.write_text(path.read_text(encoding="utf-8").replace("four", "4"), encoding="utf-8")
    run(seeds)  # default --status draft must not unpublish
    assert Release.objects.get(source_file=f"seeds/{path.name}").status == Status.PUBLISHED


def test_bad_files_are_reported_and_the_good_ones_still_import(tmp_path, seeds):
    (seeds / "empty.txt").write_bytes(b"")
    (seeds / "blank.txt").write_bytes(b"  \n \n")
    (seeds / "binary.txt").write_bytes(bytes(range(256)))
    (seeds / "latin1.txt").write_bytes("Titre\n\nCommuniqué de presse.".encode("latin-1"))
    (seeds / "long.txt").write_text("T" * 550 + "\n\nBody.", encoding="utf-8")
    code, out, err = run(seeds)
    assert code == 1
    assert Release.objects.count() == 3
    assert "empty.txt: empty file" in err
    assert "blank.txt: the file holds only white space" in err
    assert "binary.txt: line 1: binary file" in err
    assert "latin1.txt: line 3: not UTF-8" in err
    assert "long.txt: line 1: the title is 550 characters long" in err
    assert "Traceback" not in err + out
    assert "8 files: 3 created, 0 updated, 0 unchanged, 5 failed" in err


def test_a_folder_without_txt_files_and_a_missing_path_are_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    code, _, err = run(tmp_path / "empty", tmp_path / "missing.txt")
    assert code == 1
    assert "no .txt files in this folder" in err and "no such file or folder" in err


def test_a_failure_while_saving_leaves_nothing_half_written(seeds):
    from django.db import DatabaseError

    with mock.patch(
        "releases.importing.saving._media_contact", side_effect=DatabaseError("disk full")
    ):
        code, _, err = run(next(seeds.glob("004_*.txt")))
    assert code == 1 and "nothing written: database error: disk full" in err
    assert (
        not Release.objects.exists() and not Person.objects.exists() and not Event.objects.exists()
    )


def test_dry_run_writes_nothing_and_says_what_it_would_do(seeds):
    code, out, err = run(seeds, "--dry-run")
    assert code == 0 and "Dry run, nothing written: 3 files: 3 created" in err
    assert not Release.objects.exists() and not Person.objects.exists()


def test_json_gives_one_object_per_file_with_every_field(seeds):
    code, out, _ = run(seeds, "--json")
    objects = [json.loads(line) for line in out.splitlines()]
    assert len(objects) == 3
    by_file = {Path(o["file"]).name[:3]: o for o in objects}
    release = by_file["004"]
    assert set(release) >= {
        "file",
        "status",
        "kind",
        "language",
        "title",
        "date",
        "date_end",
        "place",
        "people",
        "organisations",
        "events",
        "media_contacts",
        "errors",
    }
    assert release["status"] == "created" and release["date"] == "2024-01-22"
    assert release["place"] == {"city": "Astana", "country": ""}
    assert release["media_contacts"] == [
        {"name": "Akbota Batyrkhan", "role": "PR Officer", "phone": "+77770362658", "email": ""}
    ]
    assert release["people"][0]["name"] == "Kairat Sarybay"
    assert by_file["001"]["date_end"] == "2023-10-27"


def test_json_reports_a_failed_file_with_its_error(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    code, out, _ = run(bad, "--json")
    [report] = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and report["status"] == "failed" and report["errors"] == ["empty file"]


def test_russian_release_gets_a_latin_slug(tmp_path):
    path = tmp_path / "ru.txt"
    path.write_text(
        "Генеральный секретарь СВМДА посетил Минск\n\n12 марта 2024 г. - Минск - Визит.",
        encoding="utf-8",
    )
    run(path)
    release = Release.objects.get()
    assert release.language == "ru"
    assert release.slug.startswith("generalnyi-sekretar-svmda")


def _release_naming(organisations: list[str], label: str) -> str:
    named = ", ".join(f"the {name}" for name in organisations)
    return (
        f"CICA Secretariat meets partners ({label})\n\n"
        f"Astana, 3 March 2025 – The CICA Secretariat met representatives of {named}.\n\n"
        "The participants exchanged views on confidence building measures.\n"
    )


def test_saving_a_new_release_reads_the_known_organisations_in_one_query(tmp_path):
    """The queries to save a new file do not grow with the organisations it names."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from releases.importing.runner import import_file

    few, many = (
        ["Organization for Security and Co-operation in Europe (OSCE)"],
        [
            "Organization for Security and Co-operation in Europe (OSCE)",
            "Shanghai Cooperation Organisation (SCO)",
            "United Nations (UN)",
            "Collective Security Treaty Organization (CSTO)",
        ],
    )
    # Known beforehand (as in a running archive): each is found, none created.
    import_file(_write(tmp_path, "known.txt", _release_naming(many, "known")), status="published")
    counts = {}
    for label, names in {"few": few, "many": many}.items():
        path = _write(tmp_path, f"{label}.txt", _release_naming(names, label))
        with CaptureQueriesContext(connection) as queries:
            assert import_file(path, status="published").status == "created"
        release = Release.objects.get(source_file__endswith=f"{label}.txt")
        assert release.organisations.count() >= len(names)
        counts[label] = len(queries)
    assert counts["many"] == counts["few"], counts


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_report_says_what_each_file_became_and_what_to_check(db, tmp_path):
    import csv as csv_module

    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "titled.txt").write_text(
        "CICA Secretariat hosts a seminar\n\nAstana, 12 March 2024 - The CICA Secretariat hosted "
        "a seminar for diplomats.\n\nThey discussed the catalogue.\n",
        encoding="utf-8",
    )
    (folder / "untitled.txt").write_text(
        "On 12 March 2024 the CICA Secretariat hosted a seminar on confidence building measures "
        "for the diplomats of the member states, who discussed the catalogue of measures at "
        "length and agreed on the next steps for the year ahead.\n\nMore text follows here.\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_text("", encoding="utf-8")
    for name in ("report.csv", "report.html"):
        with pytest.raises(SystemExit):  # one file failed: exit code 1, the report still written
            call_command(
                "import_releases", str(folder), "--root", str(folder), "--dry-run",
                "--report", str(tmp_path / name), stdout=io.StringIO(), stderr=io.StringIO(),
            )  # fmt: skip
    rows = {
        Path(row["file"]).name: row
        for row in csv_module.DictReader(
            (tmp_path / "report.csv").open(encoding="utf-8-sig", newline="")
        )
    }
    assert rows["titled.txt"]["title"] == "CICA Secretariat hosts a seminar"
    assert rows["titled.txt"]["unsure"] == "" and rows["titled.txt"]["date"] == "2024-03-12"
    assert rows["untitled.txt"]["unsure"] == "title"
    assert rows["empty.txt"]["status"] == "failed" and rows["empty.txt"]["errors"]
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "2 to check" in page and "untitled.txt" in page and "dry run" in page
    with pytest.raises(CommandError):
        call_command("import_releases", str(folder), "--report", str(tmp_path / "r.txt"))
