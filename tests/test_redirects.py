"""Old addresses keep working: imported redirects, a renamed slug's redirect, the admin."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.models import Redirect
from core.redirects import address_key
from editorial.models import Status
from tests.factories import make_person, make_release

pytestmark = pytest.mark.django_db


def import_csv(tmp_path, text, *extra):
    path = tmp_path / "redirects.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    try:
        call_command("import_redirects", str(path), *extra, stdout=out, stderr=err)
        failed = None
    except CommandError as error:
        failed = str(error)
    return out.getvalue(), err.getvalue(), failed


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("https://s-cica.org/speeches_detail/?id=12", "/speeches_detail?id=12"),
        ("/speeches_detail?id=12", "/speeches_detail?id=12"),
        ("http://www.s-cica.kz/page.php?lang=1&page_id=579", "/page.php?lang=1&page_id=579"),
        ("/page.php?page_id=579&lang=1&utm_source=x", "/page.php?lang=1&page_id=579"),
        ("s-cica.org/news_detail/?newsid=18", "/s-cica.org/news_detail?newsid=18"),
        ("/", "/"),
    ],
)
def test_an_address_has_one_key_whatever_its_host_slash_or_parameter_order(address, key):
    assert address_key(address) == key


def test_old_site_addresses_answer_301_to_the_new_page_and_are_counted(client, tmp_path):
    release = make_release(title="CICA ministers meet", slug="ministers-meet")
    out, err, failed = import_csv(
        tmp_path,
        "old_url,new_path\n"
        f"https://s-cica.org/index.php?view=page&t=press_releases&id=1500,{release.get_absolute_url()}\n"
        "http://s-cica.kz/page.php?page_id=579&lang=1,/press-releases/\n"
        "https://s-cica.org/speeches_detail/?id=12,https://press.example.org/events/\n",
    )
    assert failed is None and err == ""
    assert "3 created" in out
    answer = client.get("/index.php?view=page&t=press_releases&id=1500")
    assert answer.status_code == 301 and answer["Location"] == release.get_absolute_url()
    # The query matters: another id is another page (not known: the 404 page).
    assert client.get("/index.php?view=page&t=press_releases&id=1501").status_code == 404
    # Parameter order and a trailing slash do not.
    assert client.get("/page.php?lang=1&page_id=579")["Location"] == "/press-releases/"
    assert client.get("/speeches_detail?id=12")["Location"] == "/events/"
    redirect = Redirect.objects.get(old_path="/index.php?id=1500&t=press_releases&view=page")
    assert redirect.hits == 1 and redirect.last_hit_at is not None
    assert redirect.source == Redirect.Source.IMPORTED
    # Idempotent.
    out, _err, _failed = import_csv(
        tmp_path,
        "old_url,new_path\n"
        f"https://s-cica.org/index.php?view=page&t=press_releases&id=1500,{release.get_absolute_url()}\n",
    )
    assert "0 created, 0 updated, 1 unchanged" in out
    assert Redirect.objects.get(pk=redirect.pk).hits == 1


def test_bad_lines_are_reported_by_line_and_the_others_imported(tmp_path):
    out, err, failed = import_csv(
        tmp_path,
        "old_url,new_path\n"
        "/old/1,/press-releases/\n"
        ",/press-releases/\n"
        "/old/2,press-releases\n"
        "/old/3,/no/such/place/\n"
        "/old/4,/old/4/\n"
        "ftp://s-cica.org/x,/events/\n"
        "/old/1,/events/\n"
        "/old/5,/events/\n",
    )
    assert failed and "6 line(s)" in failed
    assert "1 created" not in out and "2 created" in out
    lines = err.splitlines()
    assert [line.split(":")[1] for line in lines] == ["3", "4", "5", "6", "7", "8"]
    assert "empty" in lines[0] and "starting with /" in lines[1]
    assert "not an address of this site" in lines[2] and "lead to itself" in lines[3]
    assert "already on line 2" in lines[5]
    assert set(Redirect.objects.values_list("old_path", flat=True)) == {"/old/1", "/old/5"}


def test_a_file_without_the_header_is_refused_by_name(tmp_path):
    _out, err, failed = import_csv(tmp_path, "/old/1,/press-releases/\n")
    assert failed and "redirects.csv:1: the header must name the columns" in err
    assert not Redirect.objects.exists()


def test_a_renamed_public_slug_leaves_a_redirect_and_a_draft_does_not(client):
    release = make_release(title="Summit opens", slug="summit-opens")
    old = release.get_absolute_url()
    release.slug = "summit-opens-in-astana"
    release.save()
    answer = client.get(old)
    assert answer.status_code == 301 and answer["Location"] == release.get_absolute_url()
    assert Redirect.objects.get().source == Redirect.Source.RENAMED
    # Renamed again: the first address leads straight to the newest, no chain.
    release.slug = "summit-opens-in-astana-today"
    release.save()
    assert client.get(old)["Location"] == release.get_absolute_url()
    assert Redirect.objects.filter(new_path=release.get_absolute_url()).count() == 2
    draft = make_release(title="Draft", slug="draft-one", status=Status.DRAFT)
    draft.slug = "draft-two"
    draft.save()
    assert not Redirect.objects.filter(old_path__contains="draft-one").exists()


def test_a_renamed_person_who_is_shown_leaves_a_redirect(client):
    person = make_person()
    release = make_release(title="With a person")
    release.mentions.create(person=person, position=0)
    old = person.get_absolute_url()
    person.slug = person.slug + "-renamed"
    person.save()
    assert client.get(old)["Location"] == person.get_absolute_url()


def test_redirects_in_the_admin(admin_client):
    answer = admin_client.post(
        "/admin/core/redirect/add/",
        {"old_path": "https://s-cica.org/news_detail/?newsid=18", "new_path": "/press-releases/",
         "source": "editor"},
    )  # fmt: skip
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert Redirect.objects.get().old_path == "/news_detail?newsid=18"
    page = admin_client.get("/admin/core/redirect/?q=newsid")
    assert page.status_code == 200 and "/news_detail?newsid=18" in page.content.decode()
    refused = admin_client.post(
        "/admin/core/redirect/add/", {"old_path": "/a", "new_path": "a", "source": "editor"}
    )
    assert refused.status_code == 200 and "starting with /" in refused.content.decode()


def test_an_imported_text_naming_its_old_address_leaves_a_redirect(client, tmp_path):
    text = (
        "CICA Secretariat hosts a seminar on confidence building\n\n"
        "Astana, 12 March 2024 - The CICA Secretariat hosted a seminar on confidence building "
        "measures for diplomats of the member states.\n\n"
        "The participants discussed the catalogue of measures.\n\n"
        "Source: https://s-cica.org/index.php?view=page&t=press_releases&id=1500\n"
    )
    (tmp_path / "seminar.txt").write_text(text, encoding="utf-8")
    call_command(
        "import_releases", str(tmp_path), "--root", str(tmp_path), "--status", "published",
        stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    from releases.models import Release

    release = Release.objects.get()
    assert "Source:" not in release.body and "s-cica.org" not in release.body
    answer = client.get("/index.php?id=1500&view=page&t=press_releases")
    assert answer.status_code == 301 and answer["Location"] == release.get_absolute_url()
