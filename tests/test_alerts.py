"""Journalist alerts, end to end against a real SMTP server on loopback: double opt-in,
go-live delivery through the task worker (the database is the queue), one-click unsubscribe,
nothing sent for what is not public, scheduled sending, no double sends, failures."""

import datetime
import re
import threading

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from alerts import delivery, tasks
from alerts.models import AccreditedJournalist, AdvanceCopy, Delivery, Mailing, Subscriber
from editorial.models import StateChange, Status
from releases.models import Release

from . import mailsink
from .factories import make_contact, make_release, make_topic
from .workspace import client_for, post_form, refreshed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _groups():
    """A transactional test's flush empties the groups the migrations made."""
    from django.contrib.auth.models import Group, Permission

    from alerts.roles import grant
    from releases.roles import ensure_groups

    ensure_groups()
    grant(Group, Permission)


@pytest.fixture
def smtp(settings):
    controller, sink = mailsink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.ALERTS_MIN_FORM_SECONDS = 0
    settings.PUBLIC_BASE_URL = "https://press.example.org"
    yield sink
    controller.stop()


def work():
    """What `make worker` runs, until the queue holds nothing due. On the tests' shared
    in-memory SQLite the worker's exclusive transaction fails at once, rather than waiting,
    while a browser test's live server is still answering a request: then it tries again."""
    import time

    from django.db import OperationalError

    for _ in range(40):
        try:
            call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)
            return
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.25)
    raise AssertionError("the database stayed locked for the worker")


def subscribe(client, email, **choices):
    page = client.get("/alerts/").content.decode()
    issued = re.search(r'name="issued" value="([^"]+)"', page).group(1)
    data = {"email": email, "language": "en", "scope": "all", "issued": issued, **choices}
    return client.post("/alerts/", data)


def link_in(sink, message, name) -> str:
    found = re.search(
        rf"https://press\.example\.org(/\S*?/alerts/{name}/\S+?/)", sink.text(message)
    )
    if found is None:
        found = re.search(rf"https://press\.example\.org(/alerts/{name}/\S+?/)", sink.text(message))
    return found.group(1)


def active(email, **fields) -> Subscriber:
    return Subscriber.objects.create(
        email=email, status=Subscriber.Status.ACTIVE, confirmed_at=timezone.now(), **fields
    )


# ------------------------------------------------------------------------------ subscribing


def test_the_confirmation_mail_arrives_and_confirming_subscribes(smtp):
    client = Client()
    response = subscribe(client, "Reporter@Example.org")
    assert response.status_code == 302 and response["Location"] == "/alerts/check-your-inbox/"
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert smtp.messages == []  # not sent in the visitor's request
    work()
    (message,) = smtp.to("reporter@example.org")
    assert "Confirm" in message["Subject"]
    confirm = link_in(smtp, message, "confirm")
    page = client.get(confirm)
    assert page.status_code == 200 and b"Confirm and subscribe" in page.content
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # a GET subscribes nobody
    assert page["Cache-Control"] == "private, no-store"
    done = client.post(confirm)
    assert done.status_code == 200 and b"You are subscribed" in done.content
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.ACTIVE and subscriber.confirmed_at


def test_an_expired_or_altered_confirmation_link_is_refused(smtp, time_machine):
    subscribe(Client(), "late@example.org")
    work()
    confirm = link_in(smtp, smtp.messages[0], "confirm")
    assert Client().get(confirm[:-3] + "xx/").status_code == 404
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=73))
    page = Client().post(confirm)
    assert page.status_code == 404 and b"does not work" in page.content
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_the_answer_is_the_same_whoever_the_address_belongs_to(smtp):
    active("known@example.org", language="en")
    Subscriber.objects.create(email="pending@example.org")
    answers = []
    for address in ("known@example.org", "pending@example.org", "new@example.org"):
        response = subscribe(Client(), address, scope="chosen", kinds=["speech"])
        follow = Client().get(response["Location"])
        answers.append((response.status_code, response["Location"], follow.content))
    assert answers[0] == answers[1] == answers[2]
    work()
    # The subscribed address keeps its owner's choices and gets its own links, not a new
    # confirmation; the others are asked to confirm.
    known = Subscriber.objects.get(email="known@example.org")
    assert known.everything and known.status == Subscriber.Status.ACTIVE
    (reminder,) = smtp.to("known@example.org")
    assert "already receives them" in smtp.text(reminder)
    assert "Confirm" in smtp.to("new@example.org")[0]["Subject"]
    assert "Confirm" in smtp.to("pending@example.org")[0]["Subject"]


