"""ChangeNote and StateChange now belong to the editorial app (state only: rows and tables
stay; see editorial 0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0010_preview_token_length"),
        ("editorial", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="ChangeNote"),
                migrations.DeleteModel(name="StateChange"),
            ],
        )
    ]
