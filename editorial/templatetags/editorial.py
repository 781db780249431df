"""The editors' dashboard on the admin's front page."""

from django import template

from core.dates import astana_and_utc

from ..models import Status, publishable_models

register = template.Library()
SHOWN = 10


@register.inclusion_tag("admin/editorial_dashboard.html", takes_context=True)
def editorial_dashboard(context):
    user = context["request"].user
    rows = {"scheduled": [], "review": []}
    models = [m for m in publishable_models() if user.has_perm(_view_permission(m))]
    for model in models:
        label = model._meta.verbose_name
        admin_name = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
        for item in model.objects.scheduled().order_by("publish_at")[:SHOWN]:
            rows["scheduled"].append((item.publish_at, label, item, admin_name))
        waiting = (
            model.objects.filter(status=Status.IN_REVIEW)
            .select_related("submitted_by")
            .order_by("updated_at")[:SHOWN]
        )
        for item in waiting:
            rows["review"].append((item.updated_at, label, item, admin_name))
    return {
        "scheduled": [
            {"when": astana_and_utc(when), "kind": label, "item": item, "url_name": url_name}
            for when, label, item, url_name in sorted(rows["scheduled"], key=lambda r: r[0])
        ][:SHOWN],
        "review": [
            {"when": astana_and_utc(when), "kind": label, "item": item, "url_name": url_name}
            for when, label, item, url_name in sorted(rows["review"], key=lambda r: r[0])
        ][:SHOWN],
        "shown": bool(models),
    }


def _view_permission(model) -> str:
    return f"{model._meta.app_label}.view_{model._meta.model_name}"