def test_sign_ups_are_rate_limited_per_client_and_per_address(smtp, settings):
    settings.ALERTS_SIGNUPS_PER_CLIENT_HOUR = 4
    settings.ALERTS_SIGNUPS_PER_ADDRESS_DAY = 2
    client = Client(REMOTE_ADDR="203.0.113.7")
    answers = [subscribe(client, "same@example.org").status_code for _ in range(4)]
    assert answers == [302, 302, 302, 302]
    work()
    assert len(smtp.to("same@example.org")) == 2  # the address gets no more than its limit
    refused = subscribe(client, "other@example.org")
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert subscribe(Client(REMOTE_ADDR="198.51.100.9"), "other@example.org").status_code == 302


def test_the_bot_trap_answers_as_usual_and_does_nothing(smtp, settings):
    subscribe(Client(), "bot@example.org", website="http://spam.example")
    settings.ALERTS_MIN_FORM_SECONDS = 30
    assert subscribe(Client(), "fast@example.org").status_code == 302
    work()
    assert not Subscriber.objects.exists() and smtp.messages == []


def test_an_invalid_address_is_shown_with_its_error():
    response = subscribe(Client(), "not-an-address")
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert not Subscriber.objects.exists()


# ------------------------------------------------------------------------------ delivery


def test_publishing_mails_each_matching_subscriber_once_with_list_headers(smtp):
    summit = make_topic(name="Summit")
    active("all@example.org")
    active("speeches@example.org", everything=False, kinds="speech")
    topical = active("summit@example.org", everything=False)
    topical.topics.add(summit)
    Subscriber.objects.create(email="pending@example.org")
    contact = make_contact(name="Aigerim Press", email="press@cica.example")
    release = make_release(status=Status.DRAFT, publish_at=None, title="Summit opens")
    release.topics.add(summit)
    release.media_contacts.add(contact)
    assert smtp.messages == []
    release.status, release.publish_at = Status.PUBLISHED, timezone.now()
    release.save()
    assert smtp.messages == []  # the save only queued the work
    work()
    work()  # a second worker run sends nothing more
    assert sorted(m["To"] for m in smtp.messages) == ["all@example.org", "summit@example.org"]
    message = smtp.to("all@example.org")[0]
    assert message["Subject"] == "Summit opens"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<https://press\.example\.org/alerts/unsubscribe/\S+/>",
        message["List-Unsubscribe"].strip(),
    )
    assert message["Message-ID"].endswith("@press.example.org>") and message["Date"]
    assert message["Reply-To"] == "press@cica-portal.invalid"
    assert message["Content-Language"] == "en"
    assert message.get_content_type() == "multipart/alternative"
    text, html = smtp.text(message), smtp.html(message)
    assert "Aigerim Press" in text and release.get_absolute_url() in text
    assert "<img" not in html  # no remote images, no tracking pixels
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2
    release.title = "Summit opens (corrected)"
    release.save()
    work()
    assert len(smtp.messages) == 2  # an edit is no new announcement


def test_one_click_unsubscribe_works_at_once(smtp):
    active("leaving@example.org")
    make_release(publish_at=timezone.now())
    work()
    message = smtp.messages[0]
    url = message["List-Unsubscribe"].strip().strip("<>").removeprefix("https://press.example.org")
    client = Client(enforce_csrf_checks=True)  # a mail program sends no CSRF token
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and b"You are unsubscribed" in response.content
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    make_release(publish_at=timezone.now())
    work()
    assert len(smtp.messages) == 1


