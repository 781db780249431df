"""Preview links and staff previews: embargoed pages for the people meant to see them."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editorial.models import StateChange, Status
from releases.models import PreviewLink

from .factories import make_release
from .workspace import change_url, client_for, draft, preview_link

pytestmark = pytest.mark.django_db


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
    page = Client().get(preview_link(release).get_absolute_url()).content.decode()
    assert "Secret summit" not in page


def test_a_preview_link_expires():
    release = make_release(publish_at=timezone.now() + datetime.timedelta(days=5))
    link = preview_link(release, hours=48)
    assert Client().get(link.get_absolute_url()).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49)):
        assert Client().get(link.get_absolute_url()).status_code == 404


def test_a_revoked_preview_link_stops_working():
    release = make_release(publish_at=timezone.now() + datetime.timedelta(days=5))
    link = preview_link(release)
    client_for("editor").post(
        reverse("admin:releases_release_revoke_preview_link", args=[release.pk, link.pk])
    )
    assert Client().get(link.get_absolute_url()).status_code == 404
    actions = [e.action for e in StateChange.for_item(release)]
    assert actions[0] == StateChange.Action.PREVIEW_REVOKED


def test_a_forged_or_altered_preview_token_is_refused():
    release = make_release(publish_at=timezone.now() + datetime.timedelta(days=5))
    link = preview_link(release)
    assert Client().get(f"/preview/{link.token[:-2]}xx/").status_code == 404
    assert Client().get("/preview/anything/").status_code == 404


def test_a_preview_link_leads_to_the_public_page_once_live():
    go_live = timezone.now() + datetime.timedelta(hours=2)
    release = make_release(publish_at=go_live)
    link = preview_link(release)
    with time_machine.travel(go_live + datetime.timedelta(minutes=1)):
        response = Client().get(link.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == release.get_absolute_url()


def test_staff_preview_any_draft_and_visitors_cannot():
    release = draft()
    url = reverse("admin:releases_release_preview", args=[release.pk])
    response = client_for("editor").get(url)
    assert response.status_code == 200
    assert "Preview: not published" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert Client().get(url).status_code == 302  # to the login
    change_page = client_for("editor", "other").get(change_url(release)).content.decode()
    assert f'href="{url}"' in change_page


# ---------------------------------------------------------------- history


def test_a_preview_token_fits_its_column():
    token = PreviewLink.new_token()
    assert len(token) <= PreviewLink._meta.get_field("token").max_length
