"""What visitors may see: hidden states stay hidden everywhere, and editors' text is escaped."""

import datetime
import re

import pytest
from django.utils import timezone

from editorial.models import Status
from releases.models import Release

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


# ---------------------------------------------------------------- what visitors may see


def _hidden_fields(state):
    """A release's fields for each state a visitor must not see it in."""
    now = timezone.now()
    return {
        "draft": {"status": Status.DRAFT},
        "in_review": {"status": Status.IN_REVIEW},
        "scheduled": {"status": Status.PUBLISHED, "publish_at": now + datetime.timedelta(hours=6)},
        "withdrawn": {
            "status": Status.WITHDRAWN,
            "withdrawal_note": "Withdrawn: the meeting was postponed.",
        },
    }[state]


def _hidden(state):
    person = make_person(name="Hidden Person", slug="hidden-person")
    topic = make_topic(name="Hidden topic", slug="hidden-topic")
    org = make_organisation(name="Hidden Organisation", slug="hidden-organisation")
    fields = _hidden_fields(state)
    release = make_release(
        title="Zqx release title", slug="secret-release", body="Zqxbodyword here.", **fields
    )
    release.mentions.create(person=person)
    release.topics.add(topic)
    release.organisations.add(org)
    event_fields = dict(fields)
    event_fields.setdefault("withdrawal_note", "")
    make_event(title="Zqx event title", slug="secret-event", **event_fields)
    return release


PUBLIC_OUTPUTS = [
    "/",
    "/press-releases/",
    "/press-releases/?q=Zqxbodyword",
    "/search/?q=Zqxbodyword",
    "/search/?q=Zqx",
    "/events/",
    "/people/",
    "/press-releases/feed/",
    "/press-releases/feed/atom/",
    "/events/calendar.ics",
    "/sitemap.xml",
]
HIDDEN_URLS = [
    "/events/secret-event/",
    "/events/secret-event.ics",
    "/people/hidden-person/",
    "/topics/hidden-topic/",
    "/topics/hidden-topic/feed/",
    "/organisations/hidden-organisation/",
]


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled", "withdrawn"])
def test_hidden_states_appear_on_no_page_feed_calendar_sitemap_or_search(client, db, state):
    release = _hidden(state)
    for url in PUBLIC_OUTPUTS:
        # The visitor's own query comes back in the search box and the page title; results must not.
        body = re.sub(r'value="[^"]*"|<title>.*?</title>', "", text(client.get(url)))
        assert "Zqx" not in body and "Hidden" not in body, url
    for url in HIDDEN_URLS:
        assert client.get(url).status_code == 404, url
    detail = client.get(release.get_absolute_url())
    if state == "withdrawn":
        html = text(detail)
        assert detail.status_code == 200 and "the meeting was postponed" in html
        assert "Zqxbodyword" not in html and '<meta name="robots" content="noindex">' in html
    else:
        assert detail.status_code == 404


def test_a_scheduled_release_appears_everywhere_once_its_time_comes(client, db, time_machine):
    go_live = timezone.now() + datetime.timedelta(hours=3)
    release = make_release(title="Embargoed news", slug="embargoed", publish_at=go_live)
    assert client.get("/press-releases/embargoed/").status_code == 404
    time_machine.move_to(go_live + datetime.timedelta(seconds=1))
    assert client.get("/press-releases/embargoed/").status_code == 200
    for url in [
        "/",
        "/press-releases/",
        "/press-releases/feed/",
        "/sitemap.xml",
        "/search/?q=Embargoed",
    ]:
        assert release.slug in text(client.get(url)) or release.title in text(client.get(url)), url


# ---------------------------------------------------------------- stored XSS

SCRIPT = '<script>alert("x")</script>'
JS_LINK = "[click](javascript:alert(1))"


