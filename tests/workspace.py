"""Helpers for the editorial workspace's tests: users in each role, their clients, the form."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from editorial.models import Status
from releases.models import PreviewLink, Release

from .factories import make_release

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
    """Everything the release change form posts, as the browser would send it (as stored, when
    it still is)."""
    if Release.objects.filter(pk=release.pk).exists():
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
        "publish_at": local(release.publish_at).strftime("%Y-%m-%dT%H:%M:%S")
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
        "gallery_items-TOTAL_FORMS": "0",
        "gallery_items-INITIAL_FORMS": "0",
        "gallery_items-MIN_NUM_FORMS": "0",
        "gallery_items-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def post_form(client, release, **changes):
    return client.post(change_url(release), form_data(release, **changes))


def refreshed(release):
    return Release.objects.get(pk=release.pk)


# ---------------------------------------------------------------- shared by several test files
# `True`: the change happens for that role.

SUBMIT = {"anonymous": False, "editor": True, "publisher": True, "superuser": True}
PUBLISH = {"anonymous": False, "editor": False, "publisher": True, "superuser": True}


def draft():
    return make_release(status=Status.DRAFT, publish_at=None)


def in_review_by_someone_else():
    other = make_user("editor", "colleague")
    return make_release(status=Status.IN_REVIEW, publish_at=None, submitted_by=other)


def live():
    return make_release()


def bulk_action(client, action, release):
    return client.post(
        reverse("admin:releases_release_changelist"),
        {"action": action, "_selected_action": [release.pk]},
    )


def preview_link(release, hours=48):
    return PreviewLink.objects.create(
        release=release,
        token=PreviewLink.new_token(),
        expires_at=timezone.now() + datetime.timedelta(hours=hours),
    )
