"""The JSON API v1: endpoints, filters, public-only rule, errors, caching headers, query counts."""

import datetime

import pytest
from django.utils import timezone
from django.utils.http import http_date

from editorial.models import Status

from .factories import make_contact, make_event, make_person, make_release, make_topic

pytestmark = pytest.mark.django_db

API = "/api/v1"


def slugs(response):
    return [item["slug"] for item in response.json()["results"]]


# ---------------------------------------------------------------- endpoints with the seeds


def test_release_list_embeds_people_with_the_title_held_on_the_release_date(client, seeds):
    response = client.get(f"{API}/releases/")
    assert response.status_code == 200
    by_date = {r["date"]: r for r in response.json()["results"]}
    assert set(by_date) == {"2020-10-12", "2023-10-26", "2024-01-22"}
    assert by_date["2020-10-12"]["people"][0]["title"] == "Executive Director of CICA"
    assert by_date["2024-01-22"]["people"][0]["title"] == "Secretary General of CICA"
    assert by_date["2024-01-22"]["people"][0]["url"].endswith("/people/kairat-sarybay/")
    assert by_date["2024-01-22"]["url"] == f"http://testserver/press-releases/{seeds['004'].slug}/"


def test_release_detail_gives_markdown_and_sanitised_html(client, seeds):
    release = seeds["004"]
    data = client.get(f"{API}/releases/{release.slug}/").json()
    assert data["body_markdown"] == release.body
    assert data["body_html"].startswith("<p>In his address")
    assert data["media_contacts"][0]["phone"] == "+77770362658"
    assert data["place"] == {"city": "Astana", "country": ""}  # the seed names no country
    assert {e["title"] for e in data["events"]} >= {
        "CICA Ministerial Conference on Environmental Issues"
    }


def test_date_after_returns_only_the_january_2024_release(client, seeds):
    assert slugs(client.get(f"{API}/releases/", {"date_after": "2024-01-01"})) == [
        seeds["004"].slug
    ]


def test_date_before_and_year(client, seeds):
    assert slugs(client.get(f"{API}/releases/", {"date_before": "2020-12-31"})) == [
        seeds["000"].slug
    ]
    assert slugs(client.get(f"{API}/releases/", {"year": 2023})) == [seeds["001"].slug]


def test_person_filter_returns_all_three_releases_about_sarybay(client, seeds):
    assert len(slugs(client.get(f"{API}/releases/", {"person": "kairat-sarybay"}))) == 3


def test_organisation_and_event_filters(client, seeds):
    assert slugs(client.get(f"{API}/releases/", {"organisation": "csto"})) == [seeds["001"].slug]
    event = seeds["004"].events.get(title="CICA Ministerial Conference on Environmental Issues")
    assert slugs(client.get(f"{API}/releases/", {"event": event.slug})) == [seeds["004"].slug]


def test_kind_language_and_topic_filters(client, seeds):
    topic = make_topic(slug="environment")
    seeds["004"].topics.add(topic)
    assert slugs(client.get(f"{API}/releases/", {"topic": "environment"})) == [seeds["004"].slug]
    assert (
        len(slugs(client.get(f"{API}/releases/", {"kind": "press_release", "language": "en"}))) == 3
    )
    assert slugs(client.get(f"{API}/releases/", {"language": "ru"})) == []


def test_updated_since_gives_what_changed_for_incremental_sync(client, seeds):
    later = timezone.now() + datetime.timedelta(minutes=1)
    assert slugs(client.get(f"{API}/releases/", {"updated_since": later.isoformat()})) == []
    earlier = timezone.now() - datetime.timedelta(days=1)
    assert len(slugs(client.get(f"{API}/releases/", {"updated_since": earlier.isoformat()}))) == 3


def test_search_finds_words_in_the_text(client, seeds):
    assert slugs(client.get(f"{API}/releases/", {"search": "Minsk"})) == [seeds["001"].slug]
    assert slugs(client.get(f"{API}/releases/", {"search": "nothing-like-this-anywhere"})) == []


def test_ordering_by_publish_time(client, seeds):
    oldest_first = slugs(client.get(f"{API}/releases/", {"ordering": "publish_at"}))
    assert oldest_first == [seeds["000"].slug, seeds["001"].slug, seeds["004"].slug]


