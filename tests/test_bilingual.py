"""English and Russian: interface, language versions of content, dates, feeds, sitemap, API."""

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editorial.models import Status
from releases.models import Release

from .factories import make_event, make_person, make_release

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def html(response) -> str:
    return response.content.decode()


def alternates(page: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)"', page))


def pair(en_slug="ministers-meet", **ru_overrides):
    """An English original and its Russian translation, both public unless told otherwise."""
    original = make_release(title="Ministers meet in Astana", slug=en_slug, language="en")
    fields = {
        "title": "Министры встретились в Астане",
        "slug": "ministry-vstretilis",
        "language": "ru",
        "translation_group": original.translation_group,
        "translation_of": original,
    }
    fields.update(ru_overrides)
    return original, make_release(**fields)


# ---------------------------------------------------------------- interface


def test_russian_pages_have_a_russian_interface_and_lang(client):
    page = html(client.get("/ru/"))
    assert '<html lang="ru">' in page
    assert "Пресс-служба СВМДА" in page and "Последние материалы" in page
    assert "Перейти к основному содержанию" in page
    listing = html(client.get("/ru/press-releases/"))
    assert "<h1>Пресс-релизы</h1>" in listing and "Отбор материалов" in listing
    assert '<html lang="en">' in html(client.get("/"))


@pytest.mark.parametrize(
    "path", ["/", "/press-releases/", "/events/", "/people/", "/media-contacts/", "/search/"]
)
def test_every_page_type_names_both_language_versions(client, path):
    english = alternates(html(client.get(path)))
    russian = alternates(html(client.get("/ru" + path)))
    assert (
        english
        == russian
        == {
            "en": f"http://testserver{path}",
            "ru": f"http://testserver/ru{path}",
        }
    )


def test_unknown_language_prefixes_are_not_pages(client):
    assert client.get("/de/press-releases/").status_code == 404


# ---------------------------------------------------------------- content in two languages


def test_a_release_and_its_translation_link_to_each_other(client):
    original, russian = pair()
    en_page = html(client.get(original.get_absolute_url()))
    ru_page = html(client.get(russian.get_absolute_url()))
    assert russian.get_absolute_url() == "/ru/press-releases/ministry-vstretilis/"
    assert (
        alternates(en_page)
        == alternates(ru_page)
        == {
            "en": "http://testserver/press-releases/ministers-meet/",
            "ru": "http://testserver/ru/press-releases/ministry-vstretilis/",
        }
    )
    assert '<html lang="ru">' in ru_page
    assert 'href="/ru/press-releases/ministry-vstretilis/" hreflang="ru"' in en_page


def test_an_english_only_release_offers_no_broken_russian_link(client):
    release = make_release(slug="english-only")
    page = html(client.get(release.get_absolute_url()))
    assert "ru" not in alternates(page)
    assert "(русской версии этой страницы нет)" not in page  # the interface is English here
    assert "(no Russian version of this page)" in page
    switch = re.search(r'<a href="([^"]+)" hreflang="ru"[^>]*class="no-version"', page).group(1)
    assert switch == "/ru/"
    assert client.get(switch).status_code == 200
    assert client.get("/ru/press-releases/english-only/").status_code == 302  # to its own page


def test_a_release_asked_for_under_the_other_language_is_sent_to_its_own_address(client):
    _, russian = pair()
    response = client.get("/press-releases/ministry-vstretilis/")
    assert response.status_code == 302 and response["Location"] == russian.get_absolute_url()


def test_lists_feeds_and_search_show_the_pages_language_only(client):
    original, russian = pair()
    assert "Ministers meet" in html(client.get("/press-releases/"))
    assert "Министры" not in html(client.get("/press-releases/"))
    assert "Министры" in html(client.get("/ru/press-releases/"))
    assert "Ministers meet" not in html(client.get("/ru/press-releases/"))
    ru_feed = html(client.get("/ru/press-releases/feed/"))
    assert "Министры" in ru_feed and "Ministers meet" not in ru_feed
    assert "<language>ru</language>" in ru_feed and "Пресс-релизы СВМДА" in ru_feed
    assert "ministry-vstretilis" in html(client.get("/ru/search/?q=Министры"))
    assert "ministry-vstretilis" not in html(client.get("/search/?q=Министры"))


def test_calendars_are_per_language(client):
    make_event(title="Forum on security", slug="forum-en", language="en")
    make_event(title="Форум по безопасности", slug="forum-ru", language="ru")
    english = html(client.get("/events/calendar.ics"))
    russian = html(client.get("/ru/events/calendar.ics"))
    assert "Forum on security" in english and "Форум" not in english
    assert "Форум по безопасности" in russian and "Forum on security" not in russian


