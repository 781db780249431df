"""What the Publisher group may do with webhooks: register consumers' endpoints and read the
record of messages. Editors see none of it."""

from core import permissions

PUBLISHER = [
    "webhooks.view_endpoint",
    "webhooks.add_endpoint",
    "webhooks.change_endpoint",
    "webhooks.delete_endpoint",
    "webhooks.view_message",
]


def grant(group_model, permission_model) -> None:
    permissions.grant(group_model, permission_model, {"Publisher": PUBLISHER})
