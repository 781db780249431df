"""The editor's workspace: language versions under embargo, saves that change nothing, the
preview's language, conflicts, reviewer comments, the admin's own screens."""

import datetime

import pytest
from django.utils import timezone

from editorial.models import StateChange, Status

from .factories import make_release
from .workspace import client_for, post_form, refreshed

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
