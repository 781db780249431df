"""The editors' dashboard on the admin's front page: what needs me now."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.text.dates import astana_and_utc

from .. import translations, workflow
from ..models import StateChange, Status, publishable_models
from ..translations import language_name

register = template.Library()
SHOWN = 10


@dataclass
class Section:
    key: str
    heading: str
    when_heading: str
    empty: str
    rows: list
    note_heading: str = ""


@register.inclusion_tag("admin/editorial_dashboard.html", takes_context=True)
def editorial_dashboard(context):
    user = context["request"].user
    models = [m for m in publishable_models() if user.has_perm(_view_permission(m))]
    publisher = any(workflow.can_publish(user, m) for m in models)
    sections = [
        Section(
            "returned",
            _("Returned to me"),
            _("Returned"),
            _("Nothing was returned to you."),
            [],
            note_heading=_("Reviewer's comment"),
        ),
        Section("mine", _("My drafts"), _("Last changed"), _("You have no drafts."), []),
        Section(
            "review",
            _("Waiting for my review") if publisher else _("Waiting for review"),
            _("Sent"),
            _("Nothing is waiting for review."),
            [],
            note_heading=_("Sent by"),
        ),
        Section("scheduled", _("Going live next"), _("Goes live"), _("Nothing is scheduled."), []),
        Section("recent", _("Recently published"), _("Went live"), _("Nothing published yet."), []),
        Section(
            "translations",
            _("Translations to do"),
            _("Changed"),
            _("Every public item has all its language versions, and none is out of date."),
            [],
            note_heading=_("To do"),
        ),
    ]
    by_key = {s.key: s for s in sections}
    for model in models:
        for key, rows in _rows(model, user, publisher).items():
            by_key[key].rows.extend(rows)
    newest_first = {"returned", "mine", "recent", "translations"}
    for section in sections:
        section.rows.sort(key=lambda r: r["sort"], reverse=section.key in newest_first)
        del section.rows[SHOWN:]
    # "New release", "New event": first on the page, for whoever may write them.
    new = [
        {
            "url": reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_add"),
            "label": _("New %(kind)s") % {"kind": m._meta.verbose_name},
        }
        for m in models
        if user.has_perm(f"{m._meta.app_label}.add_{m._meta.model_name}")
    ]
    return {"sections": sections, "shown": bool(models), "new": new}


def _rows(model, user, publisher: bool) -> dict[str, list]:
    label = model._meta.verbose_name
    url_name = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"

    def row(item, when, note=""):
        return {
            "sort": when,
            "when": astana_and_utc(when),
            "kind": label,  # the model's verbose name (translated where it is)
            "item": item,
            "url_name": url_name,
            "note": note,
        }

    log = StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
    ).order_by("-at", "-pk")
    drafts = model.objects.filter(status=Status.DRAFT).annotate(
        last_action=Subquery(log.values("action")[:1]),
        last_reason=Subquery(log.values("reason")[:1]),
        last_at=Subquery(log.values("at")[:1]),
    )
    returned = drafts.filter(last_action=StateChange.Action.RETURNED, submitted_by=user)
    mine = drafts.filter(Q(created_by=user) | Q(updated_by=user)).exclude(
        pk__in=returned.values("pk")
    )
    review = model.objects.filter(status=Status.IN_REVIEW).select_related("submitted_by")
    if publisher:
        review = review.exclude(submitted_by=user)
    return {
        "returned": [
            row(i, i.last_at, i.last_reason) for i in returned.order_by("-last_at")[:SHOWN]
        ],
        "mine": [row(i, i.updated_at) for i in mine.order_by("-updated_at")[:SHOWN]],
        "review": [
            row(i, i.updated_at, i.submitted_by.get_username() if i.submitted_by else "—")
            for i in review.order_by("updated_at")[:SHOWN]
        ],
        "scheduled": [
            row(i, i.publish_at) for i in model.objects.scheduled().order_by("publish_at")[:SHOWN]
        ],
        "recent": [
            row(i, i.publish_at) for i in model.objects.public().order_by("-publish_at")[:SHOWN]
        ],
        "translations": _translation_rows(model, row),
    }


def _translation_rows(model, row) -> list:
    """Public originals lacking a version in a language, and translations gone out of date."""
    rows = []
    for code, _name in settings.LANGUAGES:
        lacking = translations.missing_in(model.objects.public(), code)
        missing = _("No %(language)s version") % {"language": language_name(code)}
        rows += [row(i, i.publish_at, missing) for i in lacking.order_by("-publish_at")[:SHOWN]]
    stale = translations.needing_update(model.objects.all()).select_related("translation_of")
    rows += [
        row(i, i.translation_of.text_changed_at, _("Update: the original changed"))
        for i in stale.order_by("-translation_of__text_changed_at")[:SHOWN]
    ]
    return rows


def _view_permission(model) -> str:
    return f"{model._meta.app_label}.view_{model._meta.model_name}"
