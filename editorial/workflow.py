"""The editorial workflow: who may move a release or event from one state to another.

    draft ──submit──▶ in review ──publish──▶ published ──withdraw──▶ withdrawn
      ▲                  │                   (scheduled while          │
      └────return────────┘                    publish_at is ahead)     │
      ▲                                           │                    │
      └──────────unschedule (before go-live)──────┘◀─────reinstate─────┘

Editors move drafts to review and back. Publishing, scheduling, withdrawing and reinstating need
the model's `publish_<model>` permission (the Publisher group has it). A publisher may not approve
what they sent for review themselves, nor publish what nobody else has reviewed, unless they give
a reason, which is logged ("second pair of eyes").

Around the moves, the rules of editing itself: who may change or delete an item in each state,
when a correction to something live needs a public change note, that a save made from an older
version is refused (`stale_save()`), and when a preview link may be made.

The admin form, the admin actions and any other code path call these; nothing else decides.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import StateChange, Status, WorkflowError

EDIT = "edit"
PUBLISH = "publish"

# (from, to) -> what the user needs
TRANSITIONS = {
    (Status.DRAFT, Status.IN_REVIEW): EDIT,
    (Status.IN_REVIEW, Status.DRAFT): EDIT,
    (Status.DRAFT, Status.PUBLISHED): PUBLISH,
    (Status.IN_REVIEW, Status.PUBLISHED): PUBLISH,
    (Status.PUBLISHED, Status.WITHDRAWN): PUBLISH,
    (Status.PUBLISHED, Status.DRAFT): PUBLISH,  # only before go-live: see check()
    (Status.WITHDRAWN, Status.PUBLISHED): PUBLISH,
}


def publish_permission(model) -> str:
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


def can_publish(user, model) -> bool:
    return bool(user and user.is_active and user.has_perm(publish_permission(model)))


def is_publisher(user) -> bool:
    """May publish some kind of item (a publisher, or a superuser)."""
    from .models import publishable_models

    return any(can_publish(user, model) for model in publishable_models())


def may_change_what_is_shown(user, record) -> bool:
    """What something live shows (a picture or document on a public page, a public person's
    portrait) changes only through a publisher, as a live text does; anything not yet shown
    anyone may change."""
    return is_publisher(user) or not type(record).objects.public().filter(pk=record.pk).exists()


def may_edit(user, item) -> bool:
    """Drafts and items in review are every editor's; what is live or withdrawn is the
    publishers' to change (`item` None: the model in general)."""
    return (
        item is None
        or item.status in (Status.DRAFT, Status.IN_REVIEW)
        or can_publish(user, type(item))
    )


def may_delete(user, item) -> bool:
    """A draft that was never published may be deleted; anything that was is withdrawn with a
    public note instead (whoever asks: what was public stays on record)."""
    return item is None or (item.status == Status.DRAFT and not was_published(item))


def was_published(item) -> bool:
    """Whether `item` was ever live (its log says it was published, withdrawn or reinstated)."""
    went_live = (
        StateChange.Action.PUBLISHED,
        StateChange.Action.WITHDRAWN,
        StateChange.Action.REINSTATED,
    )
    return item.pk is not None and StateChange.for_item(item).filter(action__in=went_live).exists()


def needs_change_note(before, new_values: dict, text_fields) -> list[str]:
    """The words edited in a correction to something live (`new_values` by field name): a
    public change note is then due, unless the change is declared a small fix."""
    if before is None or not before.is_public or new_values.get("status") != Status.PUBLISHED:
        return []
    return [
        name
        for name in text_fields
        if name in new_values and new_values[name] != getattr(before, name)
    ]


def stale_save(model, pk, version):
    """The stored item when a save made from `version` would overwrite a newer one, else None.
    Locks the row until the transaction commits (PostgreSQL), so two saves cannot both pass."""
    stored = model.objects.select_for_update().filter(pk=pk).first()
    if stored is None or version == stored.version:
        return None
    return stored


def may_share_preview(item) -> bool:
    """A preview link is for what is not public yet: a live item has its public address, and
    a withdrawn one is not to be read (its links stop working too)."""
    return not item.is_public and item.status != Status.WITHDRAWN


