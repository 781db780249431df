"""The public website: pages, feeds, calendars, vCards, sitemap, search; what visitors may see."""

import datetime
import json
import re

import feedparser
import icalendar
import pytest
import vobject
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from editorial.models import Status
from releases.models import Event, ReleasePerson

from .factories import (
    make_contact,
    make_event,
    make_organisation,
    make_person,
    make_release,
    make_topic,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- pages with the seeds


def test_home_shows_latest_releases_and_the_media_contact(client, seeds):
    html = text(client.get("/"))
    assert seeds["004"].title in html and seeds["000"].title in html
    assert "Akbota Batyrkhan" in html and "+7 777 036 2658" in html


def test_release_list_filters_keep_their_state_in_the_url(client, seeds):
    response = client.get("/press-releases/", {"year": 2023, "person": "kairat-sarybay"})
    html = text(response)
    assert seeds["001"].title in html and seeds["004"].title not in html
    assert 'value="2023"' in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "press_release"}, {"000", "001", "004"}),
        ({"organisation": "csto"}, {"001"}),
        ({"q": "Minsk"}, {"001"}),
        ({"year": 2020}, {"000"}),
    ],
)
def test_release_list_filters(client, seeds, params, expected):
    html = text(client.get("/press-releases/", params))
    assert {k for k, r in seeds.items() if r.title in html} == expected


def test_a_bad_filter_value_shows_an_error_not_a_crash(client, seeds):
    response = client.get("/press-releases/", {"year": "nineteen", "topic": "<script>"})
    assert response.status_code == 200
    assert "<script>" not in text(response).split("<main", 1)[1]


def test_release_page_shows_dateline_people_with_their_title_then_and_contacts(client, seeds):
    html = text(client.get(seeds["000"].get_absolute_url()))
    assert "12 October 2020" in html
    assert "Executive Director of CICA" in html and 'href="/people/kairat-sarybay/"' in html
    html = text(client.get(seeds["001"].get_absolute_url()))
    assert "Minsk, Belarus" in html and "26–27 October 2023" in html
    assert "Secretary General of CICA" in html
    html = text(client.get(seeds["004"].get_absolute_url()))
    assert "Akbota Batyrkhan" in html and 'href="tel:+77770362658"' in html


def test_release_page_has_canonical_opengraph_and_news_article_json_ld(client, seeds):
    release = seeds["004"]
    html = text(client.get(release.get_absolute_url()))
    assert f'<link rel="canonical" href="http://testserver{release.get_absolute_url()}">' in html
    assert f'<meta property="og:title" content="{release.title}">' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "NewsArticle" and data["headline"] == release.title[:110]
    assert data["locationCreated"]["name"] == "Astana"  # the seed names no country


def test_event_pages_list_upcoming_then_past_and_link_their_releases(client, seeds):
    upcoming = make_event(title="Future summit", slug="future-summit")
    html = text(client.get("/events/"))
    upcoming_part, past_part = html.split('id="past-heading"')
    assert "Future summit" in upcoming_part
    assert "High-level International Conference" in past_part
    assert "High-level International Conference" not in upcoming_part
    event = seeds["001"].events.get()
    html = text(client.get(event.get_absolute_url()))
    assert seeds["001"].title in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert (
        data["@type"] == "Event"
        and data["startDate"] == "2023-10-26"
        and data["endDate"] == "2023-10-27"
    )
    assert upcoming.pk


def test_people_pages_show_roles_over_time_and_releases(client, seeds):
    assert "Kairat Sarybay" in text(client.get("/people/"))
    html = text(client.get("/people/kairat-sarybay/"))
    assert "Executive Director of CICA" in html and "Secretary General of CICA" in html
    assert all(r.title in html for r in seeds.values())


