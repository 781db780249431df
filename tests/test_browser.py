"""Browser tests: Playwright driving Debian's Chromium through every page type, with axe-core.

They run whenever /usr/bin/chromium exists (`.ci/run` installs it); axe-core comes from npm
(package.json), which `make test` installs. A phone-width screenshot of each page type is kept
in test-artifacts/screenshots/.
"""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SHOTS = ROOT / "test-artifacts" / "screenshots"
# The screen-by-screen pictures are records, not checks (the width checks run either way):
# CI takes them on one leg only (TEST_SCREENSHOTS=false on the others).
TAKE_SCREENSHOTS = os.environ.get("TEST_SCREENSHOTS", "true").lower() not in ("0", "false", "no")

# Every browser test module's marks: `make test` runs them where Debian's Chromium is installed.
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed"),
]
pytestmark = BROWSER_TESTS


@pytest.fixture(scope="module")
def browser():
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm install` (make test does it)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django must allow ORM calls here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server, transactional_db):
    from django.contrib.contenttypes.models import ContentType

    # The database is flushed between browser tests; content types come back with new ids.
    ContentType.objects.clear_cache()
    seeds = ROOT / "fixtures" / "seeds"
    out = StringIO()
    try:
        call_command(
            "import_releases",
            str(seeds),
            "--root",
            str(seeds),
            "--status",
            "published",
            stdout=out,
            stderr=out,
        )
    except SystemExit:
        pytest.fail(f"the seeds did not import:\n{out.getvalue()}")
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    yield page
    context.close()


def check_page(page, name: str, *, document_status: int = 200) -> None:
    """No console errors, no axe-core violations, and a phone-width screenshot kept."""
    if document_status == 404:  # the browser logs the page's own 404; nothing else may fail
        own = "Failed to load resource: the server responded with a status of 404 (Not Found)"
        page.console_errors.remove(own)
    # Through DevTools, not a <script> tag: the page's strict CSP stays on, so its own violations
    # still show up as console errors below.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]
    assert violations == [], f"{name}: {violations}"
    assert page.console_errors == [], f"{name}: {page.console_errors}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 320, "height": 800})
    if TAKE_SCREENSHOTS:
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{name}: the page is {width}px wide on a 320px phone"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_every_page_type_is_accessible_and_error_free(page, site):
    from releases.models import Event, Release

    release = Release.objects.get(source_file__startswith="004_")
    event = Event.objects.exclude(start_date=None).filter(releases=release).first()
    pages = {
        "home": "/",
        "release-list": "/press-releases/",
        "release-detail": release.get_absolute_url(),
        "event-list": "/events/",
        "event-detail": event.get_absolute_url(),
        "people": "/people/",
        "person": "/people/kairat-sarybay/",
        "organisation": "/organisations/cica/",
        "media-contacts": "/media-contacts/",
        "search": "/search/?q=conference",
        "past-events": "/events/past/",
        "topic": "/topics/" + release.topics.first().slug + "/" if release.topics.exists() else "/",
        "alerts": "/alerts/",
        "ru-search": "/ru/search/?q=СВМДА",
        "not-found": "/press-releases/no-such-release/",
    }
    documents = {}
    for name, path in pages.items():
        status = 404 if name == "not-found" else 200
        response = page.goto(site + path)
        assert response.status == status, name
        documents[name] = response.text()
        check_page(page, name, document_status=status)
    documents["ru-home"] = page.goto(site + "/ru/").text()
    page.goto(site + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info")
    # The page around Swagger UI is ours; Swagger UI's own markup is the sidecar's.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run({exclude: [['#swagger-ui']]}, {resultTypes: ['violations']})"
    )
    assert [v["id"] for v in result["violations"]] == [], "api-docs"
    documents["api-docs"] = page.goto(site + "/api/docs/").text()
    assert nu_errors(documents) == []


def nu_errors(documents: dict[str, str]) -> list[str]:
    """What the Nu HTML checker (vnu-jar from npm, on Debian's Java) finds wrong in each page."""
    import json
    import shutil
    import subprocess
    import tempfile

    if not VNU.exists() or not shutil.which("java"):
        pytest.fail(
            "the Nu HTML checker needs vnu-jar (npm install) and Java (default-jre-headless)"
        )
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for name, html in documents.items():
            path = Path(folder) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
        result = subprocess.run(
            ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
            capture_output=True,
            text=True,
        )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [
        f"{Path(m.get('url', '')).stem}: {m.get('message')} ({m.get('extract', '')!r})"
        for m in messages
    ]


def test_a_visitor_filters_then_searches_with_the_keyboard_and_mouse(page, site):
    page.goto(site + "/press-releases/")
    page.fill("#id_year", "2023")
    with page.expect_navigation():
        page.click("fieldset button[type=submit]")
    assert "year=2023" in page.url
    titles = page.locator("main .item-title").all_inner_texts()
    assert titles == [
        "CICA Secretary General takes part in international conference on Eurasian security in Minsk"
    ]
    page.fill("#site-search-q", "Volunteer")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=Volunteer" in page.url
    assert page.locator("main .item-title").count() == 1
    check_page(page, "release-list-filtered")


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, site):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"


def test_api_docs_and_admin_login_work_under_the_content_security_policy(page, site):
    page.goto(site + "/api/docs/")
    page.wait_for_selector(".opblock-tag", timeout=15000)
    assert page.locator(".opblock").count() >= 6
    page.goto(site + "/admin/login/")
    assert page.locator("#id_username").count() == 1
    assert page.console_errors == []


def field(page, selector: str):
    """A change-form field, its tab shown first (static/js/form-tabs.js) as an editor would."""
    page.wait_for_load_state("load")  # the tabs are made once the page's scripts have run
    found = page.locator(selector)
    tab = found.locator("xpath=ancestor::*[@role='tabpanel']")
    if tab.count():
        page.click("#" + tab.get_attribute("aria-labelledby"))
    return found


def axe_violations(page, selector: str) -> list:
    """axe-core on our own parts of an admin page (Django admin's markup is Django's)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (sel) => await axe.run({include: [[sel]]}, {resultTypes: ['violations']})",
        selector,
    )
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def test_an_editor_signs_in_previews_markdown_and_shares_an_embargoed_release(page, site):
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from editorial.models import Status
    from releases.models import Release

    user = get_user_model().objects.create_user(
        "aigerim", password="a-long-unique-passphrase", is_staff=True
    )
    # Browser tests flush the database between tests, the migration's groups with it.
    from releases.roles import ensure_groups

    ensure_groups()
    user.groups.add(Group.objects.get(name="Publisher"))
    release = Release.objects.get(source_file__startswith="004_")
    release.status = Status.PUBLISHED
    release.publish_at = timezone.now() + datetime.timedelta(days=2)
    release.save()

    page.goto(site + "/admin/login/?next=/admin/")
    page.fill("#id_username", "aigerim")
    page.fill("#id_password", "a-long-unique-passphrase")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#scheduled-heading").count() == 1
    assert release.title[:30] in page.locator(".editorial-dashboard").inner_text()
    assert axe_violations(page, ".editorial-dashboard") == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-dashboard.png"), full_page=True)

    page.goto(site + f"/admin/releases/release/{release.pk}/change/")
    field(page, "#id_body").fill("The **ministers** met.\n\n<script>window.pwned = 1</script>")
    page.wait_for_selector("#id_body_preview strong:text('ministers')")
    assert page.evaluate("window.pwned") is None
    assert page.locator("#id_body_preview script").count() == 0

    page.fill("#id_label", "Kazinform newsroom")
    with page.expect_navigation():
        page.click("text=Make a preview link")
    assert axe_violations(page, ".editorial-panels") == []
    page.screenshot(path=str(SHOTS / "admin-release-change.png"), full_page=True)
    assert page.console_errors == []
    link = release.preview_links.get()

    page.context.clear_cookies()  # a journalist, not signed in
    page.goto(site + link.get_absolute_url())
    assert "Embargoed until" in page.locator(".preview-banner").inner_text()
    check_page(page, "preview-link")


def test_a_visitor_switches_language_with_and_without_a_translation(page, site):
    from releases.models import Release

    original = Release.objects.get(source_file__startswith="004_")
    Release.objects.create(
        title="Генеральный секретарь СВМДА обсудил сотрудничество с координаторами ООН",
        slug="gensek-svmda-koordinatory-oon",
        language="ru",
        status=original.status,
        publish_at=original.publish_at,
        date=original.date,
        body="Текст на русском языке.",
        translation_group=original.translation_group,
        translation_of=original,
    )
    english_only = Release.objects.get(source_file__startswith="001_")

    page.goto(site + original.get_absolute_url())
    with page.expect_navigation():
        page.click("nav.languages a[hreflang=ru]")
    assert page.url.endswith("/ru/press-releases/gensek-svmda-koordinatory-oon/")
    assert page.evaluate("document.documentElement.lang") == "ru"
    assert page.locator("h1").inner_text().startswith("Генеральный секретарь")
    check_page(page, "release-detail-ru")
    with page.expect_navigation():
        page.click("nav.languages a[hreflang=en]")
    assert page.url.endswith(original.get_absolute_url())

    page.goto(site + english_only.get_absolute_url())
    note = page.locator("nav.languages .no-version-note").inner_text()
    assert note == "(no Russian version of this page)"
    with page.expect_navigation():
        page.click("nav.languages a[hreflang=ru]")
    assert page.url.endswith("/ru/")
    assert page.evaluate("document.documentElement.lang") == "ru"
    assert "Пресс-служба СВМДА" in page.locator("h1").inner_text()
    check_page(page, "home-ru")