def allowed_statuses(user, item, current: str) -> list[str]:
    """The states `user` may choose for `item`, which is now in `current` (itself included)."""
    allowed = [current]
    for (source, target), need in TRANSITIONS.items():
        if source != current or target in allowed:
            continue
        if need == PUBLISH and not can_publish(user, type(item)):
            continue
        if (source, target) == (Status.PUBLISHED, Status.DRAFT) and not item.is_scheduled:
            continue
        allowed.append(target)
    return allowed


def needs_second_pair_of_eyes(user, item, current: str) -> bool:
    """Publishing this would approve the user's own work, or work nobody has reviewed."""
    return (
        current != Status.IN_REVIEW
        or item.submitted_by_id is None
        or item.submitted_by_id == user.pk
    )


@dataclass
class Plan:
    """What saving `item` will do to its editorial state, for `record()` once it is saved."""

    action: str | None
    from_status: str
    to_status: str
    reason: str = ""
    previous_publish_at: object = None  # the go-live time before this save


def needs_review_comment(user, item, old: str, new: str) -> bool:
    """A reviewer sending someone else's submission back to draft says why (the editor reads
    it on the form and on the dashboard); taking back one's own submission needs no comment."""
    return (
        (old, new) == (Status.IN_REVIEW, Status.DRAFT)
        and item.submitted_by_id is not None
        and item.submitted_by_id != getattr(user, "pk", None)
    )


def check(user, item, before, *, force_reason: str = "", comment: str = "") -> Plan:
    """Check that `user` may save `item` (with its new values) over `before` (the stored item,
    or None for a new one). Raises WorkflowError; returns the plan to record."""
    old = before.status if before else Status.DRAFT
    new = item.status
    _check_transition(user, item, before, old, new)

    reason = force_reason.strip()
    if new == Status.PUBLISHED and old in (Status.DRAFT, Status.IN_REVIEW):
        if needs_second_pair_of_eyes(user, before or item, old) and not reason:
            raise WorkflowError(
                _(
                    "You sent this for review yourself (or nobody did): another publisher should "
                    "approve it. To publish it anyway, give your reason; it is logged."
                ),
                field="force_reason",
            )
    elif (old, new) == (Status.IN_REVIEW, Status.DRAFT):
        reason = comment.strip()
        if needs_review_comment(user, before or item, old, new) and not reason:
            raise WorkflowError(
                _(
                    "Say why it goes back, for the editor who sent it (shown on their form and "
                    "dashboard)."
                ),
                field="review_comment",
            )
    else:
        reason = ""

    if new == Status.WITHDRAWN and not item.withdrawal_note.strip():
        raise WorkflowError(_("Say publicly why this is withdrawn."), field="withdrawal_note")

    if new == Status.PUBLISHED:
        _check_publishing(item, old)

    action = _action(old, new, before, item)
    if action == StateChange.Action.SUBMITTED:
        item.submitted_by = user
    return Plan(action, old, new, reason, before.publish_at if before else None)


def _check_publishing(item, old: str) -> None:
    """What publishing (or keeping published) asks of the item itself."""
    if item.correction_of_id is not None:
        raise WorkflowError(
            _(
                "This is a proposed correction: a publisher applies it to the live item (“Apply "
                "this correction”) instead of publishing it on its own."
            )
        )
    item.follow_original()
    problems = item.publishing_problems() if item.pk else []
    if problems and old != Status.PUBLISHED:
        raise WorkflowError(" ".join(problems))
    if item.publish_at is None:
        item.publish_at = timezone.now()


def _check_transition(user, item, before, old: str, new: str) -> None:
    model = type(item)
    publisher = can_publish(user, model)
    if before is not None and old in (Status.PUBLISHED, Status.WITHDRAWN) and not publisher:
        raise WorkflowError(
            _("Only a publisher may change what is published or withdrawn."), field=None
        )
    if old != new:
        need = TRANSITIONS.get((old, new))
        if need is None:
            raise WorkflowError(
                _("A %(kind)s cannot go from “%(old)s” to “%(new)s”.")
                % {
                    "kind": model._meta.verbose_name,
                    "old": Status(old).label,
                    "new": Status(new).label,
                }
            )
        if need == PUBLISH and not publisher:
            raise WorkflowError(
                _("Only a publisher may make a %(kind)s “%(new)s”; submit it for review instead.")
                % {"kind": model._meta.verbose_name, "new": Status(new).label}
            )
        if (old, new) == (Status.PUBLISHED, Status.DRAFT) and not before.is_scheduled:
            raise WorkflowError(
                _("It is already live: withdraw it with a public note instead of unpublishing.")
            )
    elif (
        old == Status.PUBLISHED
        and before is not None
        and item.publish_at != before.publish_at
        and not publisher
    ):
        raise WorkflowError(_("Only a publisher may change the go-live time."), field="publish_at")