def test_namesakes_keep_their_places_on_whos_who(client, db):
    """Two people may share a name: ordered by name alone, a page boundary between them could
    show one twice and the other never. Among namesakes the record decides."""
    from contacts.models import Person

    namesakes = [make_person(name="Aigerim Akhmetova", slug=f"aigerim-{n}") for n in (3, 1, 2)]
    for person in namesakes:
        ReleasePerson.objects.create(release=make_release(), person=person)
    order_by = Person.objects.public().query.order_by or Person._meta.ordering
    assert list(order_by) == ["name", "pk"]
    page = text(client.get("/people/"))
    assert [page.index(f"/people/{p.slug}/") for p in namesakes] == sorted(
        page.index(f"/people/{p.slug}/") for p in namesakes
    )


def test_organisation_and_topic_pages(client, seeds):
    assert seeds["001"].title in text(client.get("/organisations/csto/"))
    topic = make_topic(name="Environment", slug="environment")
    seeds["004"].topics.add(topic)
    assert seeds["004"].title in text(client.get("/topics/environment/"))


def test_media_contacts_page_and_vcard(client, seeds):
    contact = seeds["004"].media_contacts.get()
    assert "Akbota Batyrkhan" in text(client.get("/media-contacts/"))
    response = client.get(f"/media-contacts/{contact.pk}.vcf")
    assert response["Content-Type"].startswith("text/vcard")
    card = vobject.readOne(text(response))
    assert card.fn.value == "Akbota Batyrkhan"
    assert card.tel.value == "+77770362658"
    assert card.title.value == "PR Officer"


def test_an_inactive_contact_has_no_vcard(client, db):
    contact = make_contact(active=False)
    assert client.get(f"/media-contacts/{contact.pk}.vcf").status_code == 404


def test_friendly_404_in_the_site_layout(client, db):
    response = client.get("/press-releases/no-such-release/")
    assert response.status_code == 404
    assert "Page not found" in text(response) and 'class="site-header"' in text(response)


def test_robots_txt_points_to_the_sitemap(client, db):
    body = text(client.get("/robots.txt"))
    assert "Disallow: /admin/" in body and "Sitemap: http://testserver/sitemap.xml" in body


# ---------------------------------------------------------------- feeds, calendars, sitemap


