"""A database migrated at the layout before core/ and editorial/ keeps every row on migrating.

On PostgreSQL only, where the deployments that predate the move live: unapplying and applying
again some forty migrations costs about fifty seconds, once per database pass is enough."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

BEFORE_THE_MOVE = [
    ("editorial", None),
    ("releases", "0010_preview_token_length"),
    ("contacts", "0003_appointment_titles_in_russian"),
]


@pytest.fixture
def migrate_to(transactional_db):
    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state([t for t in targets if t[1]]).apps

    yield migrate
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_rows_revisions_permissions_and_the_log_survive_the_move_to_editorial(migrate_to):
    old = migrate_to(BEFORE_THE_MOVE)
    ContentType = old.get_model("contenttypes", "ContentType")
    Group = old.get_model("auth", "Group")
    Permission = old.get_model("auth", "Permission")
    now = timezone.now()
    release = old.get_model("releases", "Release").objects.create(
        title="Kept through the move", slug="kept", status="published", publish_at=now
    )
    old.get_model("releases", "HistoricalRelease").objects.create(
        id=release.pk,
        title=release.title,
        slug=release.slug,
        status="published",
        publish_at=now,
        history_date=now,
        history_type="+",
        language="en",
        translation_group=release.translation_group,
        created_at=now,
        updated_at=now,
        text_changed_at=now,
        version=1,
        kind="press_release",
    )
    release_type = ContentType.objects.get(app_label="releases", model="release")
    old.get_model("releases", "ChangeNote").objects.create(
        content_type=release_type, object_id=release.pk, note="Corrected the date."
    )
    old.get_model("releases", "StateChange").objects.create(
        content_type=release_type, object_id=release.pk, action="published", to_status="published"
    )
    old.get_model("releases", "PreviewLink").objects.create(
        release=release, token="token", expires_at=now + datetime.timedelta(days=1)
    )
    # As migration 0006 made them (a flush by an earlier test may have removed them).
    importlib.import_module("releases.migrations.0006_editorial_groups").create_groups(old, None)
    editors = Group.objects.get(name="Editor")
    assert editors.permissions.filter(
        codename="view_changenote", content_type__app_label="releases"
    ).exists()
    group_permissions = set(editors.permissions.values_list("codename", flat=True))

    new = migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Release = new.get_model("releases", "Release")
    assert Release.objects.get(slug="kept").title == "Kept through the move"
    assert new.get_model("releases", "HistoricalRelease").objects.filter(id=release.pk).count() == 1
    note = new.get_model("editorial", "ChangeNote").objects.get()
    assert (note.note, note.object_id) == ("Corrected the date.", release.pk)
    assert new.get_model("editorial", "StateChange").objects.get().action == "published"
    assert new.get_model("releases", "PreviewLink").objects.get().token == "token"
    editors = new.get_model("auth", "Group").objects.get(name="Editor")
    # Kept through the move (later migrations add the library's and the galleries' own).
    assert group_permissions <= set(editors.permissions.values_list("codename", flat=True))
    assert editors.permissions.filter(
        codename="view_changenote", content_type__app_label="editorial"
    ).exists()
    assert not Permission.objects.filter(
        content_type__app_label="releases", codename__endswith="changenote"
    ).exists()