def test_preferences_change_through_the_mailed_link(smtp):
    topic = make_topic(name="Security")
    live = make_release(publish_at=timezone.now() - datetime.timedelta(days=5))
    live.topics.add(topic)
    subscriber = active("prefs@example.org")
    from alerts import mail, tokens

    path = mail.link("preferences", tokens.make(subscriber, tokens.MANAGE), "en")
    path = path.removeprefix("https://press.example.org")
    client = Client()
    assert b"Save my choices" in client.get(path).content
    response = client.post(
        path, {"language": "ru", "scope": "chosen", "topics": [topic.pk], "kinds": []}
    )
    assert response.status_code == 200 and b"Saved" in response.content
    subscriber.refresh_from_db()
    assert subscriber.language == "ru" and not subscriber.everything
    assert list(subscriber.topics.all()) == [topic]


def test_drafts_scheduled_and_withdrawn_releases_send_nothing(smtp, time_machine):
    active("watcher@example.org")
    make_release(status=Status.DRAFT, publish_at=None)
    make_release(status=Status.IN_REVIEW, publish_at=None)
    scheduled = make_release(publish_at=timezone.now() + datetime.timedelta(hours=3))
    make_release(status=Status.WITHDRAWN, publish_at=timezone.now())
    work()
    assert smtp.messages == []
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=2))
    work()
    assert smtp.messages == []
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=1, minutes=1))
    work()  # its time has come: sent without anyone saving it again
    (message,) = smtp.messages
    assert message["Subject"] == scheduled.title


def test_rescheduled_or_unscheduled_before_go_live_sends_nothing_at_the_old_time(
    smtp, time_machine
):
    active("watcher@example.org")
    start = timezone.now()
    moved = make_release(title="Moved", publish_at=start + datetime.timedelta(hours=1))
    pulled = make_release(title="Pulled", publish_at=start + datetime.timedelta(hours=1))
    moved.publish_at = start + datetime.timedelta(hours=5)
    moved.save()
    pulled.status = Status.DRAFT
    pulled.save()
    time_machine.move_to(start + datetime.timedelta(hours=2))
    work()
    assert smtp.messages == []
    time_machine.move_to(start + datetime.timedelta(hours=5, minutes=1))
    work()
    assert [m["Subject"] for m in smtp.messages] == ["Moved"]


def test_a_claimed_delivery_cannot_be_claimed_again():
    active("one@example.org")
    release = make_release(publish_at=timezone.now())
    mailing = Mailing.objects.create(release=release, occasion=Mailing.Occasion.PUBLISHED)
    row = Delivery.objects.create(mailing=mailing, subscriber=Subscriber.objects.get())
    first, second = delivery.claim([row.pk]), delivery.claim([row.pk])
    assert Delivery.objects.get(claim=first) == row
    assert not Delivery.objects.filter(claim=second).exists()


@pytest.mark.postgres  # SQLite lets one writer in at a time
def test_two_workers_racing_on_the_same_deliveries_send_each_once(smtp):
    for n in range(30):
        active(f"reader{n}@example.org")
    release = make_release(publish_at=timezone.now())
    mailing = Mailing.objects.create(release=release, occasion=Mailing.Occasion.PUBLISHED)
    Delivery.objects.bulk_create(
        [Delivery(mailing=mailing, subscriber=s) for s in Subscriber.objects.all()]
    )
    ids = list(Delivery.objects.values_list("pk", flat=True))
    barrier = threading.Barrier(2)

    def worker():
        from django.db import connection

        barrier.wait()
        try:
            delivery.send_claimed(delivery.claim(ids))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    received = sorted(m["To"] for m in smtp.messages)
    assert received == sorted(f"reader{n}@example.org" for n in range(30))
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 30


def test_a_mailing_is_made_once_even_if_the_go_live_task_runs_twice(smtp):
    active("once@example.org")
    release = make_release(publish_at=timezone.now())
    tasks.announce_release.call(release.pk, release.publish_at.isoformat())
    tasks.announce_release.call(release.pk, release.publish_at.isoformat())
    work()
    assert len(smtp.messages) == 1 and Mailing.objects.count() == 1


