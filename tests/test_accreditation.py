"""Media accreditation to events: a journalist applies on the event's page, the press office
decides in the admin, each decision is mailed in the applicant's language, the files stay
private and are erased with the request after the keeping time."""

import csv
import datetime
import io
import re
import time

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage

from alerts.forms import ISSUED_SALT
from alerts.models import AccreditationRequest, AccreditedJournalist
from tests.factories import make_event

pytestmark = pytest.mark.django_db(transaction=True)  # what is queued on commit, is queued


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ALERTS_MIN_FORM_SECONDS = 0
    return settings.MEDIA_ROOT


def jpeg(name="photo.jpg", size=(600, 800)) -> SimpleUploadedFile:
    out = io.BytesIO()
    exif = PILImage.Exif()
    exif[0x010F] = "SecretCam"  # the camera's maker: metadata that must not be kept
    PILImage.new("RGB", size, (40, 90, 150)).save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf() -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile("card.pdf", body, content_type="application/pdf")


@pytest.fixture
def summit():
    start = timezone.localdate() + datetime.timedelta(days=20)
    return make_event(
        title="CICA Ministerial Council",
        slug="ministerial-council",
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
        accreditation_deadline=timezone.now() + datetime.timedelta(days=10),
    )


def application(**changes) -> dict:
    data = {
        "name": "Aigerim Bekova",
        "outlet": "Kazinform",
        "role": "reporter",
        "country": "Kazakhstan",
        "email": "A.Bekova@Kazinform.example",
        "phone": "+7 701 000 00 00",
        "press_card": pdf(),
        "photo": jpeg(),
        "consent": "on",
        "days": [(timezone.localdate() + datetime.timedelta(days=20)).isoformat()],  # its first
        "website": "",
        "issued": signing.dumps(time.time() - 30, salt=ISSUED_SALT),
    }
    data.update(changes)
    return data


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


def test_a_journalist_applies_from_the_event_page(client, summit):
    page = client.get(summit.get_absolute_url()).content.decode()
    assert "/events/ministerial-council/accreditation/" in page
    form = client.get("/events/ministerial-council/accreditation/")
    assert form.status_code == 200 and form["Cache-Control"].startswith("private")
    text = form.content.decode()
    assert 'enctype="multipart/form-data"' in text and "consent" in text
    days = [
        summit.start_date.isoformat(),
        (summit.start_date + datetime.timedelta(days=1)).isoformat(),
    ]
    answer = client.post("/events/ministerial-council/accreditation/", application(days=days[:1]))
    assert answer.status_code == 302
    assert answer["Location"] == "/events/ministerial-council/accreditation/received/"
    request = AccreditationRequest.objects.get()
    assert request.email == "a.bekova@kazinform.example" and request.days == days[:1]
    assert request.status == AccreditationRequest.Status.PENDING
    assert request.forget_after == summit.end_date + datetime.timedelta(days=30)
    assert request.press_card.name.startswith("accreditation/")
    photo = PILImage.open(request.photo.open("rb"))
    assert 0x010F not in photo.getexif()  # cleaned of its metadata
    run_worker()
    assert [m.to for m in mail.outbox] == [["a.bekova@kazinform.example"]]
    assert "received your request" in mail.outbox[0].body


def test_a_russian_application_is_answered_in_russian(client, summit):
    answer = client.post("/ru/events/ministerial-council/accreditation/", application())
    assert answer.status_code == 302
    assert AccreditationRequest.objects.get().language == "ru"
    run_worker()
    assert mail.outbox[0].extra_headers["Content-Language"] == "ru"
    assert "аккредитац" in mail.outbox[0].subject.lower()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"press_card": SimpleUploadedFile("card.txt", b"just text", "text/plain")}, "press_card"),
        ({"photo": SimpleUploadedFile("p.svg", b"<svg/>", "image/svg+xml")}, "photo"),
        ({"photo": pdf()}, "photo"),
        ({"consent": ""}, "consent"),
        ({"email": "not an address"}, "email"),
        ({"days": ["1999-01-01"]}, "days"),
    ],
)
def test_a_bad_application_is_refused_with_the_field_marked(client, summit, changes, field):
    answer = client.post("/events/ministerial-council/accreditation/", application(**changes))
    assert answer.status_code == 400
    block = r'class="(?:field|choices)[^"]*has-error[^"]*">(?:(?!</div>|</fieldset>).)*'
    marked = re.search(block + f'name="{field}"', answer.content.decode(), re.S)
    assert marked, f"{field} is not marked"
    assert not AccreditationRequest.objects.exists()


