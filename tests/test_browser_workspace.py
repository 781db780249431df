"""The editor's and publisher's day in Chromium: write, submit (by keyboard), return with a
comment, fix, approve and schedule, the Russian version follows, a preview link, publish,
correct, withdraw. axe-core on the parts of the admin we own; screenshots at 1280 and 375 px."""

import datetime
import warnings

from django.utils import timezone

from .test_browser import (  # noqa: F401 (fixtures)
    BROWSER_TESTS,
    SHOTS,
    TAKE_SCREENSHOTS,
    axe_violations,
    browser,
    field,
    site,
)

pytestmark = BROWSER_TESTS
PASSWORD = "a-long-unique-passphrase"
OURS = [".workflow-bar", ".workspace-side", "fieldset.publishing"]


def person(browser, site, username: str, group: str):  # noqa: F811 (browser is a fixture)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from releases.roles import ensure_groups

    ensure_groups()
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(msg.text))
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(site + "/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return page


def shots(page, name: str) -> None:
    """Full-page screenshots at 1280 and 375 px (the pictures in the notes), and nothing wider
    than the phone. A screenshot is a record, not a check: one that times out (a loaded CI
    machine) is replaced by the visible part, with a warning, rather than failing the day."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 900), (375, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => done()))")
        if width == 375:
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= 375, f"{name}: {wide}px wide on a 375px phone"
        if not TAKE_SCREENSHOTS:
            continue
        path = str(SHOTS / f"{name}-{width}.png")
        try:
            page.screenshot(path=path, full_page=True, timeout=60_000)
        except PlaywrightTimeout:
            warnings.warn(f"{name} at {width}px: full-page screenshot timed out", stacklevel=2)
            try:
                page.screenshot(path=path)
            except PlaywrightTimeout:  # a machine too loaded even for that: no picture
                warnings.warn(f"{name} at {width}px: no screenshot", stacklevel=2)
    page.set_viewport_size({"width": 1280, "height": 900})


def check_ours(page, name: str, selectors=OURS) -> None:
    for selector in selectors:
        if page.locator(selector).count():
            assert axe_violations(page, selector) == [], f"{name} {selector}"
    assert page.errors == [], f"{name}: {page.errors}"


def named(page) -> None:
    """Wait until the admin's autocomplete boxes are built and named (static/js/admin-a11y.js):
    jQuery builds them once the page is ready, a moment after it has loaded."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('select.admin-autocomplete')].every("
        "s => s.nextElementSibling && [...s.nextElementSibling.querySelectorAll("
        "'.select2-search__field')].every(f => f.getAttribute('aria-label')))"
    )


def section(page, key: str) -> str:
    return page.locator(f"section[aria-labelledby='{key}-heading']").inner_text()


def press(page, label: str) -> None:
    with page.expect_navigation():
        page.locator(".workflow-buttons").get_by_role("button", name=label, exact=True).click()


