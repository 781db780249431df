"""The Editor and Publisher groups (README, "Editors and publishers")."""

from django.db import migrations

CONTENT = {
    "releases": ["release", "event", "topic", "releaseperson", "previewlink", "changenote"],
    "contacts": ["person", "organisation", "appointment", "mediacontact"],
}
EDITOR = [
    f"{app}.{action}_{model}"
    for app, models in CONTENT.items()
    for model in models
    for action in ("view", "add", "change")
]
PUBLISHER = [
    *EDITOR,
    "releases.publish_release",
    "releases.publish_event",
    *(f"{app}.delete_{model}" for app, models in CONTENT.items() for model in models),
]
GROUPS = {"Editor": EDITOR, "Publisher": PUBLISHER}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after migrating; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = []
        for code in codes:
            app_label, codename = code.split(".")
            perms.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.add(*perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0005_editorial_workflow"),
        ("contacts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