def test_after_the_deadline_or_without_one_nobody_applies(client, summit):
    summit.accreditation_deadline = timezone.now() - datetime.timedelta(minutes=1)
    summit.save()
    assert "accreditation/" not in client.get(summit.get_absolute_url()).content.decode()
    closed = client.get("/events/ministerial-council/accreditation/")
    assert closed.status_code == 200 and "closed" in closed.content.decode()
    client.post("/events/ministerial-council/accreditation/", application())
    assert not AccreditationRequest.objects.exists()
    summit.accreditation_deadline = None
    summit.save()
    assert client.get("/events/ministerial-council/accreditation/").status_code == 404


def test_bots_are_answered_alike_and_ignored_and_a_flood_is_limited(client, summit, settings):
    trapped = client.post(
        "/events/ministerial-council/accreditation/", application(website="http://spam")
    )
    assert trapped.status_code == 302 and not AccreditationRequest.objects.exists()
    settings.ACCREDITATION_REQUESTS_PER_CLIENT_HOUR = 2
    for _ in range(2):
        client.post("/events/ministerial-council/accreditation/", application())
    flood = client.post("/events/ministerial-council/accreditation/", application())
    assert flood.status_code == 429 and flood["Retry-After"] == "3600"


@pytest.fixture
def applied(client, summit):
    client.post("/events/ministerial-council/accreditation/", application())
    client.post(
        "/events/ministerial-council/accreditation/",
        application(name="Ivan Petrov", email="ivan@ria.example", outlet="RIA"),
    )
    run_worker()
    mail.outbox.clear()
    return list(AccreditationRequest.objects.order_by("name"))


def test_the_files_are_the_press_office_s_only(client, applied):
    from django.contrib.auth.models import Permission

    from alerts.roles import grant
    from releases.roles import ensure_groups

    ensure_groups()  # the groups the migrations make (this test's database was emptied)
    grant(Group, Permission)
    first = applied[0]
    path = f"/admin/alerts/accreditationrequest/{first.pk}/file/photo/"
    assert client.get(path).status_code == 302  # to the sign-in page
    editor = User.objects.create_user("editor", password="x" * 12, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    assert client.get(path).status_code in (403, 404)
    assert client.get("/admin/alerts/accreditationrequest/").status_code == 403
    publisher = User.objects.create_user("publisher", password="x" * 12, is_staff=True)
    publisher.groups.add(Group.objects.get(name="Publisher"))
    client.force_login(publisher)
    answer = client.get(path)
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    assert b"".join(answer.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
    assert client.get(f"/admin/alerts/accreditationrequest/{first.pk}/file/../").status_code == 404


def test_each_decision_is_mailed_and_a_refusal_says_why(admin_client, applied):
    request = applied[0]
    change = f"/admin/alerts/accreditationrequest/{request.pk}/change/"
    page = admin_client.get(change)
    assert page.status_code == 200 and request.name in page.content.decode()
    refused = admin_client.post(change, {"status": "refused", "reason": ""})
    assert refused.status_code == 200 and "Say why" in refused.content.decode()
    admin_client.post(change, {"status": "refused", "reason": "The outlet is not registered."})
    request.refresh_from_db()
    assert request.status == "refused" and request.decided_by.username == "admin"
    run_worker()
    assert "not granted" in mail.outbox[-1].body
    assert "The outlet is not registered." in mail.outbox[-1].body


def test_approving_accrediting_and_the_exports(admin_client, applied, summit):
    url = "/admin/alerts/accreditationrequest/"
    first, second = applied
    admin_client.post(url, {"action": "approve", "_selected_action": [first.pk]})
    admin_client.post(url, {"action": "approve_and_accredit", "_selected_action": [second.pk]})
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "a.bekova@kazinform.example",
        "ivan@ria.example",
    ]
    assert all("approved" in m.body for m in mail.outbox)
    journalist = AccreditedJournalist.objects.get()
    assert journalist.email == "ivan@ria.example"
    assert journalist.accredited_until == summit.end_date + datetime.timedelta(days=30)
    exported = admin_client.post(
        url, {"action": "export_csv", "_selected_action": [first.pk, second.pk]}
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["event", "name", "outlet"] and len(rows) == 3
    sheet = admin_client.post(
        url, {"action": "badge_sheet", "_selected_action": [first.pk, second.pk]}
    )
    text = sheet.content.decode()
    assert sheet.status_code == 200 and "Aigerim Bekova" in text and "Ivan Petrov" in text
    assert text.count('class="badge"') == 2


def test_requests_and_their_files_are_erased_after_the_keeping_time(applied, media, time_machine):
    files = [media / r.press_card.name for r in applied] + [media / r.photo.name for r in applied]
    assert all(path.exists() for path in files)
    call_command("forget_accreditations", stdout=io.StringIO())
    assert AccreditationRequest.objects.count() == 2  # not yet
    time_machine.move_to(applied[0].forget_after + datetime.timedelta(days=1))
    out = io.StringIO()
    call_command("forget_accreditations", stdout=out)
    assert "2 accreditation request(s) erased" in out.getvalue()
    assert not AccreditationRequest.objects.exists()
    assert not any(path.exists() for path in files)
