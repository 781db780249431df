"""What visitors may see: hidden states stay hidden everywhere, and editors' text is escaped."""

import datetime
import re

import pytest
from django.utils import timezone

from editorial.models import Status

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


def _hidden(state):
    now = timezone.now()
    person = make_person(name="Hidden Person", slug="hidden-person")
    topic = make_topic(name="Hidden topic", slug="hidden-topic")
    org = make_organisation(name="Hidden Organisation", slug="hidden-organisation")
    fields = {
        "draft": {"status": Status.DRAFT},
        "in_review": {"status": Status.IN_REVIEW},
        "scheduled": {"status": Status.PUBLISHED, "publish_at": now + datetime.timedelta(hours=6)},
        "withdrawn": {
            "status": Status.WITHDRAWN,
            "withdrawal_note": "Withdrawn: the meeting was postponed.",
        },
    }[state]
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
