"""What the press office's groups may do with the site's plumbing: publishers manage the
redirects from old addresses (editors see them) and partners' API keys."""

from core import permissions

PUBLISHER = [
    "core.view_redirect",
    "core.add_redirect",
    "core.change_redirect",
    "core.delete_redirect",
    "core.view_apikey",
    "core.add_apikey",
    "core.change_apikey",
]
EDITOR = ["core.view_redirect"]


def grant(group_model, permission_model) -> None:
    permissions.grant(group_model, permission_model, {"Publisher": PUBLISHER, "Editor": EDITOR})
