"""Revisions in the admin: a readable comparison of any two, and restore that obeys the workflow.

django-simple-history keeps the revisions (one row per save, with who, when and why, in a table
per model that can be queried like the model itself; bulk actions and the importer save through
the model, so they are recorded too). This module adds what editors need on top: a word-by-word
comparison and a guarded restore.
"""

import difflib
import re

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

# Bookkeeping that changes on every save and says nothing to an editor.
SKIPPED_FIELDS = {
    "id",
    "version",
    "updated_at",
    "updated_by",
    "text_changed_at",
    "content_hash",
    "import_fingerprint",
}
TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """`old` to `new` as (op, text) pieces, op being "same", "del" or "ins", word by word."""
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("ins", "".join(b[j1:j2])))
    return pieces


def _display(record, field) -> str:
    value = getattr(record, field.attname)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        target = getattr(record, field.name, None)
        return str(target) if target is not None else f"#{value}"
    return str(value)


def compare(old, new) -> list[dict]:
    """The fields that differ between two historical records of one item, for the template."""
    rows = []
    for field in new.instance_type._meta.concrete_fields:
        if (
            field.name in SKIPPED_FIELDS
            or field.name in getattr(new.instance_type, "MARKDOWN_FIELDS", {}).values()
            or not hasattr(new, field.attname)
        ):
            continue
        before, after = _display(old, field), _display(new, field)
        if before != after:
            rows.append(
                {
                    "label": str(field.verbose_name).capitalize(),
                    "pieces": word_diff(before, after),
                }
            )
    return rows


def historical_links(record) -> dict:
    """{many-to-many field: the linked items as that revision had them}."""
    links = {}
    for field in getattr(record, "_history_m2m_fields", ()):
        target = field.m2m_reverse_field_name()
        ids = [getattr(row, f"{target}_id") for row in getattr(record, field.name).all()]
        links[field.name] = field.related_model.objects.filter(pk__in=ids)
    return links


class RevisionsAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin plus a comparison of revisions; restoring needs change permission."""

    history_list_display = ["compare_link"]

    @admin.display(description="Compare")
    def compare_link(self, record):
        if record.history_type == "+":
            return "created"
        opts = self.model._meta
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_compare",
            args=[getattr(record, opts.pk.attname), record.history_id],
        )
        return format_html('<a href="{}">what changed</a>', url)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name=f"{opts.app_label}_{opts.model_name}_deleted",
            ),
            path(
                "<path:object_id>/history/<int:new_id>/changes/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id, new_id):
        """What revision `new_id` changed: against the one before it, or ?against=<revision>."""
        obj = get_object_or_404(self.model, pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        records = self.model.history.filter(id=obj.pk)
        new = get_object_or_404(records, history_id=new_id)
        against = request.GET.get("against", "")
        if against.isdigit():
            old = get_object_or_404(records, history_id=int(against))
        else:
            old = new.prev_record or new
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Changes to “{obj}”",
            "opts": opts,
            "object": obj,
            "old": old,
            "new": new,
            "rows": compare(old, new),
            "revisions": records.select_related("history_user")[:200],
            "restore_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                args=[obj.pk, old.history_id],
            ),
            "history_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]
            ),
        }
        return TemplateResponse(request, "admin/revisions_compare.html", context)

    @transaction.atomic
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history lets anyone who may view history post a revert; restoring is a change
        # (or, for an item deleted since, adding it back).
        if request.method == "POST":
            obj = self.model.objects.filter(pk=object_id).first()
            allowed = (
                self.has_change_permission(request, obj)
                if obj is not None
                else self.has_add_permission(request)
            )
            if not allowed:
                raise PermissionDenied
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            record = self.model.history.get(history_id=version_id)
            restored = self.model.objects.get(pk=object_id)
            if hasattr(restored, "restore_links"):
                restored.restore_links(record)
        return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        record = getattr(obj, "_history", None)  # simple-history marks a revision's instance so
        if record is not None and request.method == "GET":
            # The revision's links, not today's, are what the restore form shows (and so
            # posts back: on POST the cache would make the links look set already).
            obj._prefetched_objects_cache = {
                name: ids for name, ids in historical_links(record).items()
            }
        return super().get_form(request, obj, change=change, **kwargs)

    def deleted_view(self, request):
        """Items deleted (drafts never published), each with its last revision to restore."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        history = self.model.history.model
        deleted = history.objects.filter(history_type="-").exclude(
            **{f"{opts.pk.attname}__in": self.model.objects.values("pk")}
        )
        rows = []
        for record in deleted.select_related("history_user").order_by("-history_date")[:200]:
            last = (
                history.objects.filter(**{opts.pk.attname: getattr(record, opts.pk.attname)})
                .exclude(history_type="-")
                .order_by("-history_id")
                .first()
            )
            if last is not None:
                url = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                    args=[getattr(record, opts.pk.attname), last.history_id],
                )
                rows.append({"record": record, "restore_url": url})
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {opts.verbose_name_plural}",
            "opts": opts,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/deleted_items.html", context)