def test_temporary_failures_are_retried_and_permanent_ones_pause_the_address(
    smtp, time_machine, settings
):
    settings.ALERTS_PAUSE_AFTER_FAILURES = 2
    smtp.refuse["later@example.org"] = "450 4.2.1 Mailbox busy, try later"
    smtp.refuse["gone@example.org"] = "550 5.1.1 No such user"
    for address in ("later@example.org", "gone@example.org", "fine@example.org"):
        active(address)
    make_release(publish_at=timezone.now())
    work()
    assert [m["To"] for m in smtp.messages] == ["fine@example.org"]
    later = Delivery.objects.get(subscriber__email="later@example.org")
    assert later.status == Delivery.Status.QUEUED and "450" in later.last_error
    assert later.next_attempt_at > timezone.now()
    gone = Delivery.objects.get(subscriber__email="gone@example.org")
    assert gone.status == Delivery.Status.FAILED and "550" in gone.last_error
    del smtp.refuse["later@example.org"]
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=2))
    work()
    assert Delivery.objects.get(pk=later.pk).status == Delivery.Status.SENT
    make_release(publish_at=timezone.now())
    work()
    assert Subscriber.objects.get(email="gone@example.org").status == Subscriber.Status.PAUSED
    make_release(publish_at=timezone.now())
    work()
    assert not smtp.to("gone@example.org")  # paused: not even queued
    assert Delivery.objects.filter(subscriber__email="gone@example.org").count() == 2


def test_each_subscriber_gets_their_language_or_the_original_saying_so(smtp):
    from editorial.translations import translate

    from .workspace import make_user

    active("ru@example.org", language="ru")
    active("en@example.org", language="en")
    original = make_release(title="Ministers meet", status=Status.DRAFT, publish_at=None)
    russian = translate(original, "ru", make_user("editor", "translator"))
    russian.title = "Министры встречаются"
    original.status = Status.PUBLISHED
    original.publish_at = timezone.now()
    original.save()
    russian.status, russian.publish_at = Status.PUBLISHED, original.publish_at
    russian.save()
    lonely = make_release(title="Only in English", publish_at=timezone.now())
    work()
    to_ru = {m["Subject"]: m for m in smtp.to("ru@example.org")}
    assert set(to_ru) == {"Министры встречаются", "Only in English"}
    assert to_ru["Министры встречаются"]["Content-Language"] == "ru"
    assert "/ru/" in smtp.text(to_ru["Министры встречаются"])
    assert "English" in smtp.text(to_ru["Only in English"])  # says it is the English version
    assert {m["Subject"] for m in smtp.to("en@example.org")} == {"Ministers meet", lonely.title}


