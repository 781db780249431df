"""Release titles up to 500 characters (a speech's title names its occasion in full).

On PostgreSQL the title feeds the generated search vector (migration 0004), and a column a
generated column reads cannot change type: the vector is dropped, the column widened, the
vector and its index made again (recomputed for every row)."""

import importlib

import core.validators
from django.db import migrations, models

VECTORS = importlib.import_module("releases.migrations.0004_search_vectors").VECTORS
TABLE = "releases_release"


def drop_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN search_vector")


def add_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({VECTORS[TABLE]}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {TABLE}_search_gin ON {TABLE} USING gin (search_vector)")


class Migration(migrations.Migration):

    dependencies = [
        ('releases', '0015_names_refuse_direction_controls'),
    ]

    operations = [
        migrations.RunPython(drop_vector, add_vector),
        migrations.AlterField(
            model_name='historicalrelease',
            name='title',
            field=models.CharField(max_length=500, validators=[core.validators.no_bidi_controls]),
        ),
        migrations.AlterField(
            model_name='release',
            name='title',
            field=models.CharField(max_length=500, validators=[core.validators.no_bidi_controls]),
        ),
        migrations.RunPython(add_vector, drop_vector),
    ]
