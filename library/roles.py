"""What the editorial groups may do in the media library (both upload and describe; only
publishers delete)."""

EDITOR = [
    f"library.{action}_{model}"
    for model in ("image", "document")
    for action in ("view", "add", "change")
]
PUBLISHER = [*EDITOR, "library.delete_image", "library.delete_document"]


def grant(group_model, permission_model) -> None:
    for name, codes in (("Editor", EDITOR), ("Publisher", PUBLISHER)):
        group, _ = group_model.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)