def test_a_correction_is_mailed_only_when_the_publisher_asks(smtp):
    active("desk@example.org")
    release = make_release(publish_at=timezone.now(), body="Ten delegations came.")
    work()
    assert len(smtp.messages) == 1
    publisher = client_for("publisher")
    response = post_form(publisher, release, body="Eleven delegations came.", change_note="Count.")
    assert response.status_code == 302
    work()
    assert len(smtp.messages) == 1
    release = refreshed(release)
    response = post_form(
        publisher,
        release,
        body="Twelve delegations came.",
        change_note="Corrected the number of delegations.",
        send_as_update="on",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    work()
    update = smtp.messages[-1]
    assert update["Subject"] == f"Update: {release.title}"
    assert "Corrected the number of delegations." in smtp.text(update)


def test_catch_up_queues_what_went_live_while_no_worker_ran(smtp):
    from django_tasks_db.models import DBTaskResult

    active("late@example.org")
    release = make_release(publish_at=timezone.now())
    DBTaskResult.objects.all().delete()  # the queue was lost
    call_command("queue_missing_alerts", verbosity=0)
    work()
    assert [m["Subject"] for m in smtp.messages] == [release.title]
    call_command("queue_missing_alerts", verbosity=0)
    work()
    assert len(smtp.messages) == 1


def test_importing_the_archive_mails_nobody(smtp):
    active("archive@example.org")
    make_release(publish_at=timezone.now() - datetime.timedelta(days=30))
    work()
    assert smtp.messages == []


def test_a_subscriber_whose_only_topic_is_deleted_gets_nothing_not_everything(smtp):
    from alerts.forms import ChoicesForm

    water = make_topic(name="Water")
    old = make_release(publish_at=timezone.now() - datetime.timedelta(days=30))
    old.topics.add(water)  # a public release names it: subscribers may choose it
    subscriber = active("water@example.org", everything=False)
    form = ChoicesForm({"language": "en", "scope": "chosen", "topics": [water.pk]})
    assert form.is_valid(), form.errors
    form.apply(subscriber)
    old.topics.clear()
    water.delete()  # no longer used: the press office removes it
    make_release(publish_at=timezone.now(), title="Unrelated news")
    work()
    assert smtp.to("water@example.org") == []


def test_a_title_with_a_line_break_is_mailed_on_one_line(smtp):
    active("reader@example.org")
    release = make_release(publish_at=timezone.now())
    Release.objects.filter(pk=release.pk).update(title="Summit opens\r\nBcc: victim@example.org")
    work()
    (message,) = smtp.to("reader@example.org")
    assert message["Subject"] == "Summit opens Bcc: victim@example.org"
    assert message["Bcc"] is None


def test_an_address_with_a_direction_control_in_its_domain_is_refused(smtp):
    response = subscribe(Client(), "reader@exa\u202emple.org")
    assert response.status_code == 400 and not Subscriber.objects.exists()  # the form again
    work()
    assert smtp.messages == []


# ---------------------------------------------------------------- embargoed advance copies


def test_advance_copies_carry_the_embargo_and_a_cancellation_follows_a_withdrawal(smtp):
    go_live = timezone.now() + datetime.timedelta(days=1)
    release = make_release(title="Summit communiqué", publish_at=go_live)
    publisher = client_for("publisher")
    from .workspace import make_user

    journalist = AccreditedJournalist.objects.create(
        name="Dana Reporter",
        outlet="Kazinform",
        email="dana@kazinform.example",
        accredited_by=make_user("publisher", "accreditor"),
        accredited_until=timezone.localdate() + datetime.timedelta(days=90),
    )
    response = publisher.post(
        "/admin/alerts/advancecopy/add/", {"release": release.pk, "journalists": [journalist.pk]}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    work()
    (copy,) = smtp.to("dana@kazinform.example")
    assert copy["Subject"].strip().startswith("EMBARGOED UNTIL ")
    assert "Astana" in copy["Subject"] and "UTC" in copy["Subject"]
    assert smtp.text(copy).startswith("EMBARGOED UNTIL ")
    preview = re.search(r"https://press\.example\.org(/preview/\S+?/)\s", smtp.text(copy))
    assert Client().get(preview.group(1)).status_code == 200
    sent = AdvanceCopy.objects.get()
    assert sent.sent_at and sent.preview_link.expires_at == go_live
    log = list(StateChange.for_item(release).values_list("action", flat=True))
    assert StateChange.Action.ADVANCE_COPY in log
    release = Release.objects.get(pk=release.pk)
    release.status, release.withdrawal_note = Status.WITHDRAWN, "Postponed."
    release.save()
    work()
    notice = smtp.to("dana@kazinform.example")[-1]
    assert notice["Subject"].strip().startswith("DO NOT PUBLISH")
    assert Client().get(preview.group(1)).status_code == 404
    assert StateChange.Action.EMBARGO_CANCELLED in StateChange.for_item(release).values_list(
        "action", flat=True
    )


def test_unscheduling_revokes_advance_copy_links_before_any_worker_runs(smtp):
    release = make_release(
        title="Summit communiqué", publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    from .workspace import make_user

    journalist = AccreditedJournalist.objects.create(
        name="Dana Reporter",
        outlet="Kazinform",
        email="dana@kazinform.example",
        accredited_by=make_user("publisher", "accreditor"),
        accredited_until=timezone.localdate() + datetime.timedelta(days=90),
    )
    client_for("publisher").post(
        "/admin/alerts/advancecopy/add/", {"release": release.pk, "journalists": [journalist.pk]}
    )
    work()
    address = AdvanceCopy.objects.get().preview_link.get_absolute_url()
    assert Client().get(address).status_code == 200
    release = Release.objects.get(pk=release.pk)
    release.status = Status.DRAFT  # off the schedule; the worker does not run
    release.save()
    assert Client().get(address).status_code == 404
    assert AdvanceCopy.objects.get().cancelled_at is None  # the notice waits for the worker


# ------------------------------------------------------------------------------ the admin


def test_the_admin_reports_deliveries_exports_and_erases_a_subscriber(smtp):
    smtp.refuse["bounce@example.org"] = "550 5.1.1 No such user"
    active("bounce@example.org")
    active("reader@example.org")
    make_release(publish_at=timezone.now())
    work()
    admin = client_for("publisher")
    mailing = Mailing.objects.get()
    page = admin.get(f"/admin/alerts/mailing/{mailing.pk}/change/").content.decode()
    assert "bounce@example.org" in page and "550" in page
    listing = admin.get("/admin/alerts/mailing/").content.decode()
    assert ">1<" in listing  # one sent, one failed
    del smtp.refuse["bounce@example.org"]
    admin.post("/admin/alerts/mailing/", {"action": "resend", "_selected_action": [mailing.pk]})
    work()
    assert smtp.to("bounce@example.org")
    subscriber = Subscriber.objects.get(email="reader@example.org")
    export = admin.post(
        "/admin/alerts/subscriber/",
        {"action": "export_data", "_selected_action": [subscriber.pk]},
    )
    assert export["Content-Type"] == "application/json"
    assert b"reader@example.org" in export.content and b'"mails"' in export.content
    admin.post(
        "/admin/alerts/subscriber/", {"action": "erase", "_selected_action": [subscriber.pk]}
    )
    assert not Subscriber.objects.filter(email="reader@example.org").exists()
    assert not Delivery.objects.filter(subscriber_id=subscriber.pk).exists()


def test_the_alerts_admin_lists_query_counts_do_not_grow(smtp):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = client_for("publisher")
    topic = make_topic(name="Energy")

    def counts():
        result = []
        for url in ("/admin/alerts/subscriber/", "/admin/alerts/mailing/"):
            with CaptureQueriesContext(connection) as captured:
                assert admin.get(url).status_code == 200
            result.append(len(captured))
        return result

    def add(n):
        for _ in range(n):
            subscriber = active(f"r{Subscriber.objects.count()}@example.org", everything=False)
            subscriber.topics.add(topic)
            release = make_release(publish_at=timezone.now())
            Mailing.objects.create(release=release, occasion=Mailing.Occasion.PUBLISHED)

    add(2)
    few = counts()
    add(8)
    assert counts() == few


def test_send_as_update_is_offered_for_live_releases_not_events():
    from .factories import make_event

    publisher = client_for("publisher")
    release, event = make_release(), make_event()
    page = publisher.get(f"/admin/releases/release/{release.pk}/change/").content.decode()
    assert 'name="send_as_update"' in page
    page = publisher.get(f"/admin/releases/event/{event.pk}/change/").content.decode()
    assert 'name="send_as_update"' not in page and 'name="change_note"' in page
    response = post_form(publisher, release, body="Changed.", change_note="", send_as_update="on")
    assert response.status_code == 200
    assert "needs a public change note" in response.content.decode()


def test_unconfirmed_addresses_and_old_sign_up_records_are_forgotten(smtp, time_machine):
    subscribe(Client(), "never@example.org")
    active("kept@example.org")
    time_machine.move_to(timezone.now() + datetime.timedelta(days=8))
    call_command("forget_unconfirmed", stdout=__import__("io").StringIO())
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["kept@example.org"]
    from alerts.models import SignupAttempt

    assert not SignupAttempt.objects.exists()
