"""The change form's task shape: the publishing fields and the moves a user gets now, and the
state a workflow button asks for. The rules themselves are in `workflow.py`."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import workflow
from .models import Status

PUBLISHING_FIELDS = (
    "status",
    "publish_at",
    "goes_live",
    "withdrawal_note",
    "force_reason",
    "review_comment",
    "change_note",
    "small_fix",
    "send_as_update",
    "submitted_by",
    "version",
)


def publishing_fields(user, obj, model) -> tuple[str, ...]:
    """What the publishing panel shows `user` for `obj` (None: a new item)."""
    status = obj.status if obj is not None else Status.DRAFT
    publisher = workflow.can_publish(user, model)
    shown = ["status", "version", "goes_live"]
    if publisher:
        shown.append("publish_at")
    if status in (Status.PUBLISHED, Status.WITHDRAWN) and publisher:
        shown.append("withdrawal_note")
    if (
        publisher
        and status in (Status.DRAFT, Status.IN_REVIEW)
        and workflow.needs_second_pair_of_eyes(user, obj or model(), status)
    ):
        shown.append("force_reason")
    if status == Status.IN_REVIEW:
        shown.append("review_comment")
    if obj is not None and obj.is_public and publisher:
        shown += ["change_note", "small_fix"]
        if model.MAILED_TO_SUBSCRIBERS:
            shown.append("send_as_update")
    if obj is not None:
        shown.append("submitted_by")
    return tuple(name for name in PUBLISHING_FIELDS if name in shown)


TRANSITION_LABELS = {
    (Status.DRAFT, Status.IN_REVIEW): _("Submit for review"),
    (Status.IN_REVIEW, Status.DRAFT): _("Return to draft"),
    (Status.PUBLISHED, Status.DRAFT): _("Unschedule (back to draft)"),
    (Status.PUBLISHED, Status.WITHDRAWN): _("Withdraw"),
    (Status.WITHDRAWN, Status.PUBLISHED): _("Reinstate"),
}


def transition_buttons(user, obj, model) -> list[dict]:
    """The moves `user` may make on `obj` now, as the change form's buttons."""
    item = obj if obj is not None else model()
    current = obj.status if obj is not None else Status.DRAFT
    buttons = []
    for target in workflow.allowed_statuses(user, item, current):
        if target == current or (target == Status.PUBLISHED and item.correction_of_id):
            continue  # (a proposed correction is applied, never published on its own)
        label = TRANSITION_LABELS.get((current, target))
        if label is None:  # publishing a draft or a submission
            scheduled = item.publish_at is not None and item.publish_at > timezone.now()
            label = _("Approve and schedule") if scheduled else _("Approve and publish")
        buttons.append({"status": target, "label": label, "danger": target == Status.WITHDRAWN})
    return buttons


def with_transition(data):
    """The posted form with the state the pressed button asks for; one this user may not
    choose now is refused by the form's own check, with its reason."""
    target = data.get("_transition")
    if target not in Status.values:
        return data
    data = data.copy()
    data["status"] = target
    return data