def test_script_in_any_editable_field_is_escaped_on_every_page_and_feed(client, db):
    person = make_person(name=f"Evil {SCRIPT}", slug="evil-person", honorific=SCRIPT)
    org = make_organisation(name=f"Org {SCRIPT}", acronym="EVL", slug="evil-org")
    topic = make_topic(name=f"Topic {SCRIPT}", slug="evil-topic")
    contact = make_contact(name=f"Contact {SCRIPT}", role=SCRIPT, languages=SCRIPT)
    event = make_event(
        title=f"Event {SCRIPT}",
        slug="evil-event",
        description=f"{SCRIPT}\n\n{JS_LINK}",
        venue=SCRIPT,
    )
    release = make_release(
        title=f"Title {SCRIPT}",
        slug="evil",
        lead=f"Lead {SCRIPT} {JS_LINK}",
        body=f'Body {SCRIPT}\n\n{JS_LINK}\n\n<a href="javascript:alert(2)">x</a>',
        city=SCRIPT,
    )
    release.mentions.create(person=person, title_given=SCRIPT)
    release.organisations.add(org)
    release.topics.add(topic)
    release.media_contacts.add(contact)
    release.events.add(event)
    urls = [
        "/",
        "/press-releases/",
        release.get_absolute_url(),
        "/press-releases/?q=Title",
        "/search/?q=Title",
        "/events/",
        event.get_absolute_url(),
        "/people/",
        person.get_absolute_url(),
        org.get_absolute_url(),
        topic.get_absolute_url(),
        "/media-contacts/",
        "/press-releases/feed/",
        "/press-releases/feed/atom/",
        "/topics/evil-topic/feed/",
        "/sitemap.xml",
    ]
    for url in urls:
        body = text(client.get(url))
        assert "<script>alert" not in body, url
        assert 'href="javascript:' not in body.lower(), url


def test_a_withdrawal_note_with_a_script_is_escaped(client, db):
    release = make_release(slug="gone", status=Status.WITHDRAWN, withdrawal_note=f"Gone {SCRIPT}")
    assert "<script>alert" not in text(client.get(release.get_absolute_url()))


# ---------------------------------------------------------------- records learnt from releases

EMBARGOED_TEXT = """CICA Secretary General meets the Minister

Astana, 22 January 2024 – Ambassador Kairat Sarybay, Secretary General of CICA, met the Minister.

They discussed the ministerial meeting.

Media contact: Aigerim Seitkali
PR Officer
Phone: +7 777 036 2658"""


def _learnt_from(state: str, tmp_path):
    """Kairat Sarybay is public through an editor's release; a release in `state` gives him a
    title and names a media contact."""
    from releases.importing.runner import import_file

    person = make_person(name="Kairat Sarybay", slug="kairat-sarybay")
    make_release(title="Public release", date=datetime.date(2024, 1, 22)).mentions.create(
        person=person
    )
    (tmp_path / "embargoed.txt").write_text(EMBARGOED_TEXT, encoding="utf-8")
    import_file(tmp_path / "embargoed.txt", status=Status.DRAFT)
    release = Release.objects.get(source_file="embargoed.txt")
    fields = {
        "draft": {},
        "scheduled": {
            "status": Status.PUBLISHED,
            "publish_at": timezone.now() + datetime.timedelta(hours=6),
        },
        "withdrawn": {"status": Status.WITHDRAWN, "withdrawal_note": "Withdrawn."},
        "public": {"status": Status.PUBLISHED, "publish_at": timezone.now()},
    }[state]
    Release.objects.filter(pk=release.pk).update(**fields)
    return person


LEARNT_OUTPUTS = [
    "/people/kairat-sarybay/",
    "/ru/people/kairat-sarybay/",
    "/people/",
    "/api/v1/people/kairat-sarybay/",
    "/api/v1/people/",
    "/",
    "/media-contacts/",
    "/api/v1/media-contacts/",
]


@pytest.mark.parametrize("state", ["draft", "scheduled", "withdrawn"])
def test_a_title_or_contact_learnt_from_a_hidden_release_shows_nowhere(client, db, state, tmp_path):
    from contacts.models import MediaContact

    _learnt_from(state, tmp_path)
    for url in LEARNT_OUTPUTS:
        body = text(client.get(url))
        assert "Secretary General" not in body and "Seitkali" not in body, url
    contact = MediaContact.objects.get(name="Aigerim Seitkali")
    assert client.get(f"/media-contacts/{contact.pk}.vcf").status_code == 404
    assert client.get(f"/api/v1/media-contacts/{contact.pk}/").status_code == 404


def test_once_that_release_is_public_they_show_everywhere(client, db, tmp_path):
    _learnt_from("public", tmp_path)
    assert "Secretary General of CICA" in text(client.get("/people/kairat-sarybay/"))
    assert "Secretary General of CICA" in text(client.get("/api/v1/people/kairat-sarybay/"))
    assert "Aigerim Seitkali" in text(client.get("/media-contacts/"))
    assert "Aigerim Seitkali" in text(client.get("/"))


