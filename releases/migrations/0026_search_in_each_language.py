"""PostgreSQL only: search vectors in each item's own language, with its names as written.

Each release's and event's words are stemmed by its language's dictionary (`english` or
`russian`), so "signed agreements" is found by "signing agreement" and "сотрудничества" by
"сотрудничество"; the title and lead (names of people, places and organisations) are also kept
as written (`simple`, weight D), so a name the stemmer does not know still matches in the form
typed. Still a generated column with its GIN index: no code path can forget it. SQLite keeps
its word matching (PublishableQuerySet.search)."""

from django.db import migrations


def config(column="language"):
    return f"(CASE {column} WHEN 'ru' THEN 'russian'::regconfig ELSE 'english'::regconfig END)"


VECTORS = {
    "releases_release": (
        f"setweight(to_tsvector({config()}, coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector({config()}, coalesce(lead, '')), 'B') || "
        f"setweight(to_tsvector({config()}, coalesce(body, '')), 'C') || "
        "setweight(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(lead, '')), 'D')"
    ),
    "releases_event": (
        f"setweight(to_tsvector({config()}, coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector({config()}, coalesce(description, '')), 'C') || "
        "setweight(to_tsvector('simple', coalesce(title, '')), 'D')"
    ),
}
OLD = __import__("importlib").import_module("releases.migrations.0004_search_vectors").VECTORS


def replace(vectors):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, expression in vectors.items():
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
                f"GENERATED ALWAYS AS ({expression}) STORED"
            )
            schema_editor.execute(
                f"CREATE INDEX {table}_search_gin ON {table} USING gin (search_vector)"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("releases", "0025_labels_in_both_languages")]

    operations = [migrations.RunPython(replace(VECTORS), replace(OLD))]