def test_an_editor_and_a_publisher_work_a_release_through_its_day(browser, site):  # noqa: F811
    from editorial.models import Status
    from releases.models import Release

    editor = person(browser, site, "aigerim", "Editor")
    publisher = person(browser, site, "daniyar", "Publisher")

    # The editor writes a release and saves it.
    editor.goto(site + "/admin/releases/release/add/")
    field(editor, "#id_title").fill("CICA ministers meet in Astana")
    field(editor, "#id_lead").fill("The ministers of foreign affairs met in Astana.")
    field(editor, "#id_body").fill("The meeting adopted a **joint statement**.")
    press(editor, "Save changes")
    release = Release.objects.get(title="CICA ministers meet in Astana")
    assert editor.url.endswith(f"/{release.pk}/change/")
    check_ours(editor, "new draft")
    shots(editor, "admin-change-draft")

    # ... and submits it for review with the keyboard only: Tab from Save to the next button.
    editor.focus(".workflow-buttons button[name=_continue]")
    editor.keyboard.press("Tab")
    assert editor.evaluate("document.activeElement.textContent") == "Submit for review"
    with editor.expect_navigation():
        editor.keyboard.press("Enter")
    assert Release.objects.get(pk=release.pk).status == Status.IN_REVIEW

    # The publisher finds it waiting, and returns it with a comment.
    publisher.goto(site + "/admin/")
    assert "CICA ministers meet in Astana" in section(publisher, "review")
    check_ours(publisher, "dashboard", [".editorial-dashboard"])
    shots(publisher, "admin-dashboard-publisher")
    publisher.click("text=CICA ministers meet in Astana")
    field(publisher, "#id_review_comment").fill("Name the host minister in the lead.")
    press(publisher, "Return to draft")
    assert Release.objects.get(pk=release.pk).status == Status.DRAFT

    # The editor sees it returned, with the comment, fixes the lead and submits again.
    editor.goto(site + "/admin/")
    returned = section(editor, "returned")
    assert "CICA ministers meet in Astana" in returned
    assert "Name the host minister in the lead." in returned
    shots(editor, "admin-dashboard-editor")
    editor.click("text=CICA ministers meet in Astana")
    assert "Name the host minister in the lead." in editor.locator(".review-comment").inner_text()
    field(editor, "#id_lead").fill("Minister Murat Nurtleu hosted his CICA counterparts in Astana.")
    press(editor, "Submit for review")

    # The publisher schedules it for tomorrow morning and approves it.
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    publisher.goto(site + f"/admin/releases/release/{release.pk}/change/")
    field(publisher, "#id_publish_at").fill(f"{tomorrow.date().isoformat()}T09:00:00")
    press(publisher, "Approve and publish")
    release = Release.objects.get(pk=release.pk)
    assert release.is_scheduled and "Scheduled" in publisher.locator(".workflow-bar").inner_text()

    # A Russian version, made from the original and approved: it follows the embargo.
    with publisher.expect_navigation():
        publisher.click("text=Create the Russian version, pre-filled from the original")
    field(publisher, "#id_title").fill("Министры СВМДА встретились в Астане")
    field(publisher, "#id_force_reason").fill("Translation of the approved release.")
    press(publisher, "Approve and publish")
    russian = Release.objects.get(translation_of=release)
    assert russian.status == Status.PUBLISHED and russian.publish_at == release.publish_at
    assert "goes live only with its original" in publisher.locator(".workflow-bar").inner_text()
    check_ours(publisher, "russian version")
    shots(publisher, "admin-change-russian-scheduled")

    # A preview link for a newsroom, on the original.
    publisher.goto(site + f"/admin/releases/release/{release.pk}/change/")
    publisher.fill("#id_label", "Kazinform newsroom")
    with publisher.expect_navigation():
        publisher.click("text=Make a preview link")
    link = release.preview_links.get()
    journalist = browser.new_context().new_page()
    journalist.goto(site + link.get_absolute_url())
    assert "Embargoed until" in journalist.locator(".preview-banner").inner_text()
    journalist.goto(site + russian.get_absolute_url())
    assert "Министры СВМДА" not in journalist.content()  # embargoed in Russian too

    # Publish now: the go-live time moved to now, the Russian version with it.
    now = timezone.localtime() - datetime.timedelta(minutes=1)
    publisher.goto(site + f"/admin/releases/release/{release.pk}/change/")
    field(publisher, "#id_publish_at").fill(now.strftime("%Y-%m-%dT%H:%M:%S"))
    press(publisher, "Save changes")
    journalist.goto(site + release.get_absolute_url())
    assert "Minister Murat Nurtleu" in journalist.content()
    journalist.goto(site + Release.objects.get(pk=russian.pk).get_absolute_url())
    assert "Министры СВМДА встретились в Астане" in journalist.content()

    # A correction with a public change note.
    publisher.goto(site + f"/admin/releases/release/{release.pk}/change/")
    field(publisher, "#id_body").fill("The meeting adopted a **joint statement** on connectivity.")
    field(publisher, "#id_change_note").fill("Named the joint statement's subject.")
    press(publisher, "Save changes")
    journalist.goto(site + release.get_absolute_url())
    assert "Named the joint statement" in journalist.content()

    # Withdrawn: gone from the page at once, in both languages.
    field(publisher, "#id_withdrawal_note").fill("Withdrawn at the request of the host.")
    press(publisher, "Withdraw")
    journalist.goto(site + release.get_absolute_url())
    assert "Withdrawn at the request of the host." in journalist.content()
    assert "on connectivity" not in journalist.content()
    assert Release.objects.get(pk=russian.pk).status == Status.WITHDRAWN
    check_ours(publisher, "withdrawn")
    shots(publisher, "admin-change-withdrawn")


