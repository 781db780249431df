"""A journalist in Chromium: subscribes, opens the confirmation link from the mail the SMTP
server on loopback received, changes preferences, unsubscribes. axe-core and the Nu checker
on each page; screenshots at phone width."""

import re

from alerts.models import Subscriber

from .test_alerts import smtp, work  # noqa: F401 (fixtures)
from .test_browser import BROWSER_TESTS, browser, check_page, nu_errors, page, site  # noqa: F401

pytestmark = BROWSER_TESTS


def test_a_journalist_subscribes_confirms_changes_preferences_and_unsubscribes(
    page,  # noqa: F811 (fixtures)
    site,  # noqa: F811
    smtp,  # noqa: F811
    settings,
):
    settings.PUBLIC_BASE_URL = site
    documents = {}
    response = page.goto(site + "/alerts/")
    documents["alerts-subscribe"] = response.text()
    check_page(page, "alerts-subscribe")
    page.get_by_label("Your e-mail address").fill("dana@kazinform.example")
    page.get_by_label("Only what I choose below").check()
    page.get_by_label("Speech").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Subscribe").click()
    assert page.locator("h1").inner_text() == "Check your inbox"
    documents["alerts-sent"] = page.content()
    check_page(page, "alerts-sent")

    page.wait_for_load_state("networkidle")
    work()  # the worker sends the confirmation
    (message,) = smtp.to("dana@kazinform.example")
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(rf"{re.escape(site)}/alerts/confirm/\S+?/", text).group(0)
    response = page.goto(link)
    documents["alerts-confirm"] = response.text()
    check_page(page, "alerts-confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and subscribe").click()
    assert page.locator("h1").inner_text() == "You are subscribed"
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.ACTIVE and subscriber.kind_list == ["speech"]

    with page.expect_navigation():
        page.get_by_role("link", name="Change what you receive").click()
    documents["alerts-preferences"] = page.content()
    check_page(page, "alerts-preferences")
    page.get_by_label("Русский").check()
    page.get_by_label("Every release").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save my choices").click()
    assert "Saved" in page.locator("[role=status]").inner_text()
    subscriber.refresh_from_db()
    assert subscriber.language == "ru" and subscriber.everything

    with page.expect_navigation():
        page.get_by_role("link", name="Unsubscribe from every alert").click()
    check_page(page, "alerts-unsubscribe")
    with page.expect_navigation():
        page.get_by_role("button", name="Unsubscribe").click()
    assert page.locator("h1").inner_text() == "You are unsubscribed"
    documents["alerts-unsubscribed"] = page.content()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    documents["alerts-ru"] = page.goto(site + "/ru/alerts/").text()
    assert "Подписаться" in documents["alerts-ru"]
    assert nu_errors(documents) == []
