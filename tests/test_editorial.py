"""The editorial workspace: second pair of eyes, change notes, stale saves, history, the
dashboard and the login lockout."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editorial.models import ChangeNote, StateChange, Status

from .factories import make_release
from .workspace import (
    PASSWORD,
    PUBLISH,
    ROLES,
    bulk_action,
    change_url,
    client_for,
    draft,
    form_data,
    in_review_by_someone_else,
    live,
    make_user,
    post_form,
    refreshed,
)

pytestmark = pytest.mark.django_db


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
    release = draft()
    post_form(client_for("editor"), release, body="Rewritten.")
    assert refreshed(release).body == "Rewritten."


# ---------------------------------------------------------------- concurrent edits


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_its_text():
    release = draft()
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
    assert "You both changed: Title" in page
    assert "Daniyar&#x27;s body" in page  # still in the form, nothing lost
    assert refreshed(release).title == "Aigerim's title"  # nothing overwritten

    # The next save carries the current version and the fields in conflict; without a choice
    # for each it is refused again, naming the field.
    form = response.context["adminform"].form
    stale["version"] = form.data["version"]
    stale["conflicts"] = form.data["conflicts"]
    assert stale["conflicts"] == "title"
    again = second.post(change_url(release), stale)
    assert again.status_code == 200
    assert "Choose which “Title” to keep." in again.content.decode()
    assert refreshed(release).title == "Aigerim's title"

    stale["resolve__title"] = "mine"
    assert second.post(change_url(release), stale).status_code == 302
    saved = refreshed(release)
    assert (saved.title, saved.body) == ("Daniyar's title", "Daniyar's body")


def test_after_a_conflict_the_next_save_keeps_what_only_they_changed():
    """The defect: pressing Save again silently overwrote the other editor's lead."""
    release = draft()
    first, second = client_for("editor", "aigerim"), client_for("editor", "daniyar")
    stale = form_data(release)
    post_form(first, release, lead="Aigerim's lead.", title="Aigerim's title")

    stale.update(body="Daniyar's body.", title="Daniyar's title")
    response = second.post(change_url(release), stale)
    form = response.context["adminform"].form
    page = response.content.decode()
    assert "Aigerim&#x27;s lead." in page  # their lead is now in the form
    assert "Theirs (saved)" in page and "Aigerim&#x27;s title" in page
    # The browser sends back what the form now holds, with a choice for the title.
    resent = form.data.copy()
    resent["resolve__title"] = "theirs"
    assert second.post(change_url(release), resent).status_code == 302
    saved = refreshed(release)
    assert saved.lead == "Aigerim's lead."
    assert saved.title == "Aigerim's title"
    assert saved.body == "Daniyar's body."


def test_every_save_moves_the_version_on():
    release = draft()
    release.save()
    release.save(update_fields=["title"])
    assert refreshed(release).version == 3


# ---------------------------------------------------------------- preview links and staff preview


def test_every_save_path_keeps_a_revision_with_who():
    release = draft()
    editor = client_for("editor")
    post_form(editor, release, body="Edited in the form.")
    bulk_action(editor, "submit_for_review", release)
    users = [r.history_user.username if r.history_user else None for r in release.history.all()]
    assert users[:2] == ["editor", "editor"]
    assert release.history.count() == 3


def test_a_readable_comparison_of_two_revisions():
    release = draft()
    release.body = "The ministers met in Astana on Monday."
    release.save()
    release.body = "The ministers met in Almaty on Monday."
    release.save()
    newest = release.history.latest("history_id")
    url = reverse("admin:releases_release_compare", args=[release.pk, newest.history_id])
    page = client_for("editor").get(url).content.decode()
    assert "<del>Astana</del>" in page and "<ins>Almaty</ins>" in page
    assert "The ministers met in " in page
    # The rendered HTML kept with each revision is not a change of its own.
    assert "Body html" not in page and "&lt;p&gt;" not in page


def test_restoring_an_old_revision_keeps_the_current_state():
    release = make_release(body="First wording.")
    first = release.history.latest("history_id")
    release.body = "Second wording."
    release.save()
    client = client_for("publisher")
    url = reverse("admin:releases_release_simple_history", args=[release.pk, first.history_id])
    form = client.get(url).context["adminform"].form
    assert form.initial["version"] == refreshed(release).version
    data = form_data(release, body="First wording.", small_fix="on")
    refused = client.post(url, data)  # a restore says why
    assert refused.status_code == 200 and "Say why this earlier text comes back." in (
        refused.content.decode()
    )
    assert refreshed(release).body == "Second wording."
    client.post(url, data | {"restore_reason": "The host asked for the first wording."})
    stored = refreshed(release)
    assert stored.body == "First wording." and stored.is_public
    newest = stored.history.latest("history_id")
    assert newest.history_change_reason == (
        f"Restored the text of version {first.version}: The host asked for the first wording."
    )


def test_the_history_list_links_each_revision_to_its_changes():
    release = draft()
    release.body = "Changed."
    release.save()
    page = client_for("editor").get(reverse("admin:releases_release_history", args=[release.pk]))
    assert "What changed" in page.content.decode()


# ---------------------------------------------------------------- dashboard, markdown, lockout


def test_the_dashboard_lists_what_goes_live_next_and_what_waits_for_review():
    at = datetime.datetime(2026, 12, 1, 5, 0, tzinfo=datetime.UTC)
    with time_machine.travel(datetime.datetime(2026, 11, 22, tzinfo=datetime.UTC)):
        make_release(title="Going out Tuesday", publish_at=at)
        in_review_by_someone_else()
        page = client_for("editor").get(reverse("admin:index")).content.decode()
    assert "Going out Tuesday" in page
    assert "1 December 2026, 10:00 Astana (05:00 UTC)" in page
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

    from .test_visibility import HIDDEN_URLS, PUBLIC_OUTPUTS, _hidden

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
    release = in_review_by_someone_else()
    before = refreshed(release)
    release.status = Status.PUBLISHED
    with pytest.raises(workflow.WorkflowError, match="Only a publisher"):
        workflow.check(editor, release, before)
    published = live()
    published.title = "Quietly changed"
    with pytest.raises(workflow.WorkflowError, match="Only a publisher"):
        workflow.check(editor, published, refreshed(published))
    with pytest.raises(workflow.WorkflowError, match="already live"):
        published.status = Status.DRAFT
        workflow.check(make_user("publisher"), published, refreshed(published))


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


def test_the_dashboard_offers_a_new_release_first():
    from .workspace import client_for

    page = client_for("editor").get("/admin/").content.decode()
    assert page.index("New release") < page.index("My drafts")
    assert 'href="/admin/releases/release/add/"' in page
