"""Revisions in the admin: a readable comparison of any two, and restore that obeys the workflow.

django-simple-history keeps the revisions (one row per save, with who, when and why, in a table
per model that can be queried like the model itself; bulk actions and the importer save through
the model, so they are recorded too). This module adds what editors need on top: a word-by-word
comparison and a guarded restore.
"""

import datetime
import difflib
import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from core.text.dates import astana_and_utc

from .merging import kept_id

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
    if isinstance(value, datetime.datetime):
        return astana_and_utc(value)
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    if field.is_relation:
        target = getattr(record, field.name, None)
        return str(target) if target is not None else f"#{value}"
    return str(value)


def compare(old, new, *, links: bool = True, people: bool = True) -> list[dict]:
    """The fields that differ between two historical records of one item, for the template:
    text word by word, links (organisations, topics...) as added and removed names, and the
    people named when the model keeps them (`mentions_at`)."""
    rows = _field_changes(old, new)
    if links:
        rows += _link_changes(old, new, people=people)
    return rows


def _field_changes(old, new) -> list[dict]:
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


def _link_changes(old, new, *, people: bool) -> list[dict]:
    rows = []
    before, after = _link_ids(old), _link_ids(new)
    # In the order the model declares them (simple-history keeps them in no fixed order).
    fields = sorted(getattr(new, "_history_m2m_fields", ()), key=lambda f: f.creation_counter)
    for field in fields:
        removed = before.get(field.name, set()) - after.get(field.name, set())
        added = after.get(field.name, set()) - before.get(field.name, set())
        if removed or added:
            names = field.related_model.objects.in_bulk(removed | added)
            rows.append(
                {
                    "label": str(field.verbose_name).capitalize(),
                    "pieces": _list_pieces(
                        [str(names.get(pk, f"#{pk}")) for pk in removed],
                        [str(names.get(pk, f"#{pk}")) for pk in added],
                    ),
                }
            )
    if not people or not hasattr(new.instance_type, "mentions_at"):
        return rows
    item = new.instance_type.objects.filter(pk=getattr(new, new.instance_type._meta.pk.attname))
    item = item.first()
    if item is not None:
        people_before = [_person_line(m) for m in item.mentions_at(old)]
        people_after = [_person_line(m) for m in item.mentions_at(new)]
        if people_before != people_after:
            rows.append(
                {
                    "label": "People named",
                    "pieces": _list_pieces(
                        [p for p in people_before if p not in people_after],
                        [p for p in people_after if p not in people_before],
                    ),
                }
            )
    return rows


def _person_line(mention) -> str:
    words = [mention.honorific, str(mention.person)]
    line = " ".join(w for w in words if w)
    return f"{line}, {mention.title_given}" if mention.title_given else line


def _list_pieces(removed: list[str], added: list[str]) -> list[tuple[str, str]]:
    pieces: list[tuple[str, str]] = []
    for name in removed:
        pieces += [("del", name), ("same", "; ")]
    for name in added:
        pieces += [("ins", name), ("same", "; ")]
    return pieces[:-1]


def link_accessors(history_model) -> dict[str, str]:
    """{many-to-many field name: the reverse accessor of its history rows}, which (unlike the
    record's own per-field manager) can be prefetched for a list of revisions."""
    by_model = {
        r.related_model.__name__: r.get_accessor_name() for r in history_model._meta.related_objects
    }
    return {
        field.name: by_model[f"{history_model.__name__}_{field.name}"]
        for field in getattr(history_model, "_history_m2m_fields", ())
        if f"{history_model.__name__}_{field.name}" in by_model
    }


def _link_ids(record) -> dict[str, set]:
    links = {}
    accessors = link_accessors(type(record))
    for field in getattr(record, "_history_m2m_fields", ()):
        target = field.m2m_reverse_field_name()
        rows = getattr(record, accessors.get(field.name, field.name)).all()
        links[field.name] = {getattr(row, f"{target}_id") for row in rows}
    return links


def historical_links(record) -> dict:
    """{many-to-many field: the linked items as that revision had them}."""
    links = {}
    for field in getattr(record, "_history_m2m_fields", ()):
        target = field.m2m_reverse_field_name()
        ids = [getattr(row, f"{target}_id") for row in getattr(record, field.name).all()]
        ids = [kept_id(field.related_model, pk) for pk in ids]  # merged since: the record kept
        links[field.name] = field.related_model.objects.filter(pk__in=ids)
    return links


HISTORY_SHOWN = 50


class RevisionsAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin plus a readable history, a comparison of revisions and a restore that
    needs change permission and a reason."""

    def history_view(self, request, object_id, extra_context=None):
        """Each revision: its version, when (Astana and UTC), who, why, and what it changed
        (field labels, links added or removed); the newest first."""
        obj = self.model.objects.filter(pk=object_id).first()
        if obj is None:  # deleted: simple-history's own page lists what is left
            return super().history_view(request, object_id, extra_context)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        history = self.model.history.model
        m2m = list(link_accessors(history).values())
        records = list(
            self.model.history.filter(id=obj.pk)
            .select_related("history_user")
            .prefetch_related(*m2m)
            .order_by("-history_id")[: HISTORY_SHOWN + 1]
        )
        opts = self.model._meta
        rows = []
        for index, record in enumerate(records[:HISTORY_SHOWN]):
            previous = records[index + 1] if index + 1 < len(records) else None
            changes = (
                [row["label"] for row in compare(previous, record, people=False)]
                if previous is not None
                else []
            )
            rows.append(
                {
                    "record": record,
                    "created": record.history_type == "+" or previous is None,
                    "changes": changes,
                    "compare_url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_compare",
                        args=[obj.pk, record.history_id],
                    )
                    if previous is not None
                    else "",
                    "restore_url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                        args=[obj.pk, record.history_id],
                    ),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("History of “%(item)s”") % {"item": obj},
            "opts": opts,
            "object": obj,
            "rows": rows,
            "more": len(records) > HISTORY_SHOWN,
            "can_restore": self.has_change_permission(request, obj),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/revisions_history.html", context)

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
            "title": _("Changes to “%(item)s”") % {"item": obj},
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
        form_class = super().get_form(request, obj, change=change, **kwargs)
        record = getattr(obj, "_history", None)  # simple-history marks a revision's instance so
        if record is None or request.method != "GET":
            return form_class
        # The revision's links, not today's, are what the restore form shows (and so posts back).
        links = historical_links(record)

        class RevisionForm(form_class):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**links, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return RevisionForm

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
            "title": _("Deleted %(things)s") % {"things": opts.verbose_name_plural},
            "opts": opts,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/deleted_items.html", context)
