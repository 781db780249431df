"""What translators have to do, in the workspace: each release's versions and their states in
the list (missing ones too), a filter, a dashboard panel, and what changed in the original
since a translation was last brought up to date."""

import datetime

import pytest
from django.utils import timezone

from editorial.translations import translate
from releases.models import Release
from tests.factories import make_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def original():
    return make_release(
        title="Ministers meet in Astana",
        body="The ministers met in Astana.\n\nThey adopted a declaration.",
        publish_at=timezone.now() - datetime.timedelta(days=1),
    )


def test_a_release_without_its_russian_version_is_listed_as_such(admin_client, original):
    page = admin_client.get("/admin/releases/release/").content.decode()
    assert "EN (original, live)" in page and "RU (missing)" in page
    lacking = admin_client.get("/admin/releases/release/?translation=missing-ru").content.decode()
    assert original.title in lacking
    dashboard = admin_client.get("/admin/").content.decode()
    assert "Translations to do" in dashboard and "No Russian version" in dashboard


def test_a_translation_out_of_date_shows_what_changed_since(admin_client, admin_user, original):
    version = translate(original, "ru", admin_user)
    version.title, version.body = "Министры встретились в Астане", "Министры встретились."
    version.save()
    page = admin_client.get("/admin/releases/release/").content.decode()
    assert "RU (translation, draft)" in page
    none_stale = admin_client.get("/admin/releases/release/?translation=needs-update")
    assert version.title not in none_stale.content.decode()
    original = Release.objects.get(pk=original.pk)
    original.body = "The ministers met in Astana.\n\nThey adopted a joint declaration on trade."
    original.save()
    stale = admin_client.get("/admin/releases/release/?translation=needs-update").content.decode()
    assert version.title in stale and "needs update" in stale
    form = admin_client.get(f"/admin/releases/release/{version.pk}/change/").content.decode()
    assert "What changed in the original since" in form
    assert "-They adopted a declaration." in form
    assert "+They adopted a joint declaration on trade." in form
    dashboard = admin_client.get("/admin/").content.decode()
    assert "Update: the original changed" in dashboard
    # Brought up to date: nothing to do any more.
    version = Release.objects.get(pk=version.pk)
    version.body = "Министры приняли совместную декларацию о торговле."
    version.save()
    assert (
        "What changed"
        not in admin_client.get(f"/admin/releases/release/{version.pk}/change/").content.decode()
    )