def _action(old, new, before, item) -> str | None:
    A = StateChange.Action
    if old == new:
        if new == Status.PUBLISHED and before and before.publish_at != item.publish_at:
            return A.RESCHEDULED
        return None
    if new == Status.IN_REVIEW:
        return A.SUBMITTED
    if new == Status.PUBLISHED:
        if old == Status.WITHDRAWN:
            return A.REINSTATED
        return A.SCHEDULED if item.publish_at > timezone.now() else A.PUBLISHED
    if new == Status.WITHDRAWN:
        return A.WITHDRAWN
    if old == Status.PUBLISHED:
        return A.UNSCHEDULED
    return A.RETURNED


def imported_action(status: str) -> str:
    """The log entry for a release the importer creates in `status`."""
    return {
        Status.IN_REVIEW: StateChange.Action.SUBMITTED,
        Status.PUBLISHED: StateChange.Action.PUBLISHED,
        Status.WITHDRAWN: StateChange.Action.WITHDRAWN,
    }[status]


def record(user, item, plan: Plan) -> StateChange | None:
    """Log the state change `plan` describes, once `item` is saved, and carry it to the
    item's language versions."""
    if plan.action is None:
        return None
    return log(user, item, plan.action, plan.from_status, plan.to_status, plan.reason)


def log(user, item, action, from_status="", to_status="", reason="") -> StateChange:
    """Write a move (or another event) in the item's editorial log."""
    return StateChange.log(user, item, action, from_status, to_status, reason)


def move(
    user, item, new_status: str, *, force_reason: str = "", comment: str = ""
) -> StateChange | None:
    """Change `item`'s state as `user` and save it, with history and the log (admin actions)."""
    before = type(item).objects.get(pk=item.pk)
    item.status = new_status
    plan = check(user, item, before, force_reason=force_reason, comment=comment)
    item.updated_by = user
    item._history_user = user
    item.save()
    return record(user, item, plan)


def last_return(item) -> StateChange | None:
    """The reviewer's comment that sent `item` back to draft, while it is still a draft there."""
    if item.status != Status.DRAFT or item.pk is None:
        return None
    latest = StateChange.for_item(item).order_by("-at", "-pk").first()
    return latest if latest and latest.action == StateChange.Action.RETURNED else None


def may_propose_correction(user, item) -> bool:
    """Someone who may not change a live item may draft a correction to it."""
    return item.is_public and item.correction_of_id is None and not may_edit(user, item)


def apply_correction(
    user, proposal, *, change_note: str = "", small_fix: bool = False, send_as_update=False
):
    """Copy the proposal's words and links onto the live item it corrects, as `user` (a
    publisher), with a public change note unless it is a small fix; the proposal is then
    deleted (its history keeps it). Returns the corrected item."""
    from .models import ChangeNote

    target = proposal.correction_of
    if target is None:
        raise WorkflowError(_("This is not a proposed correction."), field=None)
    if not can_publish(user, type(target)):
        raise WorkflowError(_("Only a publisher may apply a correction."), field=None)
    if not change_note.strip() and not small_fix:
        raise WorkflowError(
            _("Say publicly what the correction changes, or mark it a small fix."), field=None
        )
    if send_as_update and not change_note.strip():
        raise WorkflowError(
            _("An update sent to subscribers needs a public change note."), field=None
        )
    model = type(target)
    for name in model.TRANSLATED_FIELDS:
        setattr(target, name, getattr(proposal, name))
    target.updated_by = user
    target._history_user = user
    target._change_reason = (
        f"Correction proposed by {proposal.created_by or 'an editor'} applied"
        + (f"; change note: {change_note.strip()}" if change_note.strip() else " (small fix)")
    )
    target.skip_history_when_saving = True
    target.save()
    for name in model.TRANSLATED_LINKS:
        getattr(target, name).set(getattr(proposal, name).all())
    target.copy_correction_extras(proposal)
    del target.skip_history_when_saving
    target.record_revision()
    if change_note.strip():
        ChangeNote.objects.create(
            item=target, note=change_note.strip(), created_by=user, announce=send_as_update
        )
    proposal.delete()
    return target
