"""Granting permissions to groups by name, from a migration (historical models) or code."""


def grant(group_model, permission_model, groups: dict[str, list[str]]) -> None:
    """Add each "app_label.codename" permission that exists to the named groups (made if
    missing); other permissions of the groups are left as they are."""
    for name, codes in groups.items():
        group, _ = group_model.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            permission = permission_model.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)
