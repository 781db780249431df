"""What the Publisher group may do with alerts (editors see none of it: subscribers are
personal data). Added to the group the releases app makes (releases/roles.py)."""

from core import permissions

PUBLISHER = [
    "alerts.view_subscriber",
    "alerts.change_subscriber",
    "alerts.delete_subscriber",
    "alerts.view_mailing",
    "alerts.change_mailing",
    "alerts.view_delivery",
    "alerts.view_accreditedjournalist",
    "alerts.add_accreditedjournalist",
    "alerts.change_accreditedjournalist",
    "alerts.delete_accreditedjournalist",
    "alerts.view_advancecopy",
    "alerts.add_advancecopy",
    "alerts.view_digest",
    "alerts.view_digestdelivery",
    "alerts.view_accreditationrequest",
    "alerts.change_accreditationrequest",
    "alerts.delete_accreditationrequest",
]


def grant(group_model, permission_model) -> None:
    permissions.grant(group_model, permission_model, {"Publisher": PUBLISHER})
