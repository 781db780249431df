"""ChangeNote and StateChange move here from the releases app, keeping their tables and rows.

The models change app in Django's state only; the tables stay as they are (the next migration
gives them this app's names). Their content types are relabelled, so the permissions that
groups hold on them (Editor, Publisher) follow.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ("changenote", "statechange")


def relabel_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="editorial", model=model).exists():
            ContentType.objects.filter(app_label="releases", model=model).update(
                app_label="editorial"
            )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="releases", model=model).exists():
            ContentType.objects.filter(app_label="editorial", model=model).update(
                app_label="releases"
            )


STATUS_CHOICES = [
    ("draft", "Draft"),
    ("in_review", "In review"),
    ("published", "Published"),
    ("withdrawn", "Withdrawn"),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("releases", "0010_preview_token_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ChangeNote",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("note", models.TextField()),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype")),
                        ("created_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "ordering": ["created_at", "pk"],
                        "db_table": "releases_changenote",
                        "indexes": [models.Index(fields=["content_type", "object_id"], name="releases_ch_content_76932f_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="StateChange",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("action", models.CharField(choices=[("submitted", "Submitted for review"), ("returned", "Returned to draft"), ("published", "Published"), ("scheduled", "Scheduled"), ("rescheduled", "Go-live time changed"), ("unscheduled", "Unscheduled"), ("withdrawn", "Withdrawn"), ("reinstated", "Reinstated"), ("preview_created", "Preview link created"), ("preview_revoked", "Preview link revoked")], max_length=20)),
                        ("from_status", models.CharField(blank=True, choices=STATUS_CHOICES, max_length=10)),
                        ("to_status", models.CharField(blank=True, choices=STATUS_CHOICES, max_length=10)),
                        ("reason", models.TextField(blank=True, help_text="Why a publisher approved their own submission, or other detail.")),
                        ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype")),
                        ("user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "ordering": ["-at", "-pk"],
                        "db_table": "releases_statechange",
                        "indexes": [models.Index(fields=["content_type", "object_id"], name="releases_st_content_445458_idx")],
                    },
                ),
            ],
        ),
        migrations.RunPython(relabel_content_types, restore_content_types),
    ]