def test_axe_finds_nothing_on_any_admin_screen_an_editor_uses(browser, site):  # noqa: F811
    """Whole pages, Django's stock parts included (autocomplete boxes, inline tables,
    breadcrumbs): the dashboard, lists, add and change forms of releases, events, people and the
    library, history, comparison, deleted items, and the pages bulk moves open, in English and
    in Russian; each one's height at 1280 px is printed for the notes."""
    from django.urls import reverse

    from contacts.models import Organisation
    from editorial.models import Status
    from releases.models import Release

    publisher = person(browser, site, "daniyar", "Publisher")
    release = Release.objects.get(source_file__startswith="004_")
    release.body += "\n\nOne more paragraph."
    release.save()
    newest = release.history.latest("history_id")
    in_review = Release.objects.exclude(pk=release.pk).first()
    in_review.status, in_review.publish_at = Status.IN_REVIEW, None
    in_review.submitted_by = None
    in_review.save()
    from contacts.models import Person

    someone = Person.objects.first()
    pages = {
        "release list": reverse("admin:releases_release_changelist"),
        "release add": reverse("admin:releases_release_add"),
        "event add": reverse("admin:releases_event_add"),
        "person list": reverse("admin:contacts_person_changelist"),
        "person change": reverse("admin:contacts_person_change", args=[someone.pk]),
        "image list": reverse("admin:library_image_changelist"),
        "image add": reverse("admin:library_image_add"),
        "document add": reverse("admin:library_document_add"),
        "history": reverse("admin:releases_release_history", args=[release.pk]),
        "compare": reverse("admin:releases_release_compare", args=[release.pk, newest.history_id]),
        "deleted": reverse("admin:releases_release_deleted"),
        "change": reverse("admin:releases_release_change", args=[release.pk]),
        "dashboard": reverse("admin:index"),
    }
    for language in ("en", "ru"):
        if language == "ru":
            with publisher.expect_navigation():
                publisher.click("button[name=language][value=ru]")
        for name, url in pages.items():
            publisher.goto(site + url)
            named(publisher)
            # A form in tabs (static/js/form-tabs.js) is checked, measured and pictured tab by
            # tab: axe reads what is shown.
            tabs = publisher.locator("[role=tab]").all() or [None]
            for tab in tabs:
                part = name
                if tab is not None:
                    tab.click()
                    part = f"{name}, {tab.get_attribute('id').removeprefix('form-tab-')} tab"
                check_ours(publisher, f"{part} ({language})", ["html"])
                height = publisher.evaluate("document.documentElement.scrollHeight")
                print(f"{part} ({language}): {height}px high at 1280")
                shots(publisher, f"admin-{part.replace(' ', '-').replace(',', '')}-{language}")
    # The pages that bulk actions open: return with a comment, merge.
    publisher.goto(site + reverse("admin:releases_release_changelist"))
    publisher.check(f"input[name=_selected_action][value='{in_review.pk}']")
    publisher.select_option("select[name=action]", "return_to_draft")
    with publisher.expect_navigation():
        publisher.click("button[name=index]")
    check_ours(publisher, "return to draft", ["html"])
    Organisation.objects.create(name="Secretariat of CICA", slug="secretariat-of-cica-2")
    publisher.goto(site + reverse("admin:contacts_organisation_changelist") + "?q=Secretariat")
    for box in publisher.locator("input[name=_selected_action]").all()[:2]:
        box.check()
    publisher.select_option("select[name=action]", "merge_selected")
    with publisher.expect_navigation():
        publisher.click("button[name=index]")
    check_ours(publisher, "merge", ["html"])


def test_the_change_form_in_tabs_by_keyboard_and_after_an_error(browser, site):  # noqa: F811
    """The WAI-ARIA tabs pattern (static/js/form-tabs.js): arrows, Home and End move between the
    tabs and show each one's part of the form; the tab an editor was on is kept after a save;
    a part with errors is marked and shown first."""
    from django.urls import reverse

    editor = person(browser, site, "aigerim", "Editor")
    editor.goto(site + reverse("admin:releases_release_add"))
    tabs = editor.locator("[role=tab]")
    assert [t.inner_text() for t in tabs.all()] == [
        "Text",
        "People and links",
        "Pictures and documents",
        "Publishing",
    ]
    assert editor.locator("#id_title").is_visible()
    tabs.first.focus()
    editor.keyboard.press("ArrowRight")
    assert editor.evaluate("document.activeElement.id") == "form-tab-links"
    assert editor.locator("#mentions-group").is_visible()
    assert not editor.locator("#id_title").is_visible()
    editor.keyboard.press("End")
    assert tabs.last.get_attribute("aria-selected") == "true"
    editor.keyboard.press("ArrowRight")  # round to the first
    assert tabs.first.get_attribute("aria-selected") == "true"
    editor.keyboard.press("ArrowLeft")
    assert editor.evaluate("document.activeElement.id") == "form-tab-publishing"

    # Saved from the publishing tab with no title: the text tab comes back first, marked.
    with editor.expect_navigation():
        editor.locator(".workflow-buttons").get_by_role("button", name="Save changes").click()
    text_tab = editor.locator("#form-tab-text")
    assert text_tab.get_attribute("aria-selected") == "true"
    assert "to correct" in text_tab.inner_text()
    assert editor.locator("#id_title").is_visible()
    # The error summary's link shows the field wherever it is.
    editor.click("#form-tab-links")
    editor.locator(".error-summary a[href='#id_title']").click()
    assert editor.locator("#id_title").is_visible()

    # Saved, a release reopens on the tab its editor was on.
    field(editor, "#id_title").fill("Ministers meet")
    field(editor, "#id_body").fill("They met.")
    with editor.expect_navigation():
        editor.locator(".workflow-buttons").get_by_role("button", name="Save changes").click()
    assert "/change/" in editor.url
    editor.click("#form-tab-media")
    with editor.expect_navigation():
        editor.locator(".workflow-buttons").get_by_role("button", name="Save changes").click()
    assert editor.locator("#form-tab-media").get_attribute("aria-selected") == "true"
    assert editor.errors == []