def test_cursor_pagination_walks_every_release_once(client, db):
    for n in range(7):
        make_release(publish_at=timezone.now() - datetime.timedelta(hours=n + 1))
    seen, url = [], f"{API}/releases/?page_size=3"
    while url:
        data = client.get(url).json()
        seen += [r["slug"] for r in data["results"]]
        url = data["next"]
    assert len(seen) == 7 == len(set(seen))
    assert "count" not in data


def test_event_filters(client, seeds):
    response = client.get(f"{API}/events/", {"start_after": "2024-01-01"})
    titles = {e["title"] for e in response.json()["results"]}
    assert titles == {
        "Rally of the Volunteer Movement Leaders of the CICA Countries",
        "CICA Ministerial Conference on Environmental Issues",
    }
    online = client.get(f"{API}/events/", {"format": "online"}).json()["results"]
    assert [e["start_date"] for e in online] == ["2020-10-12"]
    held = client.get(f"{API}/events/", {"status": "held", "start_before": "2020-12-31"}).json()[
        "results"
    ]
    assert len(held) == 1


def test_upcoming_events_are_not_yet_over_soonest_first(client, db):
    today = timezone.localdate()
    past = make_event(start_date=today - datetime.timedelta(days=3))
    soon = make_event(start_date=today + datetime.timedelta(days=2))
    later = make_event(start_date=today + datetime.timedelta(days=20))
    assert slugs(client.get(f"{API}/events/", {"upcoming": "true"})) == [soon.slug, later.slug]
    assert slugs(client.get(f"{API}/events/", {"upcoming": "false"})) == [past.slug]


def test_people_organisations_topics_and_contacts(client, seeds):
    person = client.get(f"{API}/people/kairat-sarybay/").json()
    assert [a["role_title"] for a in person["appointments"]] == [
        "Executive Director of CICA",
        "Secretary General of CICA",
    ]
    orgs = {o["acronym"] for o in client.get(f"{API}/organisations/").json()["results"]}
    assert {"CICA", "OSCE", "CSTO", "UN"} <= orgs
    assert client.get(f"{API}/topics/").status_code == 200
    contacts = client.get(f"{API}/media-contacts/").json()["results"]
    assert contacts[0]["name"] == "Akbota Batyrkhan" and contacts[0]["vcard"].endswith(".vcf")


# ---------------------------------------------------------------- only public content


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Status.DRAFT},
        {"status": Status.IN_REVIEW},
        {"status": Status.PUBLISHED, "publish_at_offset": 3600},
        {"status": Status.WITHDRAWN},
    ],
    ids=["draft", "in_review", "scheduled", "withdrawn"],
)
def test_hidden_releases_never_appear_in_any_endpoint(client, db, hidden):
    person = make_person(slug="hidden-person")
    topic = make_topic(slug="hidden-topic")
    contact = make_contact(active=False)
    offset = hidden.pop("publish_at_offset", -3600)
    release = make_release(
        slug="secret", publish_at=timezone.now() + datetime.timedelta(seconds=offset), **hidden
    )
    release.mentions.create(person=person)
    release.topics.add(topic)
    release.media_contacts.add(contact)
    event = make_event(
        slug="secret-event",
        status=hidden["status"],
        publish_at=release.publish_at,
        withdrawal_note="Called off.",
    )
    for url in ["releases", "events", "people", "topics", "organisations", "media-contacts"]:
        body = client.get(f"{API}/{url}/").content.decode()
        assert "secret" not in body and "hidden-" not in body, url
    for url in [
        "releases/secret",
        "events/secret-event",
        "people/hidden-person",
        "topics/hidden-topic",
        f"media-contacts/{contact.pk}",
    ]:
        assert client.get(f"{API}/{url}/").status_code == 404, url
    assert event.pk


def test_a_scheduled_release_appears_once_its_time_has_come(client, db, time_machine=None):
    import time_machine as tm

    go_live = timezone.now() + datetime.timedelta(hours=2)
    release = make_release(slug="embargoed", publish_at=go_live)
    assert client.get(f"{API}/releases/embargoed/").status_code == 404
    with tm.travel(go_live + datetime.timedelta(seconds=1), tick=False):
        assert client.get(f"{API}/releases/embargoed/").status_code == 200
        assert slugs(client.get(f"{API}/releases/")) == [release.slug]


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "poem"}, "kind"),
        ({"language": "fr"}, "language"),
        ({"date_after": "yesterday"}, "date_after"),
        ({"updated_since": "soon"}, "updated_since"),
        ({"year": "1800"}, "year"),
        ({"ordering": "title"}, "ordering"),
    ],
)
def test_unknown_filter_values_are_a_400_with_the_reason(client, db, params, field):
    response = client.get(f"{API}/releases/", params)
    assert response.status_code == 400
    data = response.json()
    assert data["status"] == 400 and data["code"] == "invalid"
    assert field in data["errors"] and data["errors"][field][0]


