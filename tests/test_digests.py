"""Digests: daily or weekly, one mail listing the period's matching releases in the reader's
language, sent by the worker at the set Astana time, never twice, nothing when there is nothing."""

import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from alerts import digests
from alerts.models import Digest, DigestDelivery, Subscriber
from editorial.models import Language, Status
from tests.factories import make_release

pytestmark = pytest.mark.django_db(transaction=True)

ASTANA = ZoneInfo("Asia/Almaty")
# A Wednesday morning in Astana; digests go out at 18:00, the weekly one on Fridays.
WEDNESDAY = datetime.datetime(2026, 12, 9, 10, 0, tzinfo=ASTANA)


def work():
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


def reader(email, frequency, language="en", **fields) -> Subscriber:
    return Subscriber.objects.create(
        email=email, frequency=frequency, language=language, status=Subscriber.Status.ACTIVE,
        **fields,
    )  # fmt: skip


def test_the_due_and_next_moments_are_at_the_set_astana_hour():
    last, following = digests.due_moments("daily", WEDNESDAY)
    assert last == datetime.datetime(2026, 12, 8, 18, tzinfo=ASTANA)
    assert following == datetime.datetime(2026, 12, 9, 18, tzinfo=ASTANA)
    last, following = digests.due_moments("weekly", WEDNESDAY)
    assert last == datetime.datetime(2026, 12, 4, 18, tzinfo=ASTANA)  # last Friday
    assert following == datetime.datetime(2026, 12, 11, 18, tzinfo=ASTANA)


def test_digest_readers_get_no_mail_per_release(time_machine):
    time_machine.move_to(WEDNESDAY)
    reader("daily@example.org", "daily")
    reader("now@example.org", "immediate")
    make_release(title="Ministers meet", publish_at=WEDNESDAY - datetime.timedelta(minutes=5))
    work()
    assert [m.to for m in mail.outbox] == [["now@example.org"]]


def test_one_mail_per_reader_with_their_releases_in_their_language_never_twice(time_machine):
    time_machine.move_to(WEDNESDAY + datetime.timedelta(hours=9))  # Wednesday 19:00
    everything = reader("all@example.org", "daily")
    statements = reader("statements@example.org", "daily", language="ru", everything=False,
                        kinds="statement")  # fmt: skip
    reader("weekly@example.org", "weekly")
    reader("quiet@example.org", "daily", everything=False, kinds="speech")
    during = datetime.datetime(2026, 12, 9, 12, tzinfo=ASTANA)
    first = make_release(title="Ministers meet in Astana", publish_at=during)
    make_release(
        title="Министры встретились в Астане", language=Language.RU, translation_of=first,
        translation_group=first.translation_group, publish_at=during,
    )  # fmt: skip
    statement = make_release(title="Statement on the summit", kind="statement", publish_at=during)
    make_release(title="Before the period", publish_at=during - datetime.timedelta(days=2))
    make_release(title="A draft", status=Status.DRAFT, publish_at=during)
    mail.outbox.clear()
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "Queued the daily digest until 2026-12-09 18:00" in out.getvalue()
    work()
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"all@example.org", "statements@example.org"}  # quiet: nothing matched
    assert "Ministers meet in Astana" in sent["all@example.org"].body
    assert "Statement on the summit" in sent["all@example.org"].body
    assert "Before the period" not in sent["all@example.org"].body
    assert "A draft" not in sent["all@example.org"].body
    russian = sent["statements@example.org"]
    assert russian.extra_headers["Content-Language"] == "ru"
    assert statement.title in russian.body and "Министры" not in russian.body
    assert re.search(r"List-Unsubscribe", str(russian.message()))
    digest = Digest.objects.get(
        frequency="daily", period_end__lt=WEDNESDAY + datetime.timedelta(hours=9)
    )
    assert digest.sent == 2
    assert DigestDelivery.objects.filter(subscriber=everything).count() == 1
    # Again: the command queues nothing new for that period, and a re-run of the task sends
    # nobody a second mail.
    mail.outbox.clear()
    call_command("send_digests", stdout=StringIO())
    digests.send(digest.pk)
    work()
    assert mail.outbox == []
    assert statements.pk in {d.subscriber_id for d in digest.deliveries.all()}


def test_the_next_digest_waits_for_its_time_and_an_empty_one_sends_nothing(time_machine):
    time_machine.move_to(WEDNESDAY)
    reader("daily@example.org", "daily")
    call_command("send_digests", stdout=StringIO())
    work()
    assert mail.outbox == []  # yesterday's period held nothing
    make_release(
        title="Published this afternoon", publish_at=WEDNESDAY + datetime.timedelta(hours=4)
    )
    time_machine.move_to(WEDNESDAY + datetime.timedelta(hours=7))  # 17:00: not yet
    work()
    assert mail.outbox == []
    time_machine.move_to(WEDNESDAY + datetime.timedelta(hours=8, minutes=1))  # 18:01
    work()
    assert [m.to for m in mail.outbox] == [["daily@example.org"]]
    assert "Published this afternoon" in mail.outbox[0].body


def test_readers_choose_how_often_on_the_form(client, settings):
    settings.ALERTS_MIN_FORM_SECONDS = 0
    page = client.get("/alerts/").content.decode()
    assert 'name="frequency"' in page and "One digest a week" in page
    issued = re.search(r'name="issued" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/alerts/",
        {"email": "w@example.org", "language": "en", "scope": "all", "frequency": "weekly",
         "issued": issued},
    )  # fmt: skip
    assert answer.status_code == 302
    assert Subscriber.objects.get().frequency == "weekly"
