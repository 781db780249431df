"""Statements (`core.statements`): QuerySets compiled once per shape and run with new values,
giving the rows the QuerySet gives; and the links of releases and events they load."""

import datetime
import uuid
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.statements import LoadingQuerySet, Statement, StatementError, now
from editorial.models import Status
from releases.models import Release

from .factories import (
    make_appointment,
    make_contact,
    make_event,
    make_organisation,
    make_person,
    make_release,
    make_topic,
)

pytestmark = pytest.mark.django_db


def test_a_statement_gives_what_its_queryset_gives_and_compiles_once_per_shape():
    releases = [make_release(title=f"Item {n}") for n in range(4)]
    ids = [r.pk for r in releases]
    by_ids = Statement(lambda ids: Release.objects.filter(pk__in=ids).order_by("pk"))
    compile_ = Statement._compile
    with mock.patch.object(Statement, "_compile", autospec=True, side_effect=compile_) as made:
        assert [r.title for r in by_ids.run(ids=ids[:2])] == ["Item 0", "Item 1"]
        assert [r.pk for r in by_ids.run(ids=ids[2:])] == ids[2:]  # same shape: two ids
        assert made.call_count == 1
        assert [r.pk for r in by_ids.run(ids=ids[1:])] == ids[1:]  # three: a new shape
        assert made.call_count == 2
    assert by_ids.run(ids=[]) == []  # nothing to match, nothing asked
    many = [*range(10**6, 10**6 + 5000), ids[3]]  # a sitemap's page of ids: found in one pass
    assert [r.pk for r in by_ids.run(ids=many)] == [ids[3]]
    assert len(by_ids._compiled) == 2  # so long a shape is compiled each time, not kept
    assert [r.pk for r in by_ids.run(ids=[ids[0], ids[0]])] == [ids[0]]  # once each


def test_a_statements_sql_is_its_querysets_for_a_query_built_around_it():
    """`sql()`: what a run sends, for a subquery of one's own (search's newest window), values
    of rows included; None where nothing can match."""
    titles = Statement(
        lambda ids: Release.objects.filter(pk__in=ids).order_by("pk").values_list("title")
    )
    releases = [make_release(title=f"Item {n}") for n in range(3)]
    ids = [r.pk for r in releases[:2]]
    sql, params = titles.sql(ids=ids)
    expected = Release.objects.filter(pk__in=ids).order_by("pk").values_list("title")
    expected_sql, expected_params = expected.query.sql_with_params()
    assert sql == expected_sql and tuple(params) == tuple(expected_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) inner_rows", params)
        assert cursor.fetchone()[0] == 2
    assert titles.sql(ids=[]) is None


def test_a_list_is_read_a_page_at_a_time_each_page_bounds_a_shape():
    from core.statements import StatementList

    for n in range(5):
        make_release(title=f"Paged {n}")
    paged = Statement(
        lambda start, stop: Release.objects.filter(title__startswith="Paged").order_by("title")[
            start:stop
        ],
        shaping=("start", "stop"),
    )
    pages = StatementList(paged, lambda: Release.objects.filter(title__startswith="Paged"))
    assert pages.count() == 5
    assert [r.title for r in pages[2:4]] == ["Paged 2", "Paged 3"]
    assert [r.title for r in pages[4:6]] == ["Paged 4"]
    assert pages[0:0] == []  # Django asks nothing for an empty page: neither does it
    with pytest.raises(StatementError, match="every value that shapes"):
        paged.run(start=0)


def test_values_of_every_kind_reach_the_sql_as_django_hands_them():
    release = make_release(slug="kinds", date=datetime.date(2024, 5, 1))
    found = Statement(
        lambda slug, day, group, after: Release.objects.filter(
            slug=slug, date=day, translation_group=group, publish_at__gt=after
        )
    )
    hour_ago = timezone.now() - datetime.timedelta(hours=2)
    args = {"slug": "kinds", "day": datetime.date(2024, 5, 1), "group": release.translation_group}
    assert [r.pk for r in found.run(**args, after=hour_ago)] == [release.pk]
    assert found.run(**{**args, "day": datetime.date(2024, 5, 2)}, after=hour_ago) == []
    assert found.run(**{**args, "group": uuid.uuid4()}, after=hour_ago) == []
    assert found.run(**args, after=timezone.now()) == []
    assert found.one(**args, after=hour_ago).pk == release.pk


def test_the_time_visibility_is_judged_at_is_each_runs_own():
    """`public()` compares with `now()`: the SQL stays, the time is the run's."""
    soon = timezone.now() + datetime.timedelta(minutes=10)
    release = make_release(slug="embargoed", publish_at=soon)
    visible = Statement(lambda slug: Release.objects.public().filter(slug=slug))
    assert visible.run(slug="embargoed") == []
    with time_machine.travel(soon + datetime.timedelta(seconds=1)):
        assert [r.pk for r in visible.run(slug="embargoed")] == [release.pk]
    assert now() <= timezone.now()  # outside a compile, the clock itself