def test_a_russian_translation_published_later_appears_on_time(client, time_machine):
    later = timezone.now() + datetime.timedelta(hours=5)
    original, russian = pair(publish_at=later)
    assert "ru" not in alternates(html(client.get(original.get_absolute_url())))
    assert client.get(russian.get_absolute_url()).status_code == 404
    assert "Министры" not in html(client.get("/ru/"))
    api = client.get(f"/api/v1/releases/{original.slug}/").json()
    assert api["translations"] == []

    time_machine.move_to(later + datetime.timedelta(seconds=1))
    assert alternates(html(client.get(original.get_absolute_url())))["ru"].endswith(
        "/ru/press-releases/ministry-vstretilis/"
    )
    assert client.get(russian.get_absolute_url()).status_code == 200
    assert "Министры" in html(client.get("/ru/"))
    api = client.get(f"/api/v1/releases/{original.slug}/").json()
    assert [t["language"] for t in api["translations"]] == ["ru"]


def test_russian_dates_follow_russian_conventions(client):
    _, russian = pair(date=datetime.date(2024, 1, 22))
    page = html(client.get(russian.get_absolute_url()))
    assert "22 января 2024 г." in page
    _, span = pair(
        en_slug="en-span",
        slug="ru-span",
        date=datetime.date(2023, 10, 30),
        date_end=datetime.date(2023, 11, 2),
    )
    assert "30 октября – 2 ноября 2023 г." in html(client.get(span.get_absolute_url()))


def test_people_are_named_in_russian_on_russian_pages(client):
    person = make_person(name="Kairat Sarybay", name_ru="Кайрат Сарыбай", slug="kairat-sarybay")
    original, russian = pair()
    original.mentions.create(person=person)
    russian.mentions.create(person=person)
    assert "Кайрат Сарыбай" in html(client.get(russian.get_absolute_url()))
    assert "Kairat Sarybay" in html(client.get(original.get_absolute_url()))
    assert "<h1>Кайрат Сарыбай</h1>" in html(client.get("/ru/people/kairat-sarybay/"))


def test_the_sitemap_lists_each_version_with_its_alternates(client):
    pair()
    make_release(slug="alone")
    xml = html(client.get("/sitemap.xml"))
    en_url = "http://testserver/press-releases/ministers-meet/"
    ru_url = "http://testserver/ru/press-releases/ministry-vstretilis/"
    assert f"<loc>{en_url}</loc>" in xml and f"<loc>{ru_url}</loc>" in xml
    assert f'hreflang="ru" href="{ru_url}"' in xml and f'hreflang="en" href="{en_url}"' in xml
    entry = re.search(
        r"<url><loc>http://testserver/press-releases/alone/</loc>.*?</url>", xml, re.S
    )
    assert "xhtml:link" not in entry.group(0)


def test_the_api_filters_by_language_and_links_the_versions(client):
    original, russian = pair()
    data = client.get("/api/v1/releases/", {"language": "ru"}).json()
    assert [r["slug"] for r in data["results"]] == [russian.slug]
    (link,) = data["results"][0]["translations"]
    assert link == {
        "language": "en",
        "slug": original.slug,
        "url": "http://testserver/press-releases/ministers-meet/",
        "api_url": "http://testserver/api/v1/releases/ministers-meet/",
    }


def test_versions_on_the_same_api_page_name_each_other(client):
    """The versions query leaves out the page's own items (they are at hand): a page that
    shows both versions still gives each the other, and a version on no page is found too."""
    original, russian = pair()
    by_slug = {r["slug"]: r for r in client.get("/api/v1/releases/").json()["results"]}
    assert [t["slug"] for t in by_slug[original.slug]["translations"]] == [russian.slug]
    assert [t["slug"] for t in by_slug[russian.slug]["translations"]] == [original.slug]
    page = client.get("/api/v1/releases/", {"page_size": 1, "language": "en"}).json()
    assert [t["slug"] for t in page["results"][0]["translations"]] == [russian.slug]


def test_the_api_list_looks_up_translations_in_one_query(client, django_assert_max_num_queries):
    for n in range(6):
        pair_original = make_release(slug=f"en-{n}")
        make_release(
            slug=f"ru-{n}",
            language="ru",
            translation_group=pair_original.translation_group,
            translation_of=pair_original,
        )
    client.get("/api/v1/releases/")  # warm the version cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.caching import content_changed

    content_changed()
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/releases/?page_size=2")
    content_changed()
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/releases/?page_size=12")
    assert len(many) == len(few)


