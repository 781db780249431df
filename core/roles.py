"""What the press office's groups may do with the site's plumbing: publishers manage the
redirects from old addresses, editors see them."""

from core import permissions

PUBLISHER = [
    "core.view_redirect",
    "core.add_redirect",
    "core.change_redirect",
    "core.delete_redirect",
]
EDITOR = ["core.view_redirect"]


def grant(group_model, permission_model) -> None:
    permissions.grant(group_model, permission_model, {"Publisher": PUBLISHER, "Editor": EDITOR})
