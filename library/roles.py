"""What the editorial groups may do in the media library (both upload and describe; only
publishers delete)."""

from core import permissions

EDITOR = [
    f"library.{action}_{model}"
    for model in ("image", "document")
    for action in ("view", "add", "change")
]
PUBLISHER = [*EDITOR, "library.delete_image", "library.delete_document"]


def grant(group_model, permission_model) -> None:
    permissions.grant(group_model, permission_model, {"Editor": EDITOR, "Publisher": PUBLISHER})
