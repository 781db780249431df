"""The Editor and Publisher groups as the current models name them (README, "The editorial
workspace"). Migration 0006 made them (the library's migration 0003 adds its part); this sets
them up again on a database emptied by a test, or after `flush`."""

from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

CONTENT = {
    "releases": ["release", "event", "topic", "releaseperson", "previewlink"],
    "editorial": ["changenote"],
    "contacts": ["person", "organisation", "appointment", "mediacontact"],
    "library": ["image", "document"],
}
# Putting pictures in a gallery, reordering and taking them out: everyone who edits.
GALLERY = [
    f"releases.{action}_{model}"
    for model in ("releaseimage", "eventimage")
    for action in ("view", "add", "change", "delete")
]
EDITOR = [
    *(
        f"{app}.{action}_{model}"
        for app, models in CONTENT.items()
        for model in models
        for action in ("view", "add", "change")
    ),
    *GALLERY,
]
PUBLISHER = [
    *EDITOR,
    "releases.publish_release",
    "releases.publish_event",
    *(f"{app}.delete_{model}" for app, models in CONTENT.items() for model in models),
]
GROUPS = {"Editor": EDITOR, "Publisher": PUBLISHER}


def ensure_groups() -> None:
    """Create the groups (and any missing permission) with exactly their permissions."""
    from django.apps import apps

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for name, codes in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.get(
                content_type__app_label=code.split(".")[0], codename=code.split(".")[1]
            )
            for code in codes
        )