@pytest.mark.parametrize("url", ["/press-releases/feed/", "/press-releases/feed/atom/"])
def test_feeds_parse_cleanly_and_list_public_releases(client, seeds, url):
    feed = feedparser.parse(client.get(url).content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert {e.title for e in feed.entries} == {r.title for r in seeds.values()}


def test_topic_feed_lists_only_its_topic(client, seeds):
    seeds["001"].topics.add(make_topic(slug="eurasia"))
    feed = feedparser.parse(client.get("/topics/eurasia/feed/").content)
    assert not feed.bozo and [e.title for e in feed.entries] == [seeds["001"].title]


def test_calendar_parses_with_all_day_events_and_stable_uids(client, seeds):
    cal = icalendar.Calendar.from_ical(client.get("/events/calendar.ics").content)
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    minsk = events[
        "High-level International Conference Eurasian Security: Reality and Prospects in a Transforming World"
    ]
    assert minsk.decoded("DTSTART") == datetime.date(2023, 10, 26)
    assert minsk.decoded("DTEND") == datetime.date(2023, 10, 28)  # exclusive end: the day after
    assert "Minsk" in str(minsk["LOCATION"])
    august = events["CICA Ministerial Conference on Environmental Issues"]
    assert august.decoded("DTEND") == datetime.date(
        2024, 9, 1
    )  # a month-long date, as the text gives it
    event = seeds["001"].events.get()
    uid = str(minsk["UID"])
    event.title = "Renamed conference"
    event.save()
    again = icalendar.Calendar.from_ical(client.get(f"/events/{event.slug}.ics").content)
    [renamed] = again.walk("VEVENT")
    assert str(renamed["UID"]) == uid and str(renamed["SUMMARY"]) == "Renamed conference"


def test_sitemap_lists_every_public_release_and_nothing_else(client, seeds):
    hidden = make_release(slug="draft-one", status=Status.DRAFT)
    body = text(client.get("/sitemap.xml"))
    locs = set(re.findall(r"<loc>http://testserver(/press-releases/[^<]+)</loc>", body))
    assert locs == {r.get_absolute_url() for r in seeds.values()}
    assert hidden.slug not in body
    assert "<lastmod>" in body and "/people/kairat-sarybay/" in body


# ---------------------------------------------------------------- search


@pytest.mark.parametrize(
    "query", ["", "   ", "!!!???...", "a" * 5000, "((( ' \" ; -- DROP TABLE", "&&&|||!!"]
)
def test_search_survives_empty_long_and_punctuation_queries(client, seeds, query):
    assert client.get("/search/", {"q": query}).status_code == 200
    assert client.get("/press-releases/", {"q": query}).status_code == 200


def test_search_ranks_and_highlights_matches(client, seeds):
    html = text(client.get("/search/", {"q": "Minsk"}))
    assert seeds["001"].title.replace("Minsk", "<mark>Minsk</mark>") in html
    assert seeds["004"].title not in html


def test_search_finds_events(client, seeds):
    assert "CICA Ministerial Conference on <mark>Environmental</mark> Issues" in text(
        client.get("/search/", {"q": "environmental"})
    )


def test_search_results_show_the_lead_or_the_body_without_a_query_each(client, db):
    """They read only what they show (`found()`): the body still comes with its row."""
    make_release(title="Water summit", lead="Ministers met on water.", body="Long text.")
    make_release(title="Water forum", lead="", body="Delegates discussed rivers and lakes.")
    client.get("/search/", {"q": "summit"})  # what a first request does once
    with CaptureQueriesContext(connection) as two:
        html = text(client.get("/search/", {"q": "water"}))
    assert "Ministers met on <mark>water</mark>." in html
    assert "Delegates discussed rivers and lakes." in html
    for n in range(5):
        make_release(title=f"Water item {n}", lead="", body=f"Body {n} about rivers.")
    with CaptureQueriesContext(connection) as seven:
        html = text(client.get("/search/", {"q": "water"}))  # the releases made: not cached
    assert "Body 4 about rivers." in html
    assert len(seven) == len(two)


# ---------------------------------------------------------------- query counts


def _fill(n, person=None, topic=None, org=None):
    person, topic, org = person or make_person(), topic or make_topic(), org or make_organisation()
    contact = make_contact()
    for i in range(n):
        release = make_release(
            title=f"Conference report {i}",
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
        )
        release.mentions.create(person=person)
        release.topics.add(topic)
        release.organisations.add(org)
        release.media_contacts.add(contact)
        event = make_event(
            title=f"Conference {i}",
            start_date=timezone.localdate() + datetime.timedelta(days=i - n // 2),
        )
        event.topics.add(topic)
        event.hosts.add(org)
        make_contact()
    return person, topic, org


LIST_PAGES = [
    "/",
    "/press-releases/",
    "/press-releases/?q=conference",
    "/events/",
    "/people/",
    "/media-contacts/",
    "/search/?q=conference",
    "/press-releases/feed/",
    "/events/calendar.ics",
    "/sitemap.xml",
    "{person}",
    "{topic}",
    "{org}",
]


def test_list_pages_make_the_same_number_of_queries_for_1_and_50_items(client, db, monkeypatch):
    """Every list page, with one item and then with fifty (the same records named by all)."""
    from core.caching import content_version, tags

    # Without Redis the content version lives 5 s: on a busy machine the thirteen pages can
    # take longer, and a new version mid-way recomputes the shared values (counted queries).
    monkeypatch.setattr(tags, "LOCAL_VERSION_SECONDS", 600)

    def queries_per_page(person, topic, org) -> dict:
        counts = {}
        for url in LIST_PAGES:
            target = url.format(
                person=person.get_absolute_url(),
                topic=topic.get_absolute_url(),
                org=org.get_absolute_url(),
            )
            content_version()  # made once per go-live time, not per request: not measured
            with CaptureQueriesContext(connection) as queries:
                assert client.get(target).status_code == 200, target
            counts[url] = len(queries)
        return counts

    records = _fill(1)
    one = queries_per_page(*records)
    _fill(49, *records)
    many = queries_per_page(*records)
    # Never more. (Search may make one fewer: with enough matches among the newest items it
    # has no need to look through the rest: `search_top()`.)
    assert {url: min(count, one[url]) for url, count in many.items()} == many
    assert {url: count for url, count in many.items() if "search" not in url} == {
        url: count for url, count in one.items() if "search" not in url
    }


# ---------------------------------------------------------------- markup rules


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/press-releases/",
        "/events/",
        "/people/",
        "/media-contacts/",
        "/search/?q=cica",
        "{release}",
        "{event}",
    ],
)
def test_pages_have_no_inline_scripts_or_styles(client, seeds, url):
    """A strict Content-Security-Policy can hold: only JSON-LD data blocks, no style attributes."""
    event = seeds["001"].events.get()
    html = text(
        client.get(
            url.format(release=seeds["004"].get_absolute_url(), event=event.get_absolute_url())
        )
    )
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all('type="application/ld+json"' in attrs for attrs in scripts), scripts
    assert " style=" not in html and "<style" not in html
    assert "http://" not in re.sub(
        r'(href|content)="http://testserver[^"]*"|"http://testserver[^"]*"', "", html
    )


