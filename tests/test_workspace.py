"""The editor's workspace: language versions under embargo, saves that change nothing, the
preview's language, conflicts, reviewer comments, the admin's own screens."""

import datetime

import pytest
from django.utils import timezone

from editorial.models import StateChange, Status
from releases.models import Release

from .factories import make_person, make_release
from .workspace import change_url, client_for, form_data, post_form, refreshed

pytestmark = pytest.mark.django_db


def log_actions(release) -> list[str]:
    return list(StateChange.for_item(release).values_list("action", flat=True))


def test_a_small_fix_on_a_live_release_keeps_its_go_live_time_and_logs_no_reschedule():
    went_live = timezone.now() - datetime.timedelta(hours=2, microseconds=123_456)
    release = make_release(publish_at=went_live, body="The text as published.")
    before = set(log_actions(release))
    response = post_form(
        client_for("publisher"), release, body="The text as published, fixed.", small_fix="on"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    release = refreshed(release)
    assert release.body == "The text as published, fixed."
    assert release.publish_at == went_live  # to the microsecond
    assert StateChange.Action.RESCHEDULED not in set(log_actions(release)) - before
    newest = release.history.latest("history_id")
    assert "go-live" not in (newest.history_change_reason or "").lower()


def test_the_admin_carries_the_portals_name_not_djangos():
    page = client_for("editor").get("/admin/").content.decode()
    assert "CICA press office" in page and "Django administration" not in page
    assert "css/admin-portal" in page


def test_view_on_site_only_for_what_is_live():
    from django.urls import reverse

    editor = client_for("publisher")
    drafted = make_release(status=Status.DRAFT, publish_at=None)
    live = make_release()
    page = editor.get(reverse("admin:releases_release_change", args=[drafted.pk])).content
    assert b"View on site" not in page and b"Preview" in page
    page = editor.get(reverse("admin:releases_release_change", args=[live.pk])).content
    assert b"View on site" in page


# ---------------------------------------------------------------- language versions and embargo


def embargoed_with_russian(ru_status=Status.IN_REVIEW):
    """An English original scheduled for tomorrow and its Russian version (in review, sent by
    a colleague so a publisher may approve it without a reason)."""
    from editorial.translations import translate

    from .workspace import make_user

    go_live = timezone.now() + datetime.timedelta(days=1)
    original = make_release(title="Embargoed summit news", publish_at=go_live)
    russian = translate(original, "ru", make_user("editor", "translator"))
    russian.title = "Новости саммита под эмбарго"
    russian.status = ru_status
    russian.submitted_by = russian.created_by
    russian.save()
    return original, russian


def public_titles() -> set[str]:
    return set(Release.objects.public().values_list("title", flat=True))


def assert_follows(original, russian):
    russian = refreshed(russian)
    assert russian.status == Status.PUBLISHED
    assert russian.publish_at == refreshed(original).publish_at
    assert "Новости саммита под эмбарго" not in public_titles()
    anonymous = client_for("anonymous")
    assert anonymous.get(russian.get_absolute_url()).status_code == 404
    assert "Новости" not in anonymous.get("/ru/press-releases/").content.decode()


def test_publishing_a_russian_version_in_the_form_follows_its_embargoed_original():
    original, russian = embargoed_with_russian()
    response = post_form(client_for("publisher"), russian, status=Status.PUBLISHED)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert_follows(original, russian)


def test_publishing_it_with_the_bulk_action_follows_too():
    from .workspace import bulk_action

    original, russian = embargoed_with_russian()
    bulk_action(client_for("publisher"), "publish_now", russian)
    assert_follows(original, russian)


def test_a_crafted_post_with_an_earlier_go_live_time_cannot_break_the_embargo():
    original, russian = embargoed_with_russian()
    now = timezone.localtime()
    post_form(
        client_for("publisher"),
        russian,
        status=Status.PUBLISHED,
        publish_at=f"{now.date().isoformat()}T00:00:00",
    )
    assert_follows(original, russian)


def test_a_version_saved_live_behind_the_workflows_back_stays_hidden_until_its_original():
    """Saved from code (a shell, a script) rather than the admin: the model keeps the rule."""
    from editorial.workflow import WorkflowError

    original, russian = embargoed_with_russian()
    russian.status = Status.PUBLISHED
    russian.publish_at = timezone.now() - datetime.timedelta(hours=1)
    russian.save()
    assert refreshed(russian).publish_at == refreshed(original).publish_at
    assert "Новости саммита под эмбарго" not in public_titles()
    original.publish_at = timezone.now() - datetime.timedelta(minutes=1)
    original.save()  # brought forward: the version comes with it
    assert "Новости саммита под эмбарго" in public_titles()
    original.status, original.withdrawal_note = Status.WITHDRAWN, "Facts disputed."
    original.save()
    assert refreshed(russian).status == Status.WITHDRAWN
    russian = refreshed(russian)
    russian.status = Status.PUBLISHED  # reinstating the version alone is refused
    with pytest.raises(WorkflowError):
        russian.save()


def test_a_version_of_an_unpublished_original_cannot_be_published():
    original, russian = embargoed_with_russian()
    Release.objects.filter(pk=original.pk).update(status=Status.DRAFT, publish_at=None)
    response = post_form(client_for("publisher"), russian, status=Status.PUBLISHED)
    assert response.status_code == 200
    assert "goes live only with its original" in response.content.decode()
    assert refreshed(russian).status == Status.IN_REVIEW


def test_versions_are_rescheduled_unscheduled_and_withdrawn_with_their_original():
    original, russian = embargoed_with_russian()
    publisher = client_for("publisher")
    post_form(publisher, russian, status=Status.PUBLISHED)
    later = timezone.localtime(refreshed(original).publish_at + datetime.timedelta(hours=5))
    response = post_form(
        publisher,
        original,
        publish_at=later.strftime("%Y-%m-%dT%H:%M:%S"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert (
        refreshed(russian).publish_at
        == refreshed(original).publish_at
        == later.replace(microsecond=0)
    )
    assert StateChange.Action.RESCHEDULED in log_actions(russian)

    post_form(publisher, original, status=Status.DRAFT)
    assert refreshed(original).status == Status.DRAFT
    assert refreshed(russian).status == Status.DRAFT
    assert StateChange.Action.UNSCHEDULED in log_actions(russian)


def test_withdrawing_an_original_withdraws_its_live_versions(time_machine):
    original, russian = embargoed_with_russian()
    publisher = client_for("publisher")
    post_form(publisher, russian, status=Status.PUBLISHED)
    time_machine.move_to(refreshed(original).publish_at + datetime.timedelta(minutes=1))
    assert "Новости саммита под эмбарго" in public_titles()
    post_form(publisher, original, status=Status.WITHDRAWN, withdrawal_note="Facts disputed.")
    russian = refreshed(russian)
    assert russian.status == Status.WITHDRAWN and russian.withdrawal_note == "Facts disputed."
    assert "Новости саммита под эмбарго" not in public_titles()


# ---------------------------------------------------------------- the preview's language


def test_the_staff_preview_of_a_russian_version_is_in_russian_with_russian_people_rows():
    from django.urls import reverse

    from contacts.models import Appointment, Person
    from editorial.translations import translate
    from releases.models import ReleasePerson

    from .workspace import make_user

    original = make_release(date=datetime.date(2026, 11, 24), status=Status.DRAFT, publish_at=None)
    person = Person.objects.create(name="Kairat Sarybay", name_ru="Кайрат Сарыбай", slug="ks")
    Appointment.objects.create(
        person=person,
        role_title="Secretary General of CICA",
        role_title_ru="Исполнительный директор СВМДА",
        start=datetime.date(2022, 10, 1),
        entered_by_editor=True,
    )
    ReleasePerson.objects.create(
        release=original,
        person=person,
        honorific="Ambassador",
        title_given="Secretary General of CICA",
        position=0,
    )
    russian = translate(original, "ru", make_user("editor", "translator"))
    row = russian.mentions.get()
    assert (row.honorific, row.title_given) == ("", "")

    url = reverse("admin:releases_release_preview", args=[russian.pk])
    editor = client_for("editor")
    page = editor.get(url).content.decode()
    assert "Персоны" in page and ">People<" not in page
    assert "24 ноября 2026" in page and "24 November 2026" not in page
    assert "Кайрат Сарыбай" in page and "Исполнительный директор СВМДА" in page
    assert "Ambassador" not in page and "Secretary General of CICA" not in page
    english = editor.get(reverse("admin:releases_release_preview", args=[original.pk]))
    assert "24 November 2026" in english.content.decode()


# ---------------------------------------------------------------- reviewer comments, dashboard


def test_a_reviewer_returns_a_submission_with_a_comment_the_editor_then_sees():
    from django.urls import reverse

    from .workspace import make_user

    author = make_user("editor", "aigerim")
    release = make_release(
        title="Minister's visit", status=Status.IN_REVIEW, publish_at=None, submitted_by=author
    )
    publisher = client_for("publisher", "reviewer")
    refused = post_form(publisher, release, status=Status.DRAFT)
    assert refused.status_code == 200
    assert "Say why it goes back" in refused.content.decode()
    assert refreshed(release).status == Status.IN_REVIEW

    returned = post_form(
        publisher, release, status=Status.DRAFT, review_comment="Check the minister's title."
    )
    assert returned.status_code == 302
    assert refreshed(release).status == Status.DRAFT
    entry = StateChange.for_item(release).get(action=StateChange.Action.RETURNED)
    assert entry.reason == "Check the minister's title."

    from django.test import Client

    editor = Client()
    editor.force_login(author)
    form = editor.get(reverse("admin:releases_release_change", args=[release.pk])).content.decode()
    assert "Returned to you by reviewer" in form and "Check the minister&#x27;s title." in form
    dashboard = editor.get("/admin/").content.decode()
    returned_section = dashboard.split('id="returned-heading"')[1].split("</section>")[0]
    assert "Minister&#x27;s visit" in returned_section
    assert "Check the minister&#x27;s title." in returned_section
    # Sent for review again, it is no longer "returned".
    post_form(editor, release, status=Status.IN_REVIEW)
    dashboard = editor.get("/admin/").content.decode()
    assert (
        "Minister&#x27;s visit"
        not in dashboard.split('id="returned-heading"')[1].split("</section>")[0]
    )


def test_taking_back_ones_own_submission_needs_no_comment():
    from .workspace import make_user

    author = make_user("editor", "aigerim")
    release = make_release(status=Status.IN_REVIEW, publish_at=None, submitted_by=author)
    from django.test import Client

    client = Client()
    client.force_login(author)
    assert post_form(client, release, status=Status.DRAFT).status_code == 302
    assert refreshed(release).status == Status.DRAFT


def test_the_dashboards_queries_do_not_grow_with_the_items():
    from .workspace import make_user

    publisher = client_for("publisher")
    author = make_user("editor", "aigerim")

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert publisher.get("/admin/").status_code == 200
        return len(queries)

    for _ in range(2):
        make_release(status=Status.IN_REVIEW, publish_at=None, submitted_by=author)
        make_release()
    few = count()
    for n in range(8):
        make_release(status=Status.IN_REVIEW, publish_at=None, submitted_by=author)
        make_release(publish_at=timezone.now() + datetime.timedelta(days=n + 1))
        make_release()
    assert count() == few


# ---------------------------------------------------------------- the task-shaped change form


def change_page(client, release) -> str:
    from django.urls import reverse

    return client.get(reverse("admin:releases_release_change", args=[release.pk])).content.decode()


def test_an_editor_sees_the_moves_and_fields_an_editor_can_use():
    page = change_page(client_for("editor"), make_release(status=Status.DRAFT, publish_at=None))
    assert 'name="_transition" value="in_review"' in page and "Submit for review" in page
    assert "Approve and publish" not in page
    for publisher_only in ("withdrawal_note", "force_reason", "change_note", "small_fix"):
        assert f'name="{publisher_only}"' not in page, publisher_only
    assert 'name="publish_at"' not in page
    assert 'name="translation_group"' not in page
    assert '<select name="status"' not in page and 'type="hidden" name="status"' in page


def test_a_publisher_sees_approve_on_a_colleagues_submission_and_withdraw_on_a_live_one():
    from .workspace import in_review_by_someone_else

    publisher = client_for("publisher")
    page = change_page(publisher, in_review_by_someone_else())
    assert "Approve and publish" in page and "Return to draft" in page
    assert 'name="review_comment"' in page
    assert 'name="force_reason"' not in page  # someone else sent it: no reason needed
    live_page = change_page(publisher, make_release())
    assert 'value="withdrawn"' in live_page and "Withdraw" in live_page
    assert 'name="change_note"' in live_page and 'name="withdrawal_note"' in live_page


def test_a_workflow_button_moves_the_state_through_the_workflow_and_stays_on_the_form():
    from .workspace import change_url, form_data

    release = make_release(status=Status.DRAFT, publish_at=None)
    editor = client_for("editor")
    data = form_data(release, title="Ready for review") | {"_transition": Status.IN_REVIEW}
    response = editor.post(change_url(release), data)
    assert response.status_code == 302 and response["Location"] == change_url(release)
    saved = refreshed(release)
    assert saved.status == Status.IN_REVIEW and saved.title == "Ready for review"
    assert StateChange.Action.SUBMITTED in log_actions(release)
    # A move the user may not make is refused by the workflow, with its reason.
    data = form_data(release) | {"_transition": Status.PUBLISHED}
    refused = editor.post(change_url(release), data)
    assert refused.status_code == 200 and refreshed(release).status == Status.IN_REVIEW


def test_preview_shows_the_unsaved_text_on_screen_and_saves_nothing():
    from django.urls import reverse

    from .workspace import form_data

    release = make_release(status=Status.DRAFT, publish_at=None, body="The saved body.")
    editor = client_for("editor")
    url = reverse("admin:releases_release_preview", args=[release.pk])
    data = form_data(release, title="A title not saved yet", body="The **unsaved** body.")
    page = editor.post(url, data).content.decode()
    assert "A title not saved yet" in page and "<strong>unsaved</strong>" in page
    assert "The text on your screen, not saved yet." in page
    saved = refreshed(release)
    assert saved.body == "The saved body." and saved.title != "A title not saved yet"
    assert editor.get(url).content.decode().count("The saved body.") >= 1


def test_the_change_form_warns_before_leaving_with_unsaved_changes():
    page = change_page(client_for("editor"), make_release(status=Status.DRAFT, publish_at=None))
    assert "js/unsaved-changes" in page


# ---------------------------------------------------------------- a readable history


def test_the_history_shows_versions_labels_human_values_and_link_changes():
    from django.urls import reverse

    from contacts.models import Organisation
    from releases.models import Topic

    from .workspace import form_data

    release = make_release(status=Status.DRAFT, publish_at=None, title="Ministers meet")
    osce = Organisation.objects.create(name="OSCE", slug="osce")
    topic = Topic.objects.create(name="Security", slug="security")
    editor = client_for("editor")
    data = form_data(release, title="Ministers meet in Astana")
    data["organisations"] = [osce.pk]
    data["topics"] = [topic.pk]
    assert (
        editor.post(reverse("admin:releases_release_change", args=[release.pk]), data).status_code
        == 302
    )
    page = editor.get(reverse("admin:releases_release_history", args=[release.pk])).content.decode()
    assert "COMPARE_LINK" not in page and "compare_link" not in page
    assert "Title, Topics, Organisations" in page  # in the form's order, every time
    assert "Astana (" in page and "UTC)" in page  # Astana time, UTC beside

    newest = release.history.latest("history_id")
    compare = editor.get(
        reverse("admin:releases_release_compare", args=[release.pk, newest.history_id])
    ).content.decode()
    assert "<ins>OSCE</ins>" in compare and "<ins>Security</ins>" in compare
    assert "[272 chars]" not in compare


def test_the_people_named_are_recorded_and_shown_in_the_comparison():
    from django.urls import reverse

    from contacts.models import Person

    from .workspace import form_data

    release = make_release(status=Status.DRAFT, publish_at=None)
    person = Person.objects.create(name="Kairat Sarybay", slug="kairat-sarybay")
    editor = client_for("editor")
    data = form_data(release) | {
        "mentions-TOTAL_FORMS": "1",
        "mentions-0-person": str(person.pk),
        "mentions-0-honorific": "Ambassador",
        "mentions-0-title_given": "Secretary General",
        "mentions-0-position": "0",
    }
    url = reverse("admin:releases_release_change", args=[release.pk])
    assert editor.post(url, data).status_code == 302
    newest = release.history.latest("history_id")
    assert newest.history_change_reason == "People named changed"
    compare = editor.get(
        reverse("admin:releases_release_compare", args=[release.pk, newest.history_id])
    ).content.decode()
    assert "People named" in compare
    assert "<ins>Ambassador Kairat Sarybay, Secretary General</ins>" in compare


def test_a_save_that_changes_nothing_leaves_no_revision():
    release = make_release(status=Status.DRAFT, publish_at=None)
    revisions, version = release.history.count(), refreshed(release).version
    assert post_form(client_for("editor"), release).status_code == 302
    assert release.history.count() == revisions
    assert refreshed(release).version == version


def test_the_history_pages_queries_do_not_grow_with_the_revisions():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    release = make_release(status=Status.DRAFT, publish_at=None)
    editor = client_for("editor")
    url = reverse("admin:releases_release_history", args=[release.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert editor.get(url).status_code == 200
        return len(queries)

    for n in range(3):
        release.body = f"Wording {n}."
        release.save()
    few = count()
    for n in range(12):
        release.body = f"Later wording {n}."
        release.save()
    assert count() == few


# ---------------------------------------------------------------- proposed corrections


def test_an_editor_proposes_a_correction_that_a_publisher_applies_with_a_change_note():
    from django.urls import reverse

    from editorial.models import ChangeNote

    from .workspace import change_url

    live = make_release(title="Summit in Astana", body="The summit opened on Monday.")
    editor = client_for("editor")
    page = change_page(editor, live)
    assert "Propose a correction" in page and "Save changes" not in page
    response = editor.post(reverse("admin:releases_release_propose_correction", args=[live.pk]))
    proposal = Release.objects.get(correction_of=live)
    assert response["Location"] == change_url(proposal)
    assert proposal.status == Status.DRAFT and proposal.body == live.body
    assert proposal not in Release.objects.public()

    assert post_form(editor, proposal, body="The summit opened on Tuesday.").status_code == 302
    post_form(editor, proposal, status=Status.IN_REVIEW)
    assert refreshed(live).body == "The summit opened on Monday."  # live text untouched

    publisher = client_for("publisher")
    page = change_page(publisher, proposal)
    assert "Apply this correction to the live page" in page
    assert 'value="published"' not in page  # never published on its own
    refused = post_form(publisher, proposal, status=Status.PUBLISHED)
    assert refused.status_code == 200 and refreshed(proposal).status == Status.IN_REVIEW

    apply_url = reverse("admin:releases_release_apply_correction", args=[proposal.pk])
    publisher.post(apply_url, {})  # no change note, not a small fix: refused
    assert Release.objects.filter(pk=proposal.pk).exists()
    publisher.post(apply_url, {"change_note": "Corrected the day the summit opened."})
    corrected = refreshed(live)
    assert corrected.body == "The summit opened on Tuesday." and corrected.is_public
    assert ChangeNote.objects.filter(note="Corrected the day the summit opened.").exists()
    assert not Release.objects.filter(pk=proposal.pk).exists()
    assert "Tuesday" in client_for("anonymous").get(corrected.get_absolute_url()).content.decode()


def test_an_editor_cannot_apply_a_correction():
    from django.urls import reverse

    from editorial.translations import propose_correction

    from .workspace import make_user

    live = make_release(body="Original words.")
    proposal = propose_correction(live, make_user("editor", "aigerim"))
    proposal.body = "Editor's words."
    proposal.save()
    client_for("editor").post(
        reverse("admin:releases_release_apply_correction", args=[proposal.pk]),
        {"change_note": "Mine."},
    )
    assert refreshed(live).body == "Original words."


# ---------------------------------------------------------------- the admin in Russian


def test_each_editor_chooses_the_admins_language():
    from django.urls import reverse

    editor, colleague = client_for("editor", "aigerim"), client_for("editor", "daniyar")
    response = editor.post(reverse("admin-language"), {"language": "ru", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    page = editor.get("/admin/").content.decode()
    assert "Пресс-служба СВМДА" in page and "Мои черновики" in page  # ours
    assert "Выйти" in page or "ВЫЙТИ" in page.upper()  # Django's own
    assert 'lang="en">English</button>' in page
    release = make_release(status=Status.DRAFT, publish_at=None)
    form = change_page(editor, release)
    assert "Отправить на проверку" in form and "Сохранить изменения" in form
    # The other editor's admin, and the public site, keep their own language.
    assert "My drafts" in colleague.get("/admin/").content.decode()
    assert editor.get("/press-releases/")["Content-Language"] == "en"
    # Only a page of this site may follow the switch.
    away = editor.post(
        reverse("admin-language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert away["Location"] == "/admin/"


def test_no_preview_link_for_a_withdrawn_release():
    from django.urls import reverse

    withdrawn = make_release(status=Status.WITHDRAWN)
    publisher = client_for("publisher")
    assert "Make a preview link" not in change_page(publisher, withdrawn)
    publisher.post(
        reverse("admin:releases_release_create_preview_link", args=[withdrawn.pk]),
        {"label": "Kazinform", "hours": "48"},
    )
    assert not withdrawn.preview_links.exists()


def test_long_titles_and_notes_pass_every_flow_that_records_a_reason():
    """Reasons are text (PostgreSQL refused reasons over 100 characters: the Russian version
    of a long title, a proposed correction, a 300-character change note, a restore)."""
    from django.urls import reverse

    from .workspace import change_url, form_data

    title = "CICA Secretary General " + "and the Ministers of Foreign Affairs " * 4
    live = make_release(title=title[:180], body="The summit opened on Monday.")
    publisher = client_for("publisher")
    response = publisher.post(reverse("admin:releases_release_translate", args=[live.pk, "ru"]))
    assert response.status_code == 302
    editor = client_for("editor")
    response = editor.post(reverse("admin:releases_release_propose_correction", args=[live.pk]))
    proposal = Release.objects.get(correction_of=live)
    assert response["Location"] == change_url(proposal)
    post_form(editor, proposal, body="The summit opened on Tuesday.", status=Status.IN_REVIEW)
    note = "Corrected the day the summit opened, " + "as the Secretariat confirmed, " * 9
    apply_url = reverse("admin:releases_release_apply_correction", args=[proposal.pk])
    assert publisher.post(apply_url, {"change_note": note[:300]}).status_code == 302
    assert refreshed(live).body == "The summit opened on Tuesday."
    first = refreshed(live).history.last()
    url = reverse("admin:releases_release_simple_history", args=[live.pk, first.history_id])
    reason = "Back to the wording the Secretariat approved before the correction, " * 2
    restore = form_data(refreshed(live), restore_reason=reason, small_fix="on")
    response = client_for("superuser").post(url, restore)
    assert response.status_code == 302, response.content.decode()[:500]


def test_a_browsers_line_endings_do_not_change_an_imported_text():
    """The browser sends CRLF; an imported text has LF: changing the city alone changes the
    city alone (the revision's fields, and nothing else to compare or to conflict on)."""
    release = make_release(status=Status.DRAFT, publish_at=None, body="Line one.\n\nLine two.")
    editor = client_for("editor")
    unchanged = form_data(release, body="Line one.\r\n\r\nLine two.")
    assert editor.post(change_url(release), unchanged).status_code == 302
    assert release.history.count() == 1  # a save that changes nothing records nothing
    moved = form_data(release, body="Line one.\r\n\r\nLine two.", city="Astana")
    assert editor.post(change_url(release), moved).status_code == 302
    latest = refreshed(release)
    assert latest.body == "Line one.\n\nLine two." and latest.city == "Astana"
    new, old = latest.history.all()[:2]
    assert [c.field for c in new.diff_against(old).changes if c.field != "version"] == ["city"]


def test_a_publisher_publishes_drafts_in_bulk_with_a_reason():
    from .workspace import bulk_action

    drafts = [make_release(status=Status.DRAFT, publish_at=None) for _ in range(2)]
    publisher = client_for("publisher")
    asked = bulk_action(publisher, "publish_now", drafts[0])
    page = asked.content.decode()
    assert asked.status_code == 200 and 'name="force_reason"' in page
    response = publisher.post(
        "/admin/releases/release/",
        {
            "action": "publish_now",
            "_selected_action": [d.pk for d in drafts],
            "force_reason": "Approved by the Secretary General by telephone.",
        },
    )
    assert response.status_code == 302
    assert all(refreshed(d).is_public for d in drafts)
    log = StateChange.for_item(drafts[1]).get(action=StateChange.Action.PUBLISHED)
    assert "telephone" in log.reason


class VisibleLabels(__import__("html.parser").parser.HTMLParser):
    """The words of a page's labels, legends, headings, table headings, buttons and help."""

    TAGS = {"label", "legend", "h1", "h2", "h3", "th", "button", "caption", "summary"}

    def __init__(self):
        super().__init__()
        self.open, self.texts = [], []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag in self.TAGS or "help" in classes.split():
            self.open.append(tag)
            self.texts.append("")
        elif self.open and tag not in ("br", "input", "img"):
            self.open.append(tag)
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.texts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if self.open:
            self.open.pop()

    def handle_data(self, data):
        if self.open:
            self.texts[-1] += data


# Words that are the same in a Russian workspace: names, formats, acronyms.
NOT_ENGLISH = {
    "Markdown",
    "CICA",
    "GPS",
    "URL",
    "API",
    "RSS",
    "UTC",
    "HTML",
    "JPEG",
    "PNG",
    "WebP",
    "PDF",
    "DOCX",
    "XLSX",
    "ODT",
    "SVG",
    "JSON",
    "Kazinform",
    "Sarybay",
    "Sarybai",
    "Kairat",
    "Ambassador",
    "Dr",
    "Shanghai",
    "Cooperation",
    "Organisation",
    "SCO",
    "Secretary",
    "General",
    "of",
    "English",
    "Django",
    "slug",
    "Officer",
    "PR",
}


def english_words(html: str, *content: str) -> list[str]:
    parser = VisibleLabels()
    parser.feed(html)
    shown = " ".join(parser.texts)
    for text in content:
        shown = shown.replace(text, " ")
    import re

    return sorted({w for w in re.findall(r"[A-Za-z]{3,}", shown) if w not in NOT_ENGLISH})


def test_a_russian_editors_workspace_shows_no_english_label_or_heading():
    from django.urls import reverse

    release = make_release(title="Summit in Astana", body="The summit opened.")
    release.mentions.create(person=make_person(name="Kairat Sarybay"), position=0)
    editor = client_for("publisher")
    editor.post(reverse("admin-language"), {"language": "ru", "next": "/admin/"})
    history = release.history.first()
    pages = [
        "/admin/",
        reverse("admin:releases_release_changelist"),
        reverse("admin:releases_release_add"),
        change_url(release),
        reverse("admin:releases_release_history", args=[release.pk]),
        reverse("admin:releases_release_simple_history", args=[release.pk, history.history_id]),
        reverse("admin:releases_event_add"),
        reverse("admin:contacts_person_add"),
        reverse("admin:library_image_add"),
    ]
    for url in pages:
        page = editor.get(url)
        assert page.status_code == 200, url
        assert english_words(page.content.decode(), release.title) == [], url


def test_a_typed_title_the_role_on_file_replaces_is_pointed_out_in_the_form():
    """The page gives a person the title of the role on file on the release's date; the form
    shows what the page will say beside the title typed, and says why they differ."""
    from .factories import make_appointment

    release = make_release(title="Ministers meet", status=Status.DRAFT, publish_at=None)
    replaced = make_person(name="Kairat Sarybay")
    make_appointment(replaced, role_title="Secretary General", entered_by_editor=True)
    kept = make_person(name="Aigerim Seitkali")
    release.mentions.create(person=replaced, title_given="Minister", position=0)
    release.mentions.create(person=kept, title_given="Adviser", position=1)

    page = client_for("editor").get(change_url(release)).content.decode()

    assert "Secretary General" in page
    assert page.count("From the role on file on the release&#x27;s date, not the title") == 1


def test_a_russian_editor_reads_the_state_and_go_live_time_in_russian():
    """The list's state column and the form's go-live line were English in the Russian
    workspace ("Live", "Scheduled", "Live since ...")."""
    from django.urls import reverse

    live = make_release(title="Summit in Astana")
    make_release(title="Ministers tomorrow", publish_at=timezone.now() + datetime.timedelta(days=1))
    editor = client_for("publisher")
    editor.post(reverse("admin-language"), {"language": "ru", "next": "/admin/"})

    listing = editor.get(reverse("admin:releases_release_changelist")).content.decode()
    form = editor.get(change_url(live)).content.decode()

    assert "Запланировано к публикации" in listing and "Опубликовано" in listing
    assert "Состояние" in listing and "Государство" not in listing  # not the country kind
    assert "EN (оригинал, опубликовано)" in listing
    assert "Опубликовано с " in form
    for english in (">Live<", ">Scheduled<", "Live since", "Scheduled:", "(original)"):
        assert english not in listing + form
