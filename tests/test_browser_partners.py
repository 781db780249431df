"""The press office's partner screens in Chromium: a publisher registers a consumer's webhook
endpoint (events by checkbox), hands over its secret, sends a test message that the receiver
on loopback verifies, then makes a partner's API key (shown once) that raises the partner's
rate. axe-core on each screen, in English and in Russian; screenshots."""

import json
import urllib.request

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from standardwebhooks.webhooks import Webhook

from core.models import ApiKey
from webhooks.models import Endpoint

from .test_alerts import work
from .test_browser import (  # noqa: F401 (fixtures)
    BROWSER_TESTS,
    SHOTS,
    axe_violations,
    browser,
    page,
    site,
)
from .webhook_receiver import Receiver

pytestmark = BROWSER_TESTS


def sign_in(page, site, name):  # noqa: F811
    from core.roles import grant as grant_core
    from releases.roles import ensure_groups
    from webhooks.roles import grant

    ensure_groups()  # browser tests flush the database, the migration's groups with it
    grant(Group, Permission)
    grant_core(Group, Permission)
    user = get_user_model().objects.create_user(
        name, password="a-long-unique-passphrase", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Publisher"))
    page.goto(site + "/admin/login/?next=/admin/")
    page.fill("#id_username", name)
    page.fill("#id_password", "a-long-unique-passphrase")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_publisher_registers_a_webhook_and_makes_a_partner_key(page, site, settings):  # noqa: F811
    settings.PUBLIC_BASE_URL = site
    settings.API_ANON_RATE = "2/minute"
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the receiver is on loopback
    receiver = Receiver()
    try:
        sign_in(page, site, "dana")
        page.goto(site + "/admin/webhooks/endpoint/add/")
        assert axe_violations(page, "#content-main") == []
        page.fill("#id_name", "Kazinform newsroom")
        page.fill("#id_url", receiver.url)
        page.fill("#id_contact", "desk@kazinform.example")
        page.get_by_label("A live event changes (dates, place, text)").uncheck()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "admin-webhook-add.png"), full_page=True)
        with page.expect_navigation():
            page.get_by_role("button", name="Save", exact=True).click()
        assert page.locator(".errorlist").count() == 0, page.locator("#content-main").inner_text()
        endpoint = Endpoint.objects.get()
        assert "event.changed" not in endpoint.events and len(endpoint.events) == 5
        assert endpoint.secret in page.locator(".messagelist").inner_text()
        page.locator(f"input[name=_selected_action][value='{endpoint.pk}']").check()
        page.locator("select[name=action]").select_option("send_test")
        with page.expect_navigation():
            page.click("button[name=index]")
        work()
        hook = Webhook(endpoint.secret)
        (ping,) = [p for h, b in receiver.received if (p := hook.verify(b, h))["type"] == "ping"]
        assert ping["data"]["endpoint"] == "Kazinform newsroom"
        assert axe_violations(page, "#content-main") == []
        page.screenshot(path=str(SHOTS / "admin-webhook-list.png"), full_page=True)

        page.goto(site + "/admin/core/apikey/add/")
        page.fill("#id_name", "Kazinform")
        page.fill("#id_rate", "100/minute")
        assert axe_violations(page, "#content-main") == []
        with page.expect_navigation():
            page.get_by_role("button", name="Save", exact=True).click()
        shown = page.locator(".messagelist").inner_text()
        key = next(word for word in shown.split() if word.startswith("cica_"))
        codes = []
        for _ in range(4):
            request = urllib.request.Request(site + "/api/v1/topics/", headers={"X-API-Key": key})
            with urllib.request.urlopen(request) as answer:
                codes.append((answer.status, answer.headers["X-RateLimit-Limit"]))
                json.load(answer)
        assert codes == [(200, "100")] * 4  # the public's rate is 2 a minute
        page.goto(site + f"/admin/core/apikey/{ApiKey.objects.get().pk}/change/")
        assert key not in page.content()
        assert "4" in page.locator(".field-usage_table").inner_text()
        assert axe_violations(page, "#content-main") == []
        page.screenshot(path=str(SHOTS / "admin-api-key.png"), full_page=True)

        # The same screens in Russian.
        from editorial.models import EditorPreference

        EditorPreference.objects.create(user=get_user_model().objects.get(), language="ru")
        page.goto(site + f"/admin/webhooks/endpoint/{endpoint.pk}/change/")
        assert page.evaluate("document.documentElement.lang") == "ru"
        assert "секрет подписи" in page.locator("#content-main").inner_text().lower()
        assert axe_violations(page, "#content-main") == []
        page.screenshot(path=str(SHOTS / "admin-webhook-change-ru.png"), full_page=True)
        page.goto(site + "/admin/core/apikey/")
        assert "запросов сегодня" in page.locator("#content-main").inner_text().lower()
        assert axe_violations(page, "#content-main") == []
        assert page.console_errors == []
    finally:
        receiver.stop()