def test_the_500_page_renders_in_the_site_layout_without_a_request_context(rf):
    from core.web.errors import server_error

    response = server_error(rf.get("/press-releases/"))
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()
    api = server_error(rf.get("/api/v1/releases/"))
    assert api.status_code == 500 and json.loads(api.content)["code"] == "server_error"


def test_the_events_lists_paginate_upcoming_and_past(client, db):
    today = timezone.localdate()
    for i in range(45):
        make_event(
            title=f"Upcoming meeting {i:02d}", start_date=today + datetime.timedelta(days=i + 1)
        )
    for i in range(30):
        make_event(title=f"Past meeting {i:02d}", start_date=today - datetime.timedelta(days=i + 1))
    first = text(client.get("/events/"))
    assert first.count("Upcoming meeting") == 20 and "Upcoming meeting 00" in first
    assert first.count("Past meeting") == 5 and "Past meeting 00" in first  # the latest ones
    assert 'href="/events/past/"' in first and 'rel="next"' in first
    third = text(client.get("/events/?page=3"))
    assert third.count("Upcoming meeting") == 5 and "Upcoming meeting 44" in third
    assert "Past meeting" not in third  # the past section is on the first page only
    assert client.get("/events/?page=4").status_code == 404
    past = text(client.get("/events/past/"))
    assert past.count("Past meeting") == 20 and "Past meeting 00" in past
    assert text(client.get("/events/past/?page=2")).count("Past meeting") == 10


def test_the_past_events_list_makes_the_same_queries_for_3_and_30_events(client, db):
    from core.caching import content_version

    today, counts = timezone.localdate(), []
    for total in (3, 30):
        while Event.objects.count() < total:
            make_event(start_date=today - datetime.timedelta(days=Event.objects.count() + 1))
        content_version()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/events/past/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.postgres  # the newest-first window is PostgreSQL's full-text search
def test_search_ranks_a_common_word_among_the_newest_and_a_rare_one_among_all(db, monkeypatch):
    import datetime

    from django.utils import timezone

    from releases.models import Release

    from .factories import make_release

    monkeypatch.setattr(Release, "SEARCH_WINDOW", 4)
    start = timezone.now() - datetime.timedelta(days=30)
    made = []
    for n in range(8):  # oldest first; "summit" in every text, in the title of n = 1, 5, 6
        made.append(
            make_release(
                title=f"{'Summit' if n in (1, 5, 6) else 'Meeting'} report {n}",
                body="The summit went on." + (" Tashkent." if n == 0 else ""),
                date=(start + datetime.timedelta(days=n)).date(),
                publish_at=start + datetime.timedelta(days=n),
            )
        )
    common = Release.objects.public().search_top("summit", 2)
    # Among the newest four (n = 4..7): the two with the word in the title, newest first.
    assert [r.title for r in common] == ["Summit report 6", "Summit report 5"]
    rare = Release.objects.public().search_top("tashkent", 2)
    assert [r.title for r in rare] == ["Meeting report 0"]  # found outside the window
    assert Release.objects.public().search_top("summit", 20) == list(
        Release.objects.public().search("summit")[:20]
    )  # fewer than asked in the window: ranked among all