@pytest.mark.parametrize(
    ("params", "field"), [({"topic": "no-such-topic"}, "topic"), ({"person": "nobody"}, "person")]
)
def test_a_filter_naming_nothing_public_is_a_404_with_the_reason(client, db, params, field):
    response = client.get(f"{API}/releases/", params)
    data = response.json()
    assert response.status_code == 404 and data["code"] == "not_found"
    assert field in data["errors"] and data["errors"][field][0]


def test_an_unknown_event_filter_value_is_a_400(client, db):
    response = client.get(f"{API}/events/", {"format": "carrier-pigeon"})
    assert response.status_code == 400 and "format" in response.json()["errors"]


def test_not_found_has_the_same_error_shape(client, db):
    data = client.get(f"{API}/releases/nothing/").json()
    assert data == {"status": 404, "code": "not_found", "detail": data["detail"], "errors": {}}


def test_anonymous_clients_are_throttled_with_retry_after(client, db, settings, time_machine):
    settings.API_ANON_RATE = "3/minute"
    # Fixed windows: half a minute into one, so the four requests share it.
    time_machine.move_to(datetime.datetime(2026, 12, 7, 10, 0, 30, tzinfo=datetime.UTC), tick=False)
    codes = [client.get(f"{API}/topics/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get(f"{API}/topics/")
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"


# ---------------------------------------------------------------- HTTP caching


def test_responses_carry_etag_last_modified_and_cache_control(client, seeds):
    response = client.get(f"{API}/releases/")
    assert response["ETag"] and response["Last-Modified"]
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
    detail = client.get(f"{API}/releases/{seeds['004'].slug}/")
    assert detail["Last-Modified"] == http_date(
        max(seeds["004"].updated_at, seeds["004"].publish_at).timestamp()
    )


def test_conditional_requests_get_304(client, seeds):
    first = client.get(f"{API}/releases/")
    again = client.get(f"{API}/releases/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get(f"{API}/releases/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_an_edit_changes_the_etag(client, seeds):
    first = client.get(f"{API}/releases/")
    release = seeds["001"]
    release.title = "Corrected title"
    release.save()
    again = client.get(f"{API}/releases/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and "Corrected title" in again.content.decode()


# ---------------------------------------------------------------- query counts


def _fill(n):
    person, topic, contact = make_person(), make_topic(), make_contact()
    event = make_event()
    for i in range(n):
        release = make_release(publish_at=timezone.now() - datetime.timedelta(minutes=i + 1))
        release.mentions.create(person=person, title_given="Envoy")
        release.topics.add(topic)
        release.events.add(event)
        release.media_contacts.add(contact)


@pytest.mark.parametrize(
    "endpoint", ["releases", "events", "people", "organisations", "topics", "media-contacts"]
)
def test_list_query_count_does_not_grow_with_items(client, db, django_assert_num_queries, endpoint):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.caching import content_version
    from releases.models import Event, Release

    _fill(1)
    content_version()  # made once per go-live time, not per request: not what is measured
    ContentType.objects.get_for_models(Release, Event)  # looked up once per process (notes)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"{API}/{endpoint}/?page_size=100").status_code == 200
    _fill(49)
    for i in range(49):
        make_event(start_date=timezone.localdate() + datetime.timedelta(days=i))
    content_version()  # (it lives LOCAL_VERSION_SECONDS with the local cache: may have expired)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(f"{API}/{endpoint}/?page_size=100").status_code == 200
    assert len(fifty) == len(one)


# ---------------------------------------------------------------- schema and docs


def test_the_schema_is_valid_openapi_3(client, db):
    import yaml
    from openapi_spec_validator import validate

    response = client.get("/api/schema/")
    assert response.status_code == 200
    validate(yaml.safe_load(response.content))


def test_the_docs_are_served_from_our_own_static_files(client, db):
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_release_list_is_documented_with_its_filters(client, db):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    params = {p["name"] for p in schema["paths"]["/api/v1/releases/"]["get"]["parameters"]}
    assert {
        "kind",
        "language",
        "topic",
        "person",
        "organisation",
        "event",
        "date_after",
        "date_before",
        "updated_since",
        "search",
        "ordering",
        "cursor",
    } <= params


def test_schema_generation_gives_no_warnings(db, tmp_path):
    from django.core.management import call_command

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_release_list_gives_bodies_as_markdown_and_sanitised_html(client, db):
    make_release(body="Hello **world** <script>alert(1)</script> [x](javascript:alert(2))")
    [item] = client.get(f"{API}/releases/").json()["results"]
    assert item["body_markdown"].startswith("Hello **world**")
    assert "<strong>world</strong>" in item["body_html"]
    assert "<script" not in item["body_html"] and 'href="javascript:' not in item["body_html"]


# ---------------------------------------------------------------- crafted requests (no 500s)


def test_a_crafted_cursor_is_a_404_not_a_server_error(client, db):
    make_release()
    # base64 of "p=notadate": a position the ordering field cannot hold.
    response = client.get(f"{API}/releases/", {"cursor": "cD1ub3RhZGF0ZQ=="})
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "path", ["releases", "events", "people", "organisations", "topics", "media-contacts"]
)
def test_a_nul_in_an_address_is_refused_not_a_database_error(client, db, path):
    response = client.get(f"{API}/{path}/%00/")
    assert response.status_code in (400, 404) and response.json()["status"] in (400, 404)


def test_a_nul_in_a_query_is_a_400(client, db):
    response = client.get(f"{API}/releases/", {"search": "a\x00b"})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert client.get("/search/", {"q": "a\x00b"}).status_code == 400


@pytest.mark.parametrize("value", ["null", "0", "101", "-1"])
def test_a_page_size_out_of_range_is_a_400(client, db, value):
    response = client.get(f"{API}/releases/", {"page_size": value})
    assert response.status_code == 400 and "page_size" in response.json()["errors"]


def test_the_schema_gives_the_bounds_the_api_enforces(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/releases/"]["get"]["parameters"]
    }
    assert (parameters["year"]["minimum"], parameters["year"]["maximum"]) == (1992, 2100)
    assert (parameters["page_size"]["minimum"], parameters["page_size"]["maximum"]) == (1, 100)
    assert client.get(f"{API}/releases/", {"year": "0"}).status_code == 400


def test_the_api_writes_no_floats():
    """orjson writes a float shorter than json.dumps (`1e16` for `1e+16`): no serializer of the
    API has a field that gives one."""
    from rest_framework import fields
    from rest_framework.serializers import BaseSerializer

    from cica_portal.urls import router

    floats = (fields.FloatField, fields.DecimalField)
    found = []
    for _, viewset, _ in router.registry:
        serializer_class = viewset.serializer_class
        pending = [serializer_class()]
        while pending:
            serializer = pending.pop()
            for name, field in serializer.fields.items():
                child = getattr(field, "child", field)
                if isinstance(child, BaseSerializer):
                    pending.append(child)
                elif isinstance(child, floats) and not getattr(child, "coerce_to_string", False):
                    found.append(f"{type(serializer).__name__}.{name}")
    assert found == []


# ---------------------------------------------------------------- kept rows


def test_a_kept_row_follows_a_change_to_what_it_names(client):
    release = make_release(title="Talks in Astana")
    person = make_person(name="Kairat Sarybay", slug="kairat-sarybay")
    release.mentions.create(person=person, position=0)
    detail = f"/api/v1/releases/{release.slug}/"
    for url in (detail, "/api/v1/releases/"):
        client.cookies.clear()
        assert "Kairat Sarybay" in client.get(url).content.decode()
    person.name = "Kairat Sarybai"
    person.save()
    assert "Kairat Sarybai" in client.get(detail).content.decode()
    assert "Kairat Sarybai" in client.get("/api/v1/releases/").content.decode()


def test_after_a_publish_the_list_reads_the_links_of_the_new_release_alone(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_CACHE = False  # the answer is made again; its rows may be kept
    for _ in range(5):
        make_release().mentions.create(person=make_person(), position=0)
    client.get("/api/v1/releases/")
    new = make_release(title="Breaking news")
    new.mentions.create(person=make_person(), position=0)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/v1/releases/").json()
    assert answer["results"][0]["title"] == "Breaking news" and len(answer["results"]) == 6
    mentions = [q["sql"] for q in queries if q["sql"].startswith('SELECT "releases_releaseperson"')]
    assert len(mentions) == 1 and f"IN ({new.pk})" in mentions[0]