def test_select_related_rows_come_with_their_relations_and_deferred_fields_stay_deferred():
    organisation = make_organisation(name="Secretariat")
    contact = make_contact(organisation=organisation)
    statement = Statement(
        lambda ids: type(contact).objects.filter(pk__in=ids).select_related("organisation")
    )
    [found] = statement.run(ids=[contact.pk])
    with CaptureQueriesContext(connection) as queries:
        assert found.organisation.name == "Secretariat"
    assert len(queries) == 0
    listed = Statement(lambda slug: Release.objects.filter(slug=slug).listed())
    make_release(slug="listed", body="Long body")
    assert "body" in listed.one(slug="listed").get_deferred_fields()


def test_a_query_whose_sql_depends_on_its_values_is_refused(settings):
    def build(word):  # compiled with a stand-in: it would always take the second branch
        if word.startswith("a"):
            return Release.objects.filter(slug=word)
        return Release.objects.filter(title=word)

    settings.STATEMENTS_CHECK = True
    with pytest.raises(StatementError, match="differs from its QuerySet"):
        Statement(build).run(word="astana")
    with pytest.raises(StatementError, match="does not reach the SQL as itself"):
        Statement(lambda word: Release.objects.filter(title__icontains=word)).run(word="x")
    with pytest.raises(StatementError, match="no prefetch_related"):
        Statement(lambda ids: Release.objects.filter(pk__in=ids).prefetch_related("topics")).run(
            ids=[1]
        )


def test_loaders_run_once_on_the_fetched_rows_and_are_kept_by_clones():
    make_release(title="One")
    make_release(title="Two")
    seen = []
    loaded = Release.objects.loading(lambda rows: seen.append(len(rows)))
    assert isinstance(loaded, LoadingQuerySet)
    rows = loaded.filter(title__in=["One", "Two"]).order_by("title")
    assert [r.title for r in rows] == ["One", "Two"]
    list(rows)  # the same QuerySet again: its rows are kept, not loaded twice
    assert seen == [2]
    assert loaded.get(title="One").title == "One"
    assert seen == [2, 1]
    list(loaded.filter(title="none"))  # nothing fetched: nothing to load
    list(loaded.values("title"))
    list(loaded.iterator())
    assert seen == [2, 1]


def test_a_release_page_of_links_comes_in_a_fixed_number_of_queries_with_only_public_ones():
    person = make_person(name="Kairat Sarybay")
    make_appointment(person, role_title="Secretary General", start=datetime.date(2022, 10, 1))
    organisation, topic = make_organisation(name="OSCE"), make_topic(name="Security")
    public_event = make_event(title="Ministerial")
    draft_event = make_event(title="Planned", status=Status.DRAFT, publish_at=None)
    contact, gone = make_contact(name="Press officer"), make_contact(name="Left", active=False)
    releases = []
    for n in range(3):
        release = make_release(title=f"Release {n}", date=datetime.date(2024, 1, 22))
        release.mentions.create(person=person, position=0)
        release.organisations.add(organisation)
        release.topics.add(topic)
        release.events.add(public_event, draft_event)
        release.media_contacts.add(contact, gone)
        releases.append(release)
    ids = [r.pk for r in releases]
    list(Release.objects.filter(pk=ids[0]).with_links())  # what a first request looks up once
    with CaptureQueriesContext(connection) as one:
        list(Release.objects.filter(pk=ids[0]).with_links())
    with CaptureQueriesContext(connection) as three:
        found = list(Release.objects.filter(pk__in=ids).with_links().order_by("pk"))
    assert len(three) == len(one)
    with CaptureQueriesContext(connection) as reading:
        for release in found:
            [mention] = release.mention_list
            assert mention.release is release
            assert mention.title == "Secretary General"
            assert [o.name for o in release.organisation_list] == ["OSCE"]
            assert [t.name for t in release.topic_list] == ["Security"]
            assert [e.title for e in release.event_list] == ["Ministerial"]
            assert [c.name for c in release.contact_list] == ["Press officer"]
            assert release.gallery_list == [] and release.document_list == []
            assert release.note_list == []
    assert len(reading) == 0


def test_statements_run_together_give_what_each_gives_alone_in_one_round_trip():
    from core import statements

    release = make_release(title="Together")
    topic = make_topic(name="Water")
    release.topics.add(topic)
    by_title = Statement(lambda title: Release.objects.filter(title=title))
    topics = Statement(lambda ids: type(topic).objects.filter(releases__in=ids))
    sent = []
    pipelined = statements._pipelined
    with mock.patch.object(
        statements, "_pipelined", side_effect=lambda c, q: sent.append(len(q)) or pipelined(c, q)
    ):
        found = statements.run_together(
            releases=(by_title, {"title": "Together"}),
            topics=(topics, {"ids": [release.pk]}),
            none=(topics, {"ids": []}),  # nothing to ask: not sent
        )
    assert [r.pk for r in found["releases"]] == [r.pk for r in by_title.run(title="Together")]
    assert [t.name for t in found["topics"]] == ["Water"] and found["none"] == []
    assert sent == [2]  # both sent together (a pipeline on PostgreSQL, one by one elsewhere)
    with CaptureQueriesContext(connection) as queries:
        statements.run_together(a=(by_title, {"title": "x"}), b=(by_title, {"title": "y"}))
    assert len(queries) == 2  # each still counted as a query
