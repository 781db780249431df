"""The editorial workspace: roles, workflow, second pair of eyes, change notes, stale saves,
preview links, history and the login lockout."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editorial.models import ChangeNote, StateChange, Status
from releases.models import PreviewLink, Release

from .factories import make_release

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-unique-passphrase"
ROLES = ["anonymous", "editor", "publisher", "superuser"]


def make_user(role: str, name: str | None = None):
    User = get_user_model()
    name = name or role
    if role == "superuser":
        return User.objects.create_superuser(name, f"{name}@example.org", PASSWORD)
    user = User.objects.create_user(name, f"{name}@example.org", PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role.capitalize()))
    return user


def client_for(role: str, name: str | None = None) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(make_user(role, name))
    return client


def local(moment):
    return timezone.localtime(moment)


def form_data(release: Release, **changes) -> dict:
    """Everything the release change form posts, as the browser would send it."""
    release.refresh_from_db()
    data = {
        "title": release.title,
        "slug": release.slug,
        "kind": release.kind,
        "language": release.language,
        "translation_group": str(release.translation_group),
        "date": release.date.isoformat() if release.date else "",
        "date_end": release.date_end.isoformat() if release.date_end else "",
        "city": release.city,
        "country": release.country,
        "lead": release.lead,
        "body": release.body,
        "status": release.status,
        "publish_at_0": local(release.publish_at).date().isoformat() if release.publish_at else "",
        "publish_at_1": local(release.publish_at).strftime("%H:%M:%S")
        if release.publish_at
        else "",
        "withdrawal_note": release.withdrawal_note,
        "force_reason": "",
        "change_note": "",
        "version": release.version,
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
        "mentions-MIN_NUM_FORMS": "0",
        "mentions-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def post_form(client, release, **changes):
    return client.post(change_url(release), form_data(release, **changes))


def refreshed(release):
    return Release.objects.get(pk=release.pk)


# ---------------------------------------------------------------- groups


def test_the_groups_come_from_a_migration():
    editor = Group.objects.get(name="Editor")
    publisher = Group.objects.get(name="Publisher")
    editor_perms = set(editor.permissions.values_list("codename", flat=True))
    publisher_perms = set(publisher.permissions.values_list("codename", flat=True))
    assert {"add_release", "change_release", "change_event", "add_previewlink"} <= editor_perms
    assert "publish_release" not in editor_perms and "publish_event" not in editor_perms
    assert {"publish_release", "publish_event", "delete_release"} <= publisher_perms


# ---------------------------------------------------------------- the permission matrix
# Each state-changing path, tried by every role. `True`: the change happens.

SUBMIT = {"anonymous": False, "editor": True, "publisher": True, "superuser": True}
PUBLISH = {"anonymous": False, "editor": False, "publisher": True, "superuser": True}


def _draft():
    return make_release(status=Status.DRAFT, publish_at=None)


def _in_review_by_someone_else():
    other = make_user("editor", "colleague")
    return make_release(status=Status.IN_REVIEW, publish_at=None, submitted_by=other)


def _live():
    return make_release()


@pytest.mark.parametrize("role", ROLES)
def test_submitting_through_the_form(role):
    release = _draft()
    post_form(client_for(role), release, status=Status.IN_REVIEW)
    assert (refreshed(release).status == Status.IN_REVIEW) is SUBMIT[role]


@pytest.mark.parametrize("role", ROLES)
def test_publishing_through_the_form(role):
    release = _in_review_by_someone_else()
    response = post_form(client_for(role), release, status=Status.PUBLISHED)
    assert (refreshed(release).status == Status.PUBLISHED) is PUBLISH[role]
    if role == "editor":
        # The status field offers what the editor may choose: "published" is not a valid choice.
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_scheduling_through_the_form(role):
    release = _in_review_by_someone_else()
    at = timezone.now() + datetime.timedelta(days=2)
    post_form(
        client_for(role),
        release,
        status=Status.PUBLISHED,
        publish_at_0=local(at).date().isoformat(),
        publish_at_1=local(at).strftime("%H:%M:%S"),
    )
    stored = refreshed(release)
    assert (stored.status == Status.PUBLISHED and stored.is_scheduled) is PUBLISH[role]


@pytest.mark.parametrize("role", ROLES)
def test_withdrawing_through_the_form(role):
    release = _live()
    response = post_form(
        client_for(role), release, status=Status.WITHDRAWN, withdrawal_note="Issued in error."
    )
    assert (refreshed(release).status == Status.WITHDRAWN) is PUBLISH[role]
    if role == "editor":
        assert response.status_code == 403  # what is live is read-only to editors


@pytest.mark.parametrize("role", ROLES)
def test_editing_a_live_release(role):
    release = _live()
    post_form(client_for(role), release, title="Changed title", small_fix="on")
    assert (refreshed(release).title == "Changed title") is PUBLISH[role]


def _action(client, action, release):
    return client.post(
        reverse("admin:releases_release_changelist"),
        {"action": action, "_selected_action": [release.pk]},
    )


@pytest.mark.parametrize("role", ROLES)
def test_submit_action(role):
    release = _draft()
    _action(client_for(role), "submit_for_review", release)
    assert (refreshed(release).status == Status.IN_REVIEW) is SUBMIT[role]


@pytest.mark.parametrize("role", ROLES)
def test_publish_action(role):
    release = _in_review_by_someone_else()
    _action(client_for(role), "publish_now", release)
    assert (refreshed(release).status == Status.PUBLISHED) is PUBLISH[role]


@pytest.mark.parametrize("role", ROLES)
def test_return_to_draft_action(role):
    release = _in_review_by_someone_else()
    _action(client_for(role), "return_to_draft", release)
    assert (refreshed(release).status == Status.DRAFT) is SUBMIT[role]


@pytest.mark.parametrize("role", ROLES)
def test_return_to_draft_action_cannot_unpublish_what_is_live(role):
    release = _live()
    _action(client_for(role), "return_to_draft", release)
    assert refreshed(release).status == Status.PUBLISHED


@pytest.mark.parametrize("role", ROLES)
def test_delete_action_and_page_on_a_live_release(role):
    release = _live()
    client = client_for(role)
    client.post(
        reverse("admin:releases_release_changelist"),
        {"action": "delete_selected", "_selected_action": [release.pk], "post": "yes"},
    )
    client.post(reverse("admin:releases_release_delete", args=[release.pk]), {"post": "yes"})
    # Only a superuser deletes what was published; everyone else withdraws it.
    assert Release.objects.filter(pk=release.pk).exists() is (role != "superuser")


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_preview_link(role):
    release = make_release(publish_at=timezone.now() + datetime.timedelta(days=1))
    client_for(role).post(
        reverse("admin:releases_release_create_preview_link", args=[release.pk]),
        {"label": "Kazinform", "hours": "48"},
    )
    assert release.preview_links.exists() is (role != "anonymous")


@pytest.mark.parametrize("role", ROLES)
def test_revoking_a_preview_link(role):
    release = make_release(publish_at=timezone.now() + datetime.timedelta(days=1))
    link = _link(release)
    client_for(role).post(
        reverse("admin:releases_release_revoke_preview_link", args=[release.pk, link.pk])
    )
    link.refresh_from_db()
    assert (link.revoked_at is not None) is (role != "anonymous")


@pytest.mark.parametrize("role", ROLES)
def test_restoring_a_revision_of_a_live_release(role):
    release = _live()
    old_revision = release.history.latest("history_id")
    release.body = "Newer body."
    release.save()
    client = client_for(role)
    url = reverse(
        "admin:releases_release_simple_history", args=[release.pk, old_revision.history_id]
    )
    data = form_data(release, body=old_revision.body, small_fix="on")
    client.post(url, data)
    assert (refreshed(release).body == old_revision.body) is PUBLISH[role]


def test_an_editor_cannot_create_a_release_already_published():
    client = client_for("editor")
    release = _draft()
    data = form_data(release, slug="fresh-slug", status=Status.PUBLISHED)
    client.post(reverse("admin:releases_release_add"), data)
    assert not Release.objects.filter(slug="fresh-slug").exists()


def test_an_editor_sees_a_live_release_read_only():
    release = _live()
    response = client_for("editor").get(change_url(release))
    assert response.status_code == 200
    assert 'name="title"' not in response.content.decode()


# ---------------------------------------------------------------- second pair of eyes


def test_a_publisher_cannot_approve_their_own_submission_without_a_reason():
    client = client_for("publisher")
    release = _draft()
    post_form(client, release, status=Status.IN_REVIEW)
    assert refreshed(release).submitted_by.username == "publisher"

    response = post_form(client, release, status=Status.PUBLISHED)
    assert refreshed(release).status == Status.IN_REVIEW
    assert "another publisher should approve it" in response.content.decode()

    post_form(client, release, status=Status.PUBLISHED, force_reason="Minister's deadline, 18:00")
    stored = refreshed(release)
    assert stored.status == Status.PUBLISHED and stored.is_public
    entry = StateChange.for_item(stored).first()
    assert entry.action == StateChange.Action.PUBLISHED
    assert entry.reason == "Minister's deadline, 18:00"
    assert entry.user.username == "publisher"


def test_publishing_a_draft_nobody_reviewed_needs_a_reason_too():
    release = _draft()
    response = post_form(client_for("publisher"), release, status=Status.PUBLISHED)
    assert refreshed(release).status == Status.DRAFT
    assert "give your reason" in response.content.decode()


def test_another_publisher_approves_without_a_reason():
    release = _draft()
    post_form(client_for("editor"), release, status=Status.IN_REVIEW)
    post_form(client_for("publisher"), release, status=Status.PUBLISHED)
    assert refreshed(release).is_public
    actions = [e.action for e in StateChange.for_item(release)]
    assert actions == [StateChange.Action.PUBLISHED, StateChange.Action.SUBMITTED]


def test_the_bulk_publish_action_skips_own_submissions_and_says_so():
    client = client_for("publisher")
    mine = _draft()
    post_form(client, mine, status=Status.IN_REVIEW)
    theirs = _in_review_by_someone_else()
    response = client.post(
        reverse("admin:releases_release_changelist"),
        {"action": "publish_now", "_selected_action": [mine.pk, theirs.pk]},
        follow=True,
    )
    assert refreshed(theirs).is_public
    assert refreshed(mine).status == Status.IN_REVIEW
    assert "another publisher should approve it" in response.content.decode()


# ---------------------------------------------------------------- withdrawal and change notes


def test_withdrawing_needs_a_public_note_which_replaces_the_text():
    release = make_release(body="The text that was wrong.")
    client = client_for("publisher")
    response = post_form(client, release, status=Status.WITHDRAWN, withdrawal_note="")
    assert refreshed(release).status == Status.PUBLISHED
    assert "Say publicly why this is withdrawn" in response.content.decode()

    post_form(client, release, status=Status.WITHDRAWN, withdrawal_note="Issued in error.")
    page = Client().get(release.get_absolute_url()).content.decode()
    assert "Issued in error." in page and "The text that was wrong." not in page
    assert StateChange.for_item(release).first().action == StateChange.Action.WITHDRAWN


def test_a_correction_to_a_live_release_needs_a_change_note_shown_with_its_date():
    release = make_release(body="The meeting is on 12 May.")
    client = client_for("publisher")
    response = post_form(client, release, body="The meeting is on 14 May.")
    assert refreshed(release).body == "The meeting is on 12 May."
    assert "say publicly what you corrected" in response.content.decode()

    with time_machine.travel(datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC), tick=False):
        post_form(
            client,
            release,
            body="The meeting is on 14 May.",
            change_note="Corrected the date of the meeting.",
        )
    assert refreshed(release).body == "The meeting is on 14 May."
    page = Client().get(release.get_absolute_url()).content.decode()
    assert "Corrected the date of the meeting." in page
    assert "20 November 2026" in page
    api = Client().get(f"/api/v1/releases/{release.slug}/").json()
    assert api["change_notes"] == [
        {"date": "2026-11-20T14:00:00+05:00", "note": "Corrected the date of the meeting."}
    ]


def test_a_small_fix_skips_the_change_note():
    release = make_release(body="Teh text.")
    post_form(client_for("publisher"), release, body="The text.", small_fix="on")
    assert refreshed(release).body == "The text."
    assert not ChangeNote.objects.exists()


def test_drafts_need_no_change_note():
    release = _draft()
    post_form(client_for("editor"), release, body="Rewritten.")
    assert refreshed(release).body == "Rewritten."


# ---------------------------------------------------------------- concurrent edits


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_its_text():
    release = _draft()
    first, second = client_for("editor", "aigerim"), client_for("editor", "daniyar")
    # Both open the form at version 1.
    stale = form_data(release)
    post_form(first, release, title="Aigerim's title")
    assert refreshed(release).version == stale["version"] + 1

    stale.update(title="Daniyar's title", body="Daniyar's body")
    response = second.post(change_url(release), stale)
    page = response.content.decode()
    assert response.status_code == 200
    assert "aigerim saved this release" in page and "while you were editing" in page
    assert "they changed: Title" in page
    assert "Daniyar&#x27;s body" in page  # still in the form, nothing lost
    assert refreshed(release).title == "Aigerim's title"  # nothing overwritten

    # Having been told, Daniyar saves again (the form now carries the current version).
    version = response.context["adminform"].form.data["version"]
    stale["version"] = version
    second.post(change_url(release), stale)
    assert refreshed(release).title == "Daniyar's title"


def test_every_save_moves_the_version_on():
    release = _draft()
    release.save()
    release.save(update_fields=["title"])
    assert refreshed(release).version == 3


# ---------------------------------------------------------------- preview links and staff preview


def _link(release, hours=48):
    return PreviewLink.objects.create(
        release=release,
        token=PreviewLink.new_token(),
        expires_at=timezone.now() + datetime.timedelta(hours=hours),
    )


def test_a_preview_link_shows_the_embargoed_page_marked_and_unindexed():
    go_live = timezone.now() + datetime.timedelta(days=2)
    release = make_release(title="Embargoed statement", publish_at=go_live)
    client = client_for("publisher")
    client.post(
        reverse("admin:releases_release_create_preview_link", args=[release.pk]),
        {"label": "Kazinform", "hours": "48"},
    )
    link = release.preview_links.get()
    assert link.expires_at - timezone.now() > datetime.timedelta(hours=47)
    assert StateChange.for_item(release).first().action == StateChange.Action.PREVIEW_CREATED

    response = Client().get(link.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Embargoed statement" in page and "Embargoed until" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    # The public address is still a 404 for everyone else.
    assert Client().get(release.get_absolute_url()).status_code == 404


def test_a_preview_link_shows_nothing_else_hidden():
    from .factories import make_event

    release = make_release(publish_at=timezone.now() + datetime.timedelta(days=2))
    hidden_event = make_event(title="Secret summit", status=Status.DRAFT, publish_at=None)
    release.events.add(hidden_event)
    page = Client().get(_link(release).get_absolute_url()).content.decode()
    assert "Secret summit" not in page


def test_a_preview_link_expires():
    release = make_release(publish_at=timezone.now() + datetime.timedelta(days=5))
    link = _link(release, hours=48)
    assert Client().get(link.get_absolute_url()).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49)):
        assert Client().get(link.get_absolute_url()).status_code == 404


def test_a_revoked_preview_link_stops_working():
    release = make_release(publish_at=timezone.now() + datetime.timedelta(days=5))
    link = _link(release)
    client_for("editor").post(
        reverse("admin:releases_release_revoke_preview_link", args=[release.pk, link.pk])
    )
    assert Client().get(link.get_absolute_url()).status_code == 404
    actions = [e.action for e in StateChange.for_item(release)]
    assert actions[0] == StateChange.Action.PREVIEW_REVOKED


def test_a_forged_or_altered_preview_token_is_refused():
    release = make_release(publish_at=timezone.now() + datetime.timedelta(days=5))
    link = _link(release)
    assert Client().get(f"/preview/{link.token[:-2]}xx/").status_code == 404
    assert Client().get("/preview/anything/").status_code == 404


def test_a_preview_link_leads_to_the_public_page_once_live():
    go_live = timezone.now() + datetime.timedelta(hours=2)
    release = make_release(publish_at=go_live)
    link = _link(release)
    with time_machine.travel(go_live + datetime.timedelta(minutes=1)):
        response = Client().get(link.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == release.get_absolute_url()


def test_staff_preview_any_draft_and_visitors_cannot():
    release = _draft()
    url = reverse("admin:releases_release_preview", args=[release.pk])
    response = client_for("editor").get(url)
    assert response.status_code == 200
    assert "Preview: not published" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert Client().get(url).status_code == 302  # to the login
    change_page = client_for("editor", "other").get(change_url(release)).content.decode()
    assert f'href="{url}"' in change_page


# ---------------------------------------------------------------- history


def test_every_save_path_keeps_a_revision_with_who():
    release = _draft()
    editor = client_for("editor")
    post_form(editor, release, body="Edited in the form.")
    _action(editor, "submit_for_review", release)
    users = [r.history_user.username if r.history_user else None for r in release.history.all()]
    assert users[:2] == ["editor", "editor"]
    assert release.history.count() == 3


def test_a_readable_comparison_of_two_revisions():
    release = _draft()
    release.body = "The ministers met in Astana on Monday."
    release.save()
    release.body = "The ministers met in Almaty on Monday."
    release.save()
    newest = release.history.latest("history_id")
    url = reverse("admin:releases_release_compare", args=[release.pk, newest.history_id])
    page = client_for("editor").get(url).content.decode()
    assert "<del>Astana</del>" in page and "<ins>Almaty</ins>" in page
    assert "The ministers met in " in page


def test_restoring_an_old_revision_keeps_the_current_state():
    release = make_release(body="First wording.")
    first = release.history.latest("history_id")
    release.body = "Second wording."
    release.save()
    client = client_for("publisher")
    url = reverse("admin:releases_release_simple_history", args=[release.pk, first.history_id])
    form = client.get(url).context["adminform"].form
    assert form.initial["version"] == refreshed(release).version
    client.post(url, form_data(release, body="First wording.", small_fix="on"))
    stored = refreshed(release)
    assert stored.body == "First wording." and stored.is_public


def test_the_history_list_links_each_revision_to_its_changes():
    release = _draft()
    release.body = "Changed."
    release.save()
    page = client_for("editor").get(reverse("admin:releases_release_history", args=[release.pk]))
    assert "what changed" in page.content.decode()


# ---------------------------------------------------------------- dashboard, markdown, lockout


def test_the_dashboard_lists_what_goes_live_next_and_what_waits_for_review():
    at = datetime.datetime(2026, 12, 1, 5, 0, tzinfo=datetime.UTC)
    with time_machine.travel(datetime.datetime(2026, 11, 22, tzinfo=datetime.UTC)):
        make_release(title="Going out Tuesday", publish_at=at)
        _in_review_by_someone_else()
        page = client_for("editor").get(reverse("admin:index")).content.decode()
    assert "Going out Tuesday" in page
    assert "01 Dec 2026, 10:00 Astana (05:00 UTC)" in page
    assert "Waiting for review" in page and "colleague" in page


def test_the_markdown_preview_is_sanitised_and_for_staff_only():
    url = reverse("admin:releases_release_render_markdown")
    editor = client_for("editor")
    html = editor.post(url, {"text": "**Bold** <script>alert(1)</script>"}).json()["html"]
    assert "<strong>Bold</strong>" in html and "<script" not in html
    assert editor.get(url).status_code == 405
    assert Client().post(url, {"text": "x"}).status_code == 302


def test_the_admin_login_locks_out_after_repeated_failures(settings):
    make_user("editor", "target")
    client = Client()
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            "/admin/login/?next=/admin/", {"username": "target", "password": "wrong"}
        )
        # The form again with its error, until the last allowed failure locks the account.
        assert response.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "target", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    # Another address is not locked out of the same account.
    other = Client(REMOTE_ADDR="10.0.0.9")
    response = other.post(
        "/admin/login/?next=/admin/", {"username": "target", "password": PASSWORD}
    )
    assert response.status_code == 302


# ---------------------------------------------------------------- embargo across every output

API_OUTPUTS = [
    "/api/v1/releases/",
    "/api/v1/releases/?search=Zqxbodyword",
    "/api/v1/events/",
    "/api/v1/people/",
    "/api/v1/topics/",
    "/api/v1/organisations/",
]
API_HIDDEN = [
    "/api/v1/releases/secret-release/",
    "/api/v1/events/secret-event/",
    "/api/v1/people/hidden-person/",
    "/api/v1/topics/hidden-topic/",
    "/api/v1/organisations/hidden-organisation/",
]


def test_an_embargoed_release_is_nowhere_until_its_time_then_everywhere(time_machine):
    import re

    from .test_site import HIDDEN_URLS, PUBLIC_OUTPUTS, _hidden

    release = _hidden("scheduled")
    client = Client()

    def shown(url):
        # The visitor's own query comes back in the search box and the title; results must not.
        body = client.get(url).content.decode()
        body = re.sub(r'value="[^"]*"|<title>.*?</title>', "", body)
        return "Zqx" in body or "secret-release" in body

    for url in [*PUBLIC_OUTPUTS, *API_OUTPUTS]:
        assert not shown(url), url
    for url in [release.get_absolute_url(), *HIDDEN_URLS, *API_HIDDEN]:
        assert client.get(url).status_code == 404, url

    time_machine.move_to(release.publish_at + datetime.timedelta(seconds=1))
    for url in [*PUBLIC_OUTPUTS, *API_OUTPUTS]:
        if url in ("/people/", "/api/v1/people/", "/api/v1/topics/", "/api/v1/organisations/"):
            continue  # they list names, not the release's words
        assert shown(url), url
    for url in [release.get_absolute_url(), *HIDDEN_URLS, *API_HIDDEN]:
        assert client.get(url).status_code == 200, url
    assert "Hidden Person" in client.get("/people/").content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_event_workflow_needs_the_event_permission(role):
    from .factories import make_event

    other = make_user("editor", "colleague")
    event = make_event(status=Status.IN_REVIEW, publish_at=None, submitted_by=other)
    client_for(role).post(
        reverse("admin:releases_event_changelist"),
        {"action": "publish_now", "_selected_action": [event.pk]},
    )
    event.refresh_from_db()
    assert (event.status == Status.PUBLISHED) is PUBLISH[role]


def test_the_workflow_itself_refuses_an_editor_whatever_a_form_offers():
    from editorial import workflow

    editor = make_user("editor")
    release = _in_review_by_someone_else()
    before = refreshed(release)
    release.status = Status.PUBLISHED
    with pytest.raises(workflow.WorkflowError, match="Only a publisher"):
        workflow.check(editor, release, before)
    live = _live()
    live.title = "Quietly changed"
    with pytest.raises(workflow.WorkflowError, match="Only a publisher"):
        workflow.check(editor, live, refreshed(live))
    with pytest.raises(workflow.WorkflowError, match="already live"):
        live.status = Status.DRAFT
        workflow.check(make_user("publisher"), live, refreshed(live))


def test_unscheduling_returns_an_embargoed_release_to_draft():
    release = make_release(publish_at=timezone.now() + datetime.timedelta(days=1))
    post_form(client_for("publisher"), release, status=Status.DRAFT)
    assert refreshed(release).status == Status.DRAFT
    assert StateChange.for_item(release).first().action == StateChange.Action.UNSCHEDULED


def test_imported_releases_are_logged_and_have_history(seeds):
    release = next(iter(seeds.values()))
    entry = StateChange.for_item(release).get()
    assert entry.action == StateChange.Action.PUBLISHED and entry.user is None
    assert "imported from" in release.history.get().history_change_reason


def test_the_admin_alone_may_apply_inline_styles_and_no_page_runs_inline_scripts():
    def directives(policy: str) -> dict[str, str]:
        # The order of directives in the header is not fixed: compare them one by one.
        return dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())

    admin_policy = directives(client_for("editor").get("/admin/")["Content-Security-Policy"])
    public_policy = directives(Client().get("/")["Content-Security-Policy"])
    assert admin_policy["style-src"] == "'self' 'unsafe-inline'"
    assert admin_policy["script-src"] == public_policy["script-src"] == "'self'"
    assert "unsafe-inline" not in " ".join(public_policy.values())


@pytest.mark.parametrize("kind", ["person", "organisation", "mediacontact"])
def test_people_organisations_and_contacts_have_comparable_revisions(kind):
    from .factories import make_contact, make_organisation, make_person

    item = {"person": make_person, "organisation": make_organisation}.get(kind, make_contact)()
    item.name = "A corrected name"
    item.save()
    newest = item.history.latest("history_id")
    url = reverse(f"admin:contacts_{kind}_compare", args=[item.pk, newest.history_id])
    page = client_for("editor").get(url).content.decode()
    assert '<th scope="row">Name</th>' in page
    assert "<ins>corrected" in page and "<del>" in page


def test_a_preview_token_fits_its_column():
    token = PreviewLink.new_token()
    assert len(token) <= PreviewLink._meta.get_field("token").max_length