def test_a_person_page_lists_their_releases_a_page_at_a_time(client, db):
    person, _, _ = _fill(45)  # 45 releases naming the person, dated one day apart
    first = text(client.get(person.get_absolute_url()))
    assert first.count("Conference report") == 20 and "Conference report 44" in first  # newest
    assert 'rel="next"' in first and "Page 1 of 3" in first
    third = client.get(person.get_absolute_url() + "?page=3")
    assert text(third).count("Conference report") == 5 and "Conference report 0<" in text(third)
    assert "· page 3 ·" in text(third)  # the title says which page
    for wrong in ("4", "0", "x"):
        assert client.get(person.get_absolute_url() + f"?page={wrong}").status_code == 404


def test_a_list_longer_than_the_count_limit_says_more_than_and_still_pages_to_the_end(
    client, db, monkeypatch
):
    from core.web.pagination import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "count_limit", 30)
    for i in range(45):
        make_release(
            title=f"Bulletin {i:02d}", date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i)
        )
    with CaptureQueriesContext(connection) as queries:
        first = text(client.get("/press-releases/"))
    assert "More than 30 releases" in first and "Page 1<" in first and 'rel="next"' in first
    assert first.count("Bulletin") == 20 and "Bulletin 44" in first
    counting = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
    assert counting and all("LIMIT 31" in sql for sql in counting), counting  # stops counting
    third = text(client.get("/press-releases/?page=3"))
    assert third.count("Bulletin") == 5 and "Bulletin 00" in third and 'rel="next"' not in third
    assert 'rel="prev"' in third
    for wrong in ("4", "0", "x"):
        assert client.get(f"/press-releases/?page={wrong}").status_code == 404
    assert "Bulletin 00" in text(client.get("/press-releases/?page=last"))  # counted for this
    # A filter that narrows the list under the limit gets the exact count again.
    make_release(title="Bulletin statement", kind="statement")
    narrowed = text(client.get("/press-releases/?kind=statement"))
    assert "1 release<" in narrowed and "More than" not in narrowed and "Page 1" not in narrowed


def test_a_list_under_the_count_limit_counts_exactly(client, db):
    for i in range(3):
        make_release(title=f"Bulletin {i}")
    page = text(client.get("/press-releases/"))
    assert "3 releases" in page and "More than" not in page


def test_a_correction_is_dated_by_the_day_in_astana_in_words_and_markup(client, db):
    """Written at 22:30 UTC, it is the next morning in Astana: both say so (the words said the
    day in UTC, the markup the day in Astana)."""
    from editorial.models import ChangeNote

    release = make_release(title="Corrected release")
    late = datetime.datetime(2024, 3, 9, 22, 30, tzinfo=datetime.UTC)
    ChangeNote.objects.create(item=release, note="Corrected a name.", created_at=late)
    html = text(client.get(release.get_absolute_url()))
    assert '<time datetime="2024-03-10">10 March 2024</time>: Corrected a name.' in html


@pytest.mark.parametrize("read_first", [2000, 0], ids=["links read first", "in list order"])
def test_the_items_naming_a_record_are_the_same_whichever_way_they_are_read(
    client, db, settings, read_first, monkeypatch
):
    """`naming()` reads a record's few links first, or lets the listing be read in order for
    one with many: the same items either way, hidden and other-language ones left out, on
    every page and list that shows them."""
    from editorial import models as editorial

    monkeypatch.setattr(editorial, "LINKS_READ_FIRST", read_first)
    person, topic = make_person(name="Rare Envoy", slug="rare-envoy"), make_topic(slug="water")
    organisation = make_organisation(slug="basin-council")
    shown = []
    for n, (state, language) in enumerate(
        [("published", "en"), ("draft", "en"), ("published", "ru"), ("published", "en")]
    ):
        release = make_release(title=f"Naming {n}", status=state, language=language)
        ReleasePerson.objects.create(release=release, person=person)
        release.topics.add(topic)
        release.organisations.add(organisation)
        if state == "published" and language == "en":
            shown.append(release.title)
    make_release(title="Naming none")
    for url in [
        "/people/rare-envoy/",
        "/topics/water/",
        "/organisations/basin-council/",
        "/press-releases/?person=rare-envoy",
        "/press-releases/?topic=water&organisation=basin-council",
    ]:
        page = text(client.get(url))
        assert all(title in page for title in shown), url
        assert "Naming 1" not in page and "Naming 2" not in page and "Naming none" not in page
    answer = client.get("/api/v1/releases/?person=rare-envoy").json()  # every language
    assert sorted(r["title"] for r in answer["results"]) == ["Naming 0", "Naming 2", "Naming 3"]
    feed = text(client.get("/topics/water/feed/"))
    assert all(t in feed for t in shown) and "Naming 1" not in feed


