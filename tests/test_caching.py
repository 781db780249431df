"""Cached public responses: fast for anonymous visitors, never hidden and never stale."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.middleware import http as http_middleware
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from editorial.models import Status

from .factories import make_release

pytestmark = pytest.mark.django_db

PAGES = ["/", "/press-releases/", "/press-releases/feed/", "/sitemap.xml", "/api/v1/releases/"]


def body(client, url):
    return client.get(url).content.decode()


@pytest.mark.parametrize(
    "url", ["/", "/press-releases/", "/events/", "/press-releases/feed/", "/api/v1/releases/"]
)
def test_a_repeated_anonymous_request_is_served_from_the_cache_without_queries(client, url):
    make_release(title="Cached news")
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second.status_code == 200 and second.content == first.content
    assert len(queries) == 0
    assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"


def test_cached_pages_are_public_for_cdns(client):
    response = client.get("/press-releases/")
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60" and response["ETag"]


@pytest.mark.parametrize("url", ["/press-releases/", "/api/v1/releases/"])
def test_a_cached_answer_keeps_its_etag_and_a_hit_does_not_hash_the_body_again(client, url):
    make_release(title="Cached news")
    first = client.get(url)
    with mock.patch(
        "django.middleware.http.set_response_etag", wraps=http_middleware.set_response_etag
    ) as hashing:
        second = client.get(url)
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second["X-Cache"] == "hit" and second["ETag"] == first["ETag"]
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert hashing.call_count == 0


@pytest.mark.parametrize("page", ["list", "release", "API list", "API item"])
def test_a_hit_reads_its_entry_and_its_tags_in_one_round_trip(client, page):
    """The tags an address was kept with are remembered (per process), so their generations
    are read with the entry, not after it."""
    release = make_release(title="Cached news")
    url = {
        "list": "/press-releases/",
        "release": release.get_absolute_url(),
        "API list": "/api/v1/releases/",
        "API item": f"/api/v1/releases/{release.slug}/",
    }[page]
    client.get(url)
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as reads:
        hit = client.get(url)
    assert hit["X-Cache"] == "hit" and reads.call_count == 1
    release.title = "Corrected news"
    release.save()  # its tags purged: the remembered guess must not keep the old answer
    again = client.get(url)
    assert again["X-Cache"] == "miss" and "Corrected news" in again.content.decode()


def test_publishing_shows_at_once_everywhere(client):
    release = make_release(title="Fresh announcement", status=Status.DRAFT)
    for url in PAGES:
        assert "Fresh announcement" not in body(client, url), url
    release.status = Status.PUBLISHED
    release.publish_at = timezone.now() - datetime.timedelta(seconds=1)
    release.save()
    for url in PAGES:
        assert "Fresh announcement" in body(client, url) or release.slug in body(client, url), url


def test_withdrawing_hides_at_once_everywhere(client):
    release = make_release(title="Regrettable text")
    for url in PAGES:
        body(client, url)  # warm the cache
    release.status = Status.WITHDRAWN
    release.withdrawal_note = "Withdrawn pending corrections."
    release.save()
    for url in PAGES:
        assert "Regrettable text" not in body(client, url), url
    assert "Withdrawn pending corrections." in body(client, release.get_absolute_url())


def test_a_browser_revalidates_and_sees_a_withdrawal_on_its_next_visit(client):
    """max-age=0: the browser asks again each time; unchanged, the answer is a cheap 304."""
    release = make_release(title="Regrettable text", body="The full regrettable text.")
    url = release.get_absolute_url()
    first = client.get(url)
    assert "max-age=0" in first["Cache-Control"] and "s-maxage=60" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    release.status = Status.WITHDRAWN
    release.withdrawal_note = "Withdrawn pending corrections."
    release.save()
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert "The full regrettable text." not in after.content.decode()


def test_an_edit_shows_at_once(client):
    release = make_release(title="Fisrt draft of a title")
    assert "Fisrt" in body(client, release.get_absolute_url())
    release.title = "First draft of a title"
    release.save()
    assert "First draft" in body(client, release.get_absolute_url())
    assert "First draft" in body(client, f"/api/v1/releases/{release.slug}/")


def test_a_scheduled_release_appears_on_time_through_the_cache(client, time_machine):
    go_live = timezone.now() + datetime.timedelta(hours=1)
    release = make_release(title="Embargoed statement", publish_at=go_live)
    for url in PAGES:
        assert "Embargoed statement" not in body(client, url), url  # cached without it
    time_machine.move_to(go_live + datetime.timedelta(seconds=1))
    for url in PAGES:
        page = body(client, url)
        assert "Embargoed statement" in page or release.slug in page, url


def test_staff_requests_are_never_cached_nor_served_from_the_cache(client):
    user = get_user_model().objects.create_superuser(
        "chief", "c@example.org", "a-long-unique-passphrase"
    )
    client.force_login(user)
    make_release(title="Visible to all")
    response = client.get("/press-releases/")
    assert "X-Cache" not in response
    client.logout()
    assert client.get("/press-releases/")["X-Cache"] == "miss"


def test_throttling_still_applies_to_cached_api_answers(client, settings):
    settings.API_ANON_RATE = "2/minute"
    assert [client.get("/api/v1/releases/").status_code for _ in range(3)] == [200, 200, 429]


def test_the_tags_are_purged_again_when_the_change_commits(
    client, django_capture_on_commit_callbacks
):
    """A page rendered between a save and its commit still shows the old rows: the commit must
    retire whatever was cached meanwhile."""
    from core.caching import generations

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        release = make_release(title="Saved but not yet committed")
        during = generations({"releases", f"release:{release.pk}"})  # a concurrent request
    for callback in callbacks:
        callback()
    after = generations({"releases", f"release:{release.pk}"})
    assert after["releases"] != during["releases"]
    assert after[f"release:{release.pk}"] != during[f"release:{release.pk}"]


def test_a_change_note_alone_purges_its_items_page(client):
    from editorial.models import ChangeNote

    release = make_release()
    assert client.get(release.get_absolute_url())["X-Cache"] == "miss"
    assert client.get(release.get_absolute_url())["X-Cache"] == "hit"
    ChangeNote.objects.create(item=release, note="Corrected a name.")
    page = client.get(release.get_absolute_url())
    assert page["X-Cache"] == "miss" and "Corrected a name." in page.content.decode()


def test_the_public_cache_can_be_turned_off(client, settings):
    settings.PUBLIC_CACHE = False
    make_release(slug="uncached")
    for url in ("/press-releases/", "/api/v1/releases/"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200 and "X-Cache" not in response
        assert len(queries) > 0, url


def test_vary_names_only_what_changes_the_answer(client):
    """A CDN keys its copies on Vary: pages are the same whatever cookies or languages the
    visitor sends; the API's shape depends on the Accept header (JSON or the browsable API)."""
    release = make_release(slug="vary")
    for url in ("/", "/press-releases/", release.get_absolute_url(), "/press-releases/feed/"):
        vary = client.get(url).get("Vary", "")
        assert "Cookie" not in vary and "Accept-Language" not in vary, url
    assert "Accept" in client.get("/api/v1/releases/")["Vary"]


def test_editing_an_embargoed_release_shows_nowhere_not_even_in_cache_headers(client):
    make_release(title="Live already")
    embargoed = make_release(
        title="Under embargo", publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    pages = ["/sitemap.xml", "/press-releases/", "/api/v1/releases/"]
    before = {url: client.get(url) for url in pages}
    embargoed.title = "Under embargo, second wording"
    embargoed.save()
    for url in pages:
        after = client.get(url)
        assert after["X-Cache"] == "hit", url
        assert after.get("Last-Modified") == before[url].get("Last-Modified"), url


def test_a_release_scheduled_after_the_cache_was_made_still_appears_on_time(
    client, time_machine, settings
):
    # As with Redis: the content version never expires on its own (locally it lives 5 s).
    settings.REDIS_URL = "redis://version-kept-for-good"
    client.get("/press-releases/")  # the content version made, nothing scheduled yet
    go_live = timezone.now() + datetime.timedelta(minutes=5)  # before cached pages expire
    make_release(title="Scheduled later", publish_at=go_live)
    assert "Scheduled later" not in body(client, "/press-releases/")
    time_machine.move_to(go_live + datetime.timedelta(seconds=1))
    assert "Scheduled later" in body(client, "/press-releases/")
