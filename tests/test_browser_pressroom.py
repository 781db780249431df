"""The press room in Chromium: a journalist applies for media accreditation with a press card
and a photo, the press office approves it in the admin and the decision reaches the applicant
through the SMTP server on loopback; a reader chooses a weekly digest. axe-core and the Nu
checker on each page; screenshots at phone width."""

import datetime
import io
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image as PILImage

from alerts.models import AccreditationRequest, Subscriber
from tests.factories import make_event

from .test_alerts import smtp, work  # noqa: F401 (fixtures)
from .test_browser import (  # noqa: F401 (fixtures)
    BROWSER_TESTS,
    SHOTS,
    axe_violations,
    browser,
    check_page,
    nu_errors,
    page,
    site,
)

pytestmark = BROWSER_TESTS


def picture(path, size=(600, 800)):
    out = io.BytesIO()
    PILImage.new("RGB", size, (40, 90, 150)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def test_a_journalist_applies_for_accreditation_and_is_approved(
    page,  # noqa: F811 (fixtures)
    site,  # noqa: F811
    smtp,  # noqa: F811
    settings,
    tmp_path,
):
    settings.PUBLIC_BASE_URL = site
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ALERTS_MIN_FORM_SECONDS = 0
    start = timezone.localdate() + datetime.timedelta(days=20)
    event = make_event(
        title="CICA Ministerial Council",
        slug="ministerial-council",
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
        accreditation_deadline=timezone.now() + datetime.timedelta(days=10),
    )
    documents = {}
    page.goto(site + event.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("link", name="Apply for media accreditation").click()
    documents["accreditation-form"] = page.content()
    check_page(page, "accreditation-form")

    page.get_by_label("Full name, as on your passport").fill("Aigerim Bekova")
    page.get_by_label("Media outlet").fill("Kazinform")
    page.get_by_label("Your role").select_option("photographer")
    page.get_by_label("Country of the outlet").fill("Kazakhstan")
    page.get_by_label("E-mail address").fill("aigerim@kazinform.example")
    page.get_by_label("Phone, with the country code").fill("+7 701 000 00 00")
    page.get_by_label("Press card").set_input_files(picture(tmp_path / "card.jpg", (800, 500)))
    page.get_by_label("Photo for the badge").set_input_files(picture(tmp_path / "me.jpg"))
    page.locator("input[name=days]").first.check()
    page.get_by_label(re.compile("I agree that the CICA press office keeps")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send my request").click()
    assert page.locator("h1").inner_text() == "Request received"
    documents["accreditation-received"] = page.content()
    check_page(page, "accreditation-received")
    request = AccreditationRequest.objects.get()
    assert request.role == "photographer" and request.days == [start.isoformat()]
    page.wait_for_load_state("networkidle")
    work()
    assert "received your request" in smtp.text(smtp.to("aigerim@kazinform.example")[0])

    # The press office decides.
    get_user_model().objects.create_user("dana", password="a-long-unique-passphrase", is_staff=True)
    from releases.roles import ensure_groups

    ensure_groups()  # browser tests flush the database, the migration's groups with it
    from django.contrib.auth.models import Permission

    from alerts.roles import grant

    grant(Group, Permission)
    get_user_model().objects.get(username="dana").groups.add(Group.objects.get(name="Publisher"))
    page.goto(site + "/admin/login/?next=/admin/alerts/accreditationrequest/")
    page.fill("#id_username", "dana")
    page.fill("#id_password", "a-long-unique-passphrase")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with page.expect_navigation():
        page.get_by_role("link", name="Aigerim Bekova").click()
    photo = page.locator("img.badge-photo")
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 600  # served to staff
    assert axe_violations(page, "#content-main") == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-accreditation-request.png"), full_page=True)
    page.locator("#id_status").select_option("approved")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by.username == "dana"
    page.wait_for_load_state("networkidle")
    work()
    approved = smtp.to("aigerim@kazinform.example")[-1]
    assert "approved" in smtp.text(approved)
    assert page.console_errors == []
    assert nu_errors(documents) == []


def test_a_reader_chooses_a_weekly_digest(
    page,  # noqa: F811 (fixtures)
    site,  # noqa: F811
    smtp,  # noqa: F811
    settings,
):
    settings.PUBLIC_BASE_URL = site
    settings.ALERTS_MIN_FORM_SECONDS = 0
    page.goto(site + "/alerts/")
    page.get_by_label("Your e-mail address").fill("weekly@example.org")
    page.get_by_label("One digest a week").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Subscribe").click()
    page.wait_for_load_state("networkidle")
    work()
    (message,) = smtp.to("weekly@example.org")
    link = re.search(rf"{re.escape(site)}/alerts/confirm/\S+?/", smtp.text(message)).group(0)
    page.goto(link)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and subscribe").click()
    assert Subscriber.objects.get().frequency == "weekly"
    with page.expect_navigation():
        page.get_by_role("link", name="Change what you receive").click()
    assert page.get_by_label("One digest a week").is_checked()
    documents = {"alerts-digest-preferences": page.content()}
    check_page(page, "alerts-digest-preferences")
    assert nu_errors(documents) == []
