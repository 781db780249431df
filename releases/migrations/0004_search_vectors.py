"""PostgreSQL only: stored full-text search vectors kept current by the database, with GIN indexes.

A generated column is recomputed by PostgreSQL on every insert and update, so no code path can
forget it. SQLite has no tsvector; there the search falls back to word matching (see
PublishableQuerySet.search), and this migration does nothing.
"""

from django.db import migrations

VECTORS = {
    "releases_release": "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(lead, '')), 'B') || "
    "setweight(to_tsvector('simple', coalesce(body, '')), 'C')",
    "releases_event": "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('simple', coalesce(description, '')), 'C')",
}


def add_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, expression in VECTORS.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {table}_search_gin ON {table} USING gin (search_vector)")


def drop_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in VECTORS:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")


class Migration(migrations.Migration):
    dependencies = [("releases", "0003_index_source_file")]

    operations = [migrations.RunPython(add_vectors, drop_vectors)]
