"""The portal's smoke in a process of its own, against the databases its environment names
(DATABASE_URL, DATABASE_REPLICA_URL): tests/test_scaling.py runs it behind PgBouncer and with a
streaming replica. Prints one JSON object: each address's status and how many queries each
database answered for it."""

import json
import os
import time
import uuid

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cica_portal.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from core.database import public_reads  # noqa: E402
from releases.models import Release, Topic  # noqa: E402
from tests.factories import make_event, make_release  # noqa: E402


def counted(action):
    """(result, {alias: queries}) of `action()`."""
    captures = {alias: CaptureQueriesContext(connections[alias]) for alias in settings.DATABASES}
    for capture in captures.values():
        capture.__enter__()
    try:
        result = action()
    finally:
        for capture in captures.values():
            capture.__exit__(None, None, None)
    return result, {alias: len(capture) for alias, capture in captures.items()}


def main():
    report = {}
    run = uuid.uuid4().hex[:8]  # the smoke may run twice on one database
    release = make_release(title="Smoke: ministers meet in Astana", slug=f"smoke-{run}")
    event = make_event(title="Smoke: the summit", slug=f"smoke-summit-{run}")
    if "replica" in settings.DATABASES:
        deadline = time.monotonic() + 20
        while not Release.objects.using("replica").filter(pk=release.pk).exists():
            assert time.monotonic() < deadline, "the replica never caught up"
            time.sleep(0.05)
    visitor = Client()
    # Just after the purge the publish made, pages read the primary.
    report["just after a change"] = counted(lambda: visitor.get("/events/").status_code)
    time.sleep(settings.DATABASE_REPLICA_LAG_SECONDS + 0.1)
    pages = [
        "/",
        "/press-releases/",
        release.get_absolute_url(),
        event.get_absolute_url(),
        "/people/",
        "/search/?q=ministers",
        "/press-releases/feed/",
        "/api/v1/releases/",
        f"/api/v1/releases/{release.slug}/",
        "/api/v1/events/",
    ]
    for path in pages:
        report[path] = counted(lambda path=path: visitor.get(path).status_code)

    editor = get_user_model().objects.create_superuser(
        f"smoke-{run}", "smoke@example.org", "x" * 20
    )
    staff = Client()
    staff.force_login(editor)
    for path in ("/admin/releases/release/", f"/admin/releases/release/{release.pk}/change/"):
        report[f"signed in {path}"] = counted(lambda path=path: staff.get(path).status_code)

    def write_then_read():
        with public_reads():
            before = counted(lambda: Release.objects.count())[1]
            Topic.objects.create(name=f"Smoke topic {run}", slug=f"smoke-{run}")
            after = counted(lambda: Topic.objects.filter(slug=f"smoke-{run}").count())
        return {"before": before, "after": after[1], "found": after[0]}

    report["write then read"] = write_then_read()
    # Reused statements and a server-side iteration, which a pooler in transaction mode breaks
    # when misconfigured (prepared statements, cursors WITH HOLD).
    for _ in range(12):
        Release.objects.filter(pk=release.pk).exists()
    report["iterated"] = sum(1 for _ in Release.objects.iterator(chunk_size=1))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