def test_a_record_named_a_few_times_has_its_links_read_first(db):
    """PostgreSQL: the list of a record with few links reads them first (`= ANY(ARRAY(...))`,
    which the planner cannot turn into a walk of the whole listing); one with more than
    LINKS_READ_FIRST is left to the planner, which walks the listing in order and finds them
    soon."""
    from django.db import connection

    from editorial import models as editorial
    from releases.models import Release

    person = make_person()
    ReleasePerson.objects.create(release=make_release(), person=person)
    few = str(Release.objects.public().naming("people", person).query)
    editorial.LINKS_READ_FIRST, kept = 0, editorial.LINKS_READ_FIRST
    try:
        many = str(Release.objects.public().naming("people", person).query)
    finally:
        editorial.LINKS_READ_FIRST = kept
    if connection.vendor == "postgresql":
        assert "= ANY((ARRAY(" in few and "ANY(" not in many
    assert "releases_releaseperson" in few and "releases_releaseperson" in many


# ---------------------------------------------------------------- search in both languages


@pytest.mark.postgres
def test_a_word_in_any_grammatical_form_finds_the_items_that_use_it(client, db):
    water = make_release(
        title="Signed agreements on water", body="The ministers signed two agreements."
    )
    security = make_release(
        title="Сотрудничество в области безопасности",
        body="Генеральный секретарь Кайрат Сарыбай обсудил сотрудничество.",
        language="ru",
        slug="sotrudnichestvo",
    )
    english = text(client.get("/search/", {"q": "signing agreement"}))  # titles come marked
    assert water.get_absolute_url() in english
    for query in ["сотрудничества", "Сарыбая", "сотрудничеству Сарыбаю"]:
        russian = text(client.get("/ru/search/", {"q": query}))
        assert security.get_absolute_url() in russian, query
    assert "<mark>" in russian  # where the words stand, marked


@pytest.mark.postgres
def test_quotes_or_and_minus_work_as_in_a_search_engine(client, db):
    asia = make_release(title="Water security in Central Asia", body="Rivers and lakes.")
    supplies = make_release(title="Security of water supplies", body="Pipes.")
    quoted = text(client.get("/search/", {"q": '"water security"'}))  # titles come marked
    assert asia.get_absolute_url() in quoted and supplies.get_absolute_url() not in quoted
    minus = text(client.get("/search/", {"q": "water -rivers"}))
    assert supplies.get_absolute_url() in minus and asia.get_absolute_url() not in minus


@pytest.mark.postgres
def test_the_api_and_the_workspace_search_the_same_way(client, db):
    from .workspace import client_for

    make_release(title="Соглашения подписаны", body="Министры подписали соглашения.", language="ru")
    api = client.get("/api/v1/releases/", {"search": "соглашение"}).json()
    assert [r["title"] for r in api["results"]] == ["Соглашения подписаны"]
    page = client_for("editor").get("/admin/releases/release/", {"q": "подписанное соглашение"})
    assert "Соглашения подписаны" in page.content.decode()


def test_a_search_result_shows_an_excerpt_with_the_words_marked(client, db):
    make_release(title="Ministers meet", lead="", body="Ministers met on water in Astana.")
    page = text(client.get("/search/", {"q": "water"}))
    assert "<mark>water</mark>" in page or "Ministers met on water" in page
