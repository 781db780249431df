"""Values shared by many requests until content changes (`core.caching.memoized`): a list
filter's options, the count of a list shared by its pages; and the stored last day of events."""

import datetime
import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import caching
from editorial.models import Status
from releases.models import Event, ReleasePerson

from .factories import make_event, make_person, make_release

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_memoized_value_is_computed_once_until_a_visible_change():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert caching.memoized(("test",), compute) == 1
    assert caching.memoized(("test",), compute) == 1
    make_release()  # visible: purges "all"
    assert caching.memoized(("test",), compute) == 2
    assert caching.memoized(("test", "other key"), compute) == 3
    cache.clear()  # the content version is gone: nothing kept under it is trusted
    assert caching.memoized(("test",), compute) == 4


def test_a_draft_saved_keeps_the_memoized_value():
    calls = []
    caching.memoized(("draft",), lambda: calls.append(1))
    make_release(status=Status.DRAFT, publish_at=None)
    caching.memoized(("draft",), lambda: calls.append(1))
    assert len(calls) == 1


def test_a_scheduled_release_going_live_renews_the_value():
    calls = []
    soon = timezone.now() + datetime.timedelta(minutes=5)
    make_release(status=Status.PUBLISHED, publish_at=soon)
    caching.memoized(("go-live",), lambda: calls.append(1))
    caching.memoized(("go-live",), lambda: calls.append(1))
    with mock.patch("django.utils.timezone.now", return_value=soon + datetime.timedelta(seconds=1)):
        caching.memoized(("go-live",), lambda: calls.append(1))
    assert len(calls) == 2


def _person_options(html):
    select = re.search(r'<select name="person".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"( selected)?>', select)


def test_the_filter_options_follow_publishing_and_are_not_read_again_meanwhile(client):
    first, second = make_person(name="Aigerim First"), make_person(name="Bolat Second")
    release = make_release()
    ReleasePerson.objects.create(release=release, person=first)
    none_chosen = [("", " selected"), (first.slug, "")]
    assert _person_options(text(client.get("/press-releases/"))) == none_chosen

    with CaptureQueriesContext(connection) as queries:
        text(client.get("/press-releases/?page=1"))
    assert not [q for q in queries if "contacts_person" in q["sql"]], "options read again"

    other = make_release()
    ReleasePerson.objects.create(release=other, person=second)
    options = _person_options(text(client.get(f"/press-releases/?person={second.slug}")))
    assert options == [("", ""), (first.slug, ""), (second.slug, " selected")]

    release.status, release.withdrawal_note = Status.WITHDRAWN, "Issued in error."
    release.save()
    assert _person_options(text(client.get("/press-releases/"))) == [
        ("", " selected"),
        (second.slug, ""),
    ]


def test_the_pages_of_a_list_share_its_count_until_a_release_is_published(client, settings):
    settings.PUBLIC_CACHE = False
    for _ in range(25):
        make_release()
    assert "25 releases" in text(client.get("/press-releases/"))
    with CaptureQueriesContext(connection) as queries:
        second = text(client.get("/press-releases/?page=2"))
    assert "25 releases" in second and "Page 2 of 2" in second
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()], "counted again"
    make_release()
    assert "26 releases" in text(client.get("/press-releases/?page=2"))


def test_a_count_is_per_filter_and_per_language(client, settings):
    settings.PUBLIC_CACHE = False  # every request rendered: the second round reads the memo
    make_release(kind="statement")
    make_release()
    make_release(language="ru")

    def count(url):
        heading = re.search(r'id="results-heading">(\d+) ', text(client.get(url)))
        return int(heading.group(1))

    assert [count("/press-releases/"), count("/press-releases/?kind=statement")] == [2, 1]
    assert count("/ru/press-releases/") == 1
    assert [count("/press-releases/"), count("/press-releases/?kind=statement")] == [2, 1]


@pytest.mark.parametrize(
    ("precision", "start", "end", "last"),
    [
        ("day", datetime.date(2026, 3, 4), None, datetime.date(2026, 3, 4)),
        ("day", datetime.date(2026, 3, 4), datetime.date(2026, 3, 6), datetime.date(2026, 3, 6)),
        ("month", datetime.date(2026, 2, 1), None, datetime.date(2026, 2, 28)),
        ("year", datetime.date(2026, 1, 1), None, datetime.date(2026, 12, 31)),
        ("day", None, None, None),
    ],
)
def test_an_event_keeps_its_last_day_stored(precision, start, end, last):
    event = make_event(date_precision=precision, start_date=start, end_date=end)
    assert Event.objects.get(pk=event.pk).ends_on == last


def test_the_stored_last_day_follows_an_edit_even_of_named_fields():
    event = make_event(start_date=datetime.date(2026, 3, 4))
    event.end_date = datetime.date(2026, 3, 9)
    event.save(update_fields=["end_date"])
    assert Event.objects.get(pk=event.pk).ends_on == datetime.date(2026, 3, 9)


def test_upcoming_and_past_by_precision_around_today():
    today = timezone.localdate()
    month_start = today.replace(day=1)
    this_month = make_event(date_precision="month", start_date=month_start)
    last_month = make_event(
        date_precision="month", start_date=(month_start - datetime.timedelta(days=1))
    )
    this_year = make_event(date_precision="year", start_date=today.replace(month=1, day=1))
    ends_today = make_event(start_date=today - datetime.timedelta(days=3), end_date=today)
    yesterday = make_event(start_date=today - datetime.timedelta(days=1))
    undated = make_event(start_date=None)
    upcoming = set(Event.objects.public().upcoming(today))
    past = set(Event.objects.public().past(today))
    assert upcoming == {this_month, this_year, ends_today}
    assert past == {last_month, yesterday}
    assert undated not in upcoming | past