def test_what_an_editor_entered_shows_whatever_the_releases(client, db):
    from .factories import make_appointment, make_contact

    person = make_person(name="Kairat Sarybay", slug="kairat-sarybay")
    make_release().mentions.create(person=person)
    make_appointment(person, role_title="Secretary General")
    make_contact(name="Entered By Hand")
    assert "Secretary General" in text(client.get("/people/kairat-sarybay/"))
    assert "Entered By Hand" in text(client.get("/media-contacts/"))


# ---------------------------------------------------------------- linked records: rule and plan


@pytest.mark.parametrize("state", ["draft", "scheduled", "withdrawn"])
def test_a_record_named_by_hidden_and_public_releases_is_public_once_any_is(state):
    """Only a public link counts, wherever it is among a record's links."""
    from contacts.models import MediaContact, Person

    person = make_person(name="Linked Person", slug="linked-person")
    contact = make_contact(name="Linked Contact", entered_by_editor=False)
    hidden = make_release(**_hidden_fields(state))
    hidden.people.add(person)
    hidden.media_contacts.add(contact)
    assert not Person.objects.public().filter(pk=person.pk).exists()
    assert not MediaContact.objects.public().filter(pk=contact.pk).exists()

    public = make_release()
    public.people.add(person)
    public.media_contacts.add(contact)
    assert list(Person.objects.public().filter(pk=person.pk)) == [person]
    assert list(MediaContact.objects.public().filter(pk=contact.pk)) == [contact]


@pytest.mark.postgres  # a PostgreSQL plan
def test_a_contact_one_release_names_is_checked_through_its_own_links():
    """A real press office: a few officers named by nearly every release, and a contact the
    importer learnt from one release. PostgreSQL estimates a correlated EXISTS with the average
    number of links per contact, so a join let it walk every public release in date order,
    probing the link table for that one contact (25,000 probes and 80 ms at 100,000 releases).
    The check must start from the contact's own links and look each release up by key."""
    from django.db import connection

    from contacts.models import MediaContact

    officers = [make_contact(name=f"Officer {i}", entered_by_editor=False) for i in range(5)]
    now = timezone.now()
    releases = Release.objects.bulk_create(
        Release(
            title=f"Bulk {i}",
            slug=f"bulk-{i}",
            status=Status.PUBLISHED,
            publish_at=now - datetime.timedelta(minutes=i + 1),
            date=datetime.date(2024, 1, 1),
            body="Body.",
        )
        for i in range(3000)
    )
    link = Release.media_contacts.through
    link.objects.bulk_create(
        link(release_id=r.pk, mediacontact_id=officers[i % 5].pk) for i, r in enumerate(releases)
    )
    learnt = make_contact(name="Learnt Once", entered_by_editor=False)
    link.objects.create(release_id=releases[-1].pk, mediacontact_id=learnt.pk)
    with connection.cursor() as cursor:
        for table in (Release._meta.db_table, link._meta.db_table, MediaContact._meta.db_table):
            cursor.execute(f'ANALYZE "{table}"')
        sql, params = MediaContact.objects.public().values("pk").query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0][0]["Plan"]

    def nodes(node):
        yield node
        for child in node.get("Plans", ()):
            yield from nodes(child)

    release_scans = [n for n in nodes(plan) if n.get("Relation Name") == Release._meta.db_table]
    assert release_scans
    # Each contact stops at its first public link: one release read per contact, not a walk
    # of the releases (the join read about 3,000: every release, for the learnt contact).
    read = sum(scan["Actual Rows"] * scan["Actual Loops"] for scan in release_scans)
    assert read <= len(officers) + 1, plan
    assert set(MediaContact.objects.public()) == {*officers, learnt}


def test_an_organisation_page_lists_no_event_that_only_a_hidden_release_connects_to_it(client):
    """An organisation's page lists the events it hosts and those its public releases report;
    an event reported only by a draft naming it stays off the page until the draft is out."""
    organisation = make_organisation(name="Asian Partners Forum", slug="apf")
    hosted, reported, pending = (make_event(title=t) for t in ("Hosted", "Reported", "Pending"))
    hosted.hosts.add(organisation)
    public = make_release()
    public.organisations.add(organisation)
    public.events.add(reported)
    draft = make_release(status=Status.DRAFT)
    draft.organisations.add(organisation)
    draft.events.add(pending)
    page = text(client.get("/organisations/apf/"))
    assert "Hosted" in page and "Reported" in page and "Pending" not in page
    draft.status = Status.PUBLISHED
    draft.save()
    assert "Pending" in text(client.get("/organisations/apf/"))
