"""Precise invalidation: a change purges the cached answers that show it, and no others; a
purged page is rendered once while the other requests wait for it."""

import datetime
import threading
import time

import pytest
from django.utils import timezone

from core.caching import render_once, store_entry
from editorial.models import Status

from .factories import make_person, make_release, make_topic

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_a_publish_purges_its_own_outputs_and_leaves_an_unrelated_release_page_cached(client):
    person, topic = make_person(name="Kairat Sarybay"), make_topic(name="Security")
    unrelated = make_release(title="An older, unrelated release")
    known = make_release(title="Where the person was first named")
    known.mentions.create(person=person)
    fresh = make_release(title="Breaking: ministers agree", status=Status.DRAFT, publish_at=None)
    fresh.mentions.create(person=person)
    fresh.topics.add(topic)
    outputs = [
        "/",
        "/press-releases/",
        "/press-releases/feed/",
        "/api/v1/releases/",
        person.get_absolute_url(),
        "/search/?q=ministers",
    ]
    for url in [*outputs, unrelated.get_absolute_url(), known.get_absolute_url()]:
        get(client, url)  # warm the cache
    assert get(client, unrelated.get_absolute_url())["X-Cache"] == "hit"

    fresh.status, fresh.publish_at = (
        Status.PUBLISHED,
        timezone.now() - datetime.timedelta(seconds=1),
    )
    fresh.save()

    for url in outputs:
        shown = get(client, url).content.decode()
        assert fresh.slug in shown, url  # (the search page marks the words it matched)
    assert "Breaking: ministers agree" in get(client, topic.get_absolute_url()).content.decode()
    # The other release pages stay in the cache, even one naming the same person.
    assert get(client, unrelated.get_absolute_url())["X-Cache"] == "hit"
    assert get(client, known.get_absolute_url())["X-Cache"] == "hit"
    # The API says the same: the unrelated release's answer is still the cached one.
    assert get(client, f"/api/v1/releases/{unrelated.slug}/")["X-Cache"] == "miss"
    assert get(client, f"/api/v1/releases/{unrelated.slug}/")["X-Cache"] == "hit"
    fresh.title = "Breaking: ministers agree on a statement"
    fresh.save()
    assert get(client, f"/api/v1/releases/{unrelated.slug}/")["X-Cache"] == "hit"
    assert get(client, "/api/v1/releases/")["X-Cache"] == "miss"


def test_renaming_a_person_purges_the_pages_naming_them_and_no_others(client):
    person = make_person(name="Kairat Sarybay")
    naming = make_release(title="A release naming him")
    naming.mentions.create(person=person)
    other = make_release(title="A release naming nobody")
    for release in (naming, other):
        get(client, release.get_absolute_url())
    person.name = "Kairat Sarybay-Renamed"
    person.save()
    page = get(client, naming.get_absolute_url())
    assert page["X-Cache"] == "miss" and "Sarybay-Renamed" in page.content.decode()
    assert get(client, other.get_absolute_url())["X-Cache"] == "hit"


def test_answers_name_what_they_show_for_a_cdn(client):
    person = make_person()
    release = make_release()
    release.mentions.create(person=person)
    page = get(client, release.get_absolute_url())
    tags = page["Cache-Tag"].split(",")
    assert f"release:{release.pk}" in tags and f"person:{person.pk}" in tags
    assert page["Surrogate-Key"] == " ".join(tags)
    assert get(client, "/press-releases/")["Cache-Tag"] == "releases"
    api = get(client, "/api/v1/releases/")
    assert api["Cache-Tag"] == "releases" and get(client, "/api/v1/releases/")["Cache-Tag"]
    detail = get(client, f"/api/v1/releases/{release.slug}/")
    assert f"release:{release.pk}" in detail["Cache-Tag"].split(",")


def test_a_purged_page_is_rendered_by_one_request_while_the_others_wait():
    renders, results = [], []
    key = f"page:test:{time.monotonic_ns()}"

    def render():
        renders.append(1)
        time.sleep(0.3)  # a slow page
        store_entry(key, {"release:1"}, "the page")
        return "rendered here"

    def visitor():
        results.append(render_once(key, render))

    threads = [threading.Thread(target=visitor) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(renders) == 1
    assert results.count((None, "rendered here")) == 1
    assert results.count(("the page", None)) == 7


def test_a_page_stored_after_the_request_looked_for_it_is_not_rendered_again():
    """A request found no page, then another stored it and let its lock go before this one
    took the lock: it serves what was stored (breaking news: home rendered twice of 32)."""
    key = f"page:test:{time.monotonic_ns()}"
    store_entry(key, {"release:1"}, "the page")  # by the other request, meanwhile
    renders = []
    assert render_once(key, lambda: renders.append(1) or "rendered here") == ("the page", None)
    assert renders == []


def test_a_page_rendered_while_a_change_commits_is_not_kept(client, monkeypatch):
    """The render read rows from before the change; keeping it under the new generations would
    serve the old text until the next change."""
    from core.caching import pages as caching

    release = make_release(title="First wording")
    real = caching.PublicPageCacheMiddleware._render

    def render_then_change(self, request, key, address):
        since = caching.purges_so_far()
        response = self.get_response(request)  # reads "First wording"
        release.title = "Second wording"
        release.save()  # purges while the page is being made
        tags = caching.response_tags(request)
        payload = (response.status_code, dict(response.items()), response.content)
        caching.store_entry(key, tags, payload, rendered_since=since)
        return response

    monkeypatch.setattr(caching.PublicPageCacheMiddleware, "_render", render_then_change)
    assert "First wording" in client.get(release.get_absolute_url()).content.decode()
    monkeypatch.setattr(caching.PublicPageCacheMiddleware, "_render", real)
    assert "Second wording" in client.get(release.get_absolute_url()).content.decode()
