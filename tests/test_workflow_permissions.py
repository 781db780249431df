"""Each state-changing path of the workflow, tried by every role."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from editorial.models import StateChange, Status
from releases.models import Release

from .factories import make_release
from .workspace import (
    PUBLISH,
    ROLES,
    SUBMIT,
    bulk_action,
    change_url,
    client_for,
    draft,
    form_data,
    in_review_by_someone_else,
    live,
    local,
    post_form,
    preview_link,
    refreshed,
)

pytestmark = pytest.mark.django_db

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


@pytest.mark.parametrize("role", ROLES)
def test_submitting_through_the_form(role):
    release = draft()
    post_form(client_for(role), release, status=Status.IN_REVIEW)
    assert (refreshed(release).status == Status.IN_REVIEW) is SUBMIT[role]


@pytest.mark.parametrize("role", ROLES)
def test_publishing_through_the_form(role):
    release = in_review_by_someone_else()
    response = post_form(client_for(role), release, status=Status.PUBLISHED)
    assert (refreshed(release).status == Status.PUBLISHED) is PUBLISH[role]
    if role == "editor":
        # The status field offers what the editor may choose: "published" is not a valid choice.
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_scheduling_through_the_form(role):
    release = in_review_by_someone_else()
    at = timezone.now() + datetime.timedelta(days=2)
    post_form(
        client_for(role),
        release,
        status=Status.PUBLISHED,
        publish_at=local(at).strftime("%Y-%m-%dT%H:%M:%S"),
    )
    stored = refreshed(release)
    assert (stored.status == Status.PUBLISHED and stored.is_scheduled) is PUBLISH[role]


@pytest.mark.parametrize("role", ROLES)
def test_withdrawing_through_the_form(role):
    release = live()
    response = post_form(
        client_for(role), release, status=Status.WITHDRAWN, withdrawal_note="Issued in error."
    )
    assert (refreshed(release).status == Status.WITHDRAWN) is PUBLISH[role]
    if role == "editor":
        assert response.status_code == 403  # what is live is read-only to editors


@pytest.mark.parametrize("role", ROLES)
def test_editing_a_live_release(role):
    release = live()
    post_form(client_for(role), release, title="Changed title", small_fix="on")
    assert (refreshed(release).title == "Changed title") is PUBLISH[role]


@pytest.mark.parametrize("role", ROLES)
def test_submit_action(role):
    release = draft()
    bulk_action(client_for(role), "submit_for_review", release)
    assert (refreshed(release).status == Status.IN_REVIEW) is SUBMIT[role]


@pytest.mark.parametrize("role", ROLES)
def test_publish_action(role):
    release = in_review_by_someone_else()
    bulk_action(client_for(role), "publish_now", release)
    assert (refreshed(release).status == Status.PUBLISHED) is PUBLISH[role]


@pytest.mark.parametrize("role", ROLES)
def test_return_to_draft_action(role):
    """Returning a colleague's submission asks why first; with the comment it goes back."""
    release = in_review_by_someone_else()
    client = client_for(role)
    asked = bulk_action(client, "return_to_draft", release)
    assert refreshed(release).status == Status.IN_REVIEW
    if SUBMIT[role]:
        assert "Why they go back to draft" in asked.content.decode()
    client.post(
        reverse("admin:releases_release_changelist"),
        {
            "action": "return_to_draft",
            "_selected_action": [release.pk],
            "review_comment": "Check the minister's title.",
        },
    )
    assert (refreshed(release).status == Status.DRAFT) is SUBMIT[role]


@pytest.mark.parametrize("role", ROLES)
def test_return_to_draft_action_cannot_unpublish_what_is_live(role):
    release = live()
    bulk_action(client_for(role), "return_to_draft", release)
    assert refreshed(release).status == Status.PUBLISHED


@pytest.mark.parametrize("role", ROLES)
def test_delete_action_and_page_on_a_live_release(role):
    from editorial import workflow

    release = live()
    workflow.log(None, release, "published")
    client = client_for(role)
    client.post(
        reverse("admin:releases_release_changelist"),
        {"action": "delete_selected", "_selected_action": [release.pk], "post": "yes"},
    )
    client.post(reverse("admin:releases_release_delete", args=[release.pk]), {"post": "yes"})
    # What was published is withdrawn, never deleted, whoever asks (a superuser too).
    assert Release.objects.filter(pk=release.pk).exists()


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
    link = preview_link(release)
    client_for(role).post(
        reverse("admin:releases_release_revoke_preview_link", args=[release.pk, link.pk])
    )
    link.refresh_from_db()
    assert (link.revoked_at is not None) is (role != "anonymous")


@pytest.mark.parametrize("role", ROLES)
def test_restoring_a_revision_of_a_live_release(role):
    release = live()
    old_revision = release.history.latest("history_id")
    release.body = "Newer body."
    release.save()
    client = client_for(role)
    url = reverse(
        "admin:releases_release_simple_history", args=[release.pk, old_revision.history_id]
    )
    data = form_data(release, body=old_revision.body, small_fix="on", restore_reason="Agreed.")
    client.post(url, data)
    assert (refreshed(release).body == old_revision.body) is PUBLISH[role]


def test_an_editor_cannot_create_a_release_already_published():
    client = client_for("editor")
    release = draft()
    data = form_data(release, slug="fresh-slug", status=Status.PUBLISHED)
    client.post(reverse("admin:releases_release_add"), data)
    assert not Release.objects.filter(slug="fresh-slug").exists()


def test_an_editor_sees_a_live_release_read_only():
    release = live()
    response = client_for("editor").get(change_url(release))
    assert response.status_code == 200
    assert 'name="title"' not in response.content.decode()


# ---------------------------------------------------------------- second pair of eyes


def test_a_publisher_cannot_approve_their_own_submission_without_a_reason():
    client = client_for("publisher")
    release = draft()
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
    release = draft()
    response = post_form(client_for("publisher"), release, status=Status.PUBLISHED)
    assert refreshed(release).status == Status.DRAFT
    assert "give your reason" in response.content.decode()


def test_another_publisher_approves_without_a_reason():
    release = draft()
    post_form(client_for("editor"), release, status=Status.IN_REVIEW)
    post_form(client_for("publisher"), release, status=Status.PUBLISHED)
    assert refreshed(release).is_public
    actions = [e.action for e in StateChange.for_item(release)]
    assert actions == [StateChange.Action.PUBLISHED, StateChange.Action.SUBMITTED]


def test_bulk_publishing_ones_own_submission_asks_why_first():
    client = client_for("publisher")
    mine = draft()
    post_form(client, mine, status=Status.IN_REVIEW)
    theirs = in_review_by_someone_else()
    selected = {"action": "publish_now", "_selected_action": [mine.pk, theirs.pk]}
    asked = client.post(reverse("admin:releases_release_changelist"), selected)
    assert asked.status_code == 200 and 'name="force_reason"' in asked.content.decode()
    assert not refreshed(theirs).is_public and refreshed(mine).status == Status.IN_REVIEW
    client.post(
        reverse("admin:releases_release_changelist"),
        {**selected, "force_reason": "The second publisher is on leave."},
    )
    assert refreshed(theirs).is_public and refreshed(mine).is_public


# ---------------------------------------------------------------- withdrawal and change notes