# ---------------------------------------------------------------- editors: versions in the admin


@pytest.fixture
def publisher_client():
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("pub", password="x" * 20, is_staff=True)
    user.groups.add(Group.objects.get(name="Publisher"))
    client = Client()
    client.force_login(user)
    return client


def test_an_editor_creates_a_translation_prefilled_from_the_original(publisher_client):
    person = make_person()
    original = make_release(title="Original title", body="Original body.")
    original.mentions.create(person=person, title_given="Secretary General")
    response = publisher_client.post(
        reverse("admin:releases_release_translate", args=[original.pk, "ru"])
    )
    copy = Release.objects.get(language="ru")
    assert response["Location"] == reverse("admin:releases_release_change", args=[copy.pk])
    assert copy.translation_of == original and copy.translation_group == original.translation_group
    assert copy.status == Status.DRAFT and copy.body == "Original body."
    # The same people; the English title is left for the translator (a Russian page shows
    # the role known in Russian meanwhile), not copied into the Russian version.
    assert list(copy.mentions.values_list("person", "title_given")) == [(person.pk, "")]
    assert not copy.needs_update
    # Asking again leads to the same version, not a second one.
    publisher_client.post(reverse("admin:releases_release_translate", args=[original.pk, "ru"]))
    assert Release.objects.filter(language="ru").count() == 1


def test_needs_update_flips_when_the_original_changes_and_back_when_translated(
    publisher_client, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    original, russian = pair()
    assert not russian.needs_update
    time_machine.shift(datetime.timedelta(minutes=1))
    original.status = Status.WITHDRAWN  # a change of state, not of words
    original.withdrawal_note = "Withdrawn."
    original.save()
    russian.refresh_from_db()
    assert not russian.needs_update

    time_machine.shift(datetime.timedelta(minutes=1))
    original = Release.objects.get(pk=original.pk)
    original.body = "A corrected paragraph."
    original.save()
    russian = Release.objects.get(pk=russian.pk)
    assert russian.needs_update
    listing = html(publisher_client.get(reverse("admin:releases_release_changelist")))
    assert (
        re.search(r"RU \(translation, \w+, needs update\)", listing) and "EN (original, " in listing
    )
    form = html(publisher_client.get(reverse("admin:releases_release_change", args=[russian.pk])))
    assert "Needs update: the original changed since" in form

    time_machine.shift(datetime.timedelta(minutes=1))
    russian.body = "Исправленный абзац."
    russian.save()
    assert not Release.objects.get(pk=russian.pk).needs_update


def test_the_changelist_finds_every_rows_versions_in_one_query(publisher_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:releases_release_changelist")
    pair()
    with CaptureQueriesContext(connection) as few:
        publisher_client.get(url)
    for n in range(8):
        make_release(slug=f"more-{n}")
    with CaptureQueriesContext(connection) as many:
        publisher_client.get(url)
    assert len(many) == len(few)


# ---------------------------------------------------------------- the catalogue


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed")
def test_make_messages_finds_nothing_untranslated_and_loses_nothing(tmp_path):
    """`make messages` on a copy of the project (it writes the catalogue of the project it runs
    in): every message of the Python code, the workspace's Django templates and the public
    site's Jinja2 templates (Babel's extractor) has its Russian, none is fuzzy, none obsolete,
    and none the committed catalogue holds is lost."""
    import polib

    skipped = shutil.ignore_patterns(".*", "node_modules", "var", "test-artifacts", "__pycache__")
    for part in ROOT.iterdir():
        if part.name in {"bench", "tests", ".venv"} or part.name.startswith("."):
            continue
        if part.is_dir():
            shutil.copytree(part, tmp_path / part.name, ignore=skipped)
        else:
            shutil.copy(part, tmp_path / part.name)
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    subprocess.run(
        ["make", "--no-print-directory", "catalogue"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    catalogue = polib.pofile(str(tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert [e.msgid for e in catalogue.obsolete_entries()] == []
    committed = polib.pofile(str(ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    assert {e.msgid for e in catalogue} == {e.msgid for e in committed}
    assert "%(counter)s release" in {e.msgid for e in catalogue}  # a plural, from a template


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext is not installed")
def test_the_compiled_catalogue_matches_its_source(tmp_path):
    po = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True)
    import polib

    def entries(path):
        return {
            (e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in polib.mofile(str(path))
        }

    assert entries(fresh) == entries(po.with_suffix(".mo"))
