"""Admin base classes for publishable models: the workflow's rules wired to forms and buttons.

The rules themselves live in `workflow.py`; this module only calls them.
"""

from collections import defaultdict

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db import connection, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.text.dates import astana_and_utc

from . import translations, workflow
from .admin_views import EditorialViewsMixin
from .changeform import publishing_fields, transition_buttons, with_transition
from .formfields import WORKSPACE_FIELDS
from .forms import PublishableForm
from .merging import merge
from .models import ChangeNote, StateChange, Status, search_terms
from .revisions import RevisionsAdmin
from .translations import language_name

PUBLISHING = _("Publishing")  # the fieldset a user sees first (get_fieldsets)


class EditorialStateFilter(admin.SimpleListFilter):
    title = _("editorial state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("in_review", _("In review")),
            ("scheduled", _("Scheduled (embargoed)")),
            ("live", _("Live")),
            ("withdrawn", _("Withdrawn")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value in ("draft", "in_review"):
            return queryset.filter(status=value)
        if value == "scheduled":
            return queryset.scheduled()
        if value == "live":
            return queryset.public()
        if value == "withdrawn":
            return queryset.filter(status=Status.WITHDRAWN)
        return queryset


class VersionsChangeList(ChangeList):
    """Loads the language versions of the listed items in one query, for the Languages column."""

    def get_results(self, request):
        super().get_results(request)
        groups = {item.translation_group for item in self.result_list}
        versions = defaultdict(list)
        rows = (
            self.model.objects.filter(translation_group__in=groups)
            .select_related("translation_of")
            .order_by("language")
        )
        for version in rows:
            versions[version.translation_group].append(version)
        for item in self.result_list:
            item.language_versions = versions[item.translation_group]


def state_label(item) -> str:
    """What an editor calls an item's state: draft, in review, scheduled, live, withdrawn."""
    if item.is_scheduled:
        return gettext("scheduled")
    if item.is_public:
        return gettext("live")
    return str(item.get_status_display()).lower()


def version_label(version) -> str:
    """“RU (translation, draft, needs update)” and the like."""
    notes = [gettext("original") if version.translation_of_id is None else gettext("translation")]
    notes.append(state_label(version))
    if version.needs_update:
        notes.append(gettext("needs update"))
    return f"{version.language.upper()} ({', '.join(notes)})"


class TranslationFilter(admin.SimpleListFilter):
    """What the translators have to do: originals with no version in a language, and
    translations whose original changed since."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        missing = [
            (f"missing-{code}", _("No %(language)s version") % {"language": language_name(code)})
            for code, _name in settings.LANGUAGES
        ]
        return [*missing, ("needs-update", _("Translation needs update"))]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value.startswith("missing-"):
            return translations.missing_in(queryset, value.removeprefix("missing-"))
        if value == "needs-update":
            return translations.needing_update(queryset)
        return queryset


def located(action_location) -> dict:
    """The `action_location` argument for the admin's `get_actions()`: Django 6.1 asks for the
    actions of each place (the change list, the change form), Django 5.2 knows one place."""
    return {} if action_location is None else {"action_location": action_location}


def on_change_list(action_location) -> bool:
    return action_location is None or getattr(action_location, "value", "") == "CHANGE_LIST"


class ProtectUsedMixin:
    """The admin's delete page (and the delete action) lists what still names a record, and
    refuses while anything does, or while the item was ever published: merge or withdraw it.
    Records (not publishable items) get the "Merge selected" action."""

    def get_actions(self, request, action_location=None):
        actions = super().get_actions(request, **located(action_location))
        if (
            on_change_list(action_location)
            and self.has_change_permission(request)
            and not hasattr(self.model, "status")
        ):
            actions["merge_selected"] = (
                ProtectUsedMixin.merge_selected,
                "merge_selected",
                _("Merge selected into one (keeps every link)"),
            )
        return actions

    def merge_selected(self, request, queryset):
        """Ask which record to keep, then move every link of the others to it."""
        records = list(queryset)
        if len(records) < 2:
            self.message_user(request, _("Select two or more records to merge."), messages.WARNING)
            return None
        kept_pk = request.POST.get("keep")
        kept = next((r for r in records if str(r.pk) == kept_pk), None)
        if kept is None:
            return TemplateResponse(
                request,
                "admin/merge.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Merge %(things)s")
                    % {"things": self.model._meta.verbose_name_plural},
                    "opts": self.model._meta,
                    "records": [(r, r.uses()) for r in records],
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        for duplicate in records:
            if duplicate.pk != kept.pk:
                merge(duplicate, kept, user=request.user)
        self.message_user(
            request,
            _("Merged %(count)s into “%(kept)s”: every link now points to it.")
            % {"count": len(records) - 1, "kept": kept},
            messages.SUCCESS,
        )
        return None

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            uses = getattr(obj, "uses", list)()
            protected.extend(f"{type(u)._meta.verbose_name.capitalize()}: {u}" for u in uses)
            if uses:
                protected.append(
                    _(
                        "Instead of deleting “%(item)s”, merge it into the record it duplicates "
                        "(action “Merge selected”) or archive it."
                    )
                    % {"item": obj}
                )
            if hasattr(obj, "status") and not workflow.may_delete(request.user, obj):
                protected.append(
                    _("“%(item)s” was published: withdraw it with a public note.") % {"item": obj}
                )
        return deleted, counts, perms, protected


class AuthorshipMixin:
    """Record which editor created and last changed an item."""

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class PublishableAdmin(EditorialViewsMixin, ProtectUsedMixin, AuthorshipMixin, RevisionsAdmin):
    """What releases and events share: workflow actions, state, log, change notes, preview."""

    formfield_overrides = WORKSPACE_FIELDS

    form = PublishableForm
    change_form_template = "admin/editorial/publishable_change_form.html"
    actions = ("submit_for_review", "publish_now", "return_to_draft")
    # A language version is linked to its original when it is made (“Create the … version”),
    # never by hand: a form that could unlink it could publish it before its original.
    readonly_fields = ("goes_live", "submitted_by", "created_at", "updated_at", "translation_of")
    preview_template = ""

    class Media:
        css = {"all": ("css/admin-editorial.css",)}
        js = ("js/markdown-preview.js", "js/unsaved-changes.js")

    # ------------------------------------------------------------------ permissions
    def has_publish_permission(self, request):
        return workflow.can_publish(request.user, self.model)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.may_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.may_delete(
            request.user, obj
        )

    def get_actions(self, request, action_location=None):
        actions = super().get_actions(request, **located(action_location))
        if not request.user.is_superuser:
            actions.pop("delete_selected", None)  # it would skip the per-item rule above
        return actions

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The state moves by the workflow's buttons (`_transition`), not by a drop-down.
        widgets = kwargs.setdefault("widgets", {})
        widgets["status"] = widgets["version"] = forms.HiddenInput
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if changelist.query:
            # A search's results are the words' matches: no drill-down by year over them (a
            # second pass over every match of a common word).
            changelist.date_hierarchy = None
        return changelist

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match is not None and match.url_name and match.url_name.endswith("_changelist"):
            # The list shows titles and states: not the texts and their HTML.
            queryset = queryset.defer(
                *self.model.MARKDOWN_FIELDS, *self.model.MARKDOWN_FIELDS.values()
            )
        return queryset

    def get_search_results(self, request, queryset, search_term):
        """The workspace's search is the site's: words in any grammatical form, both languages,
        through the full-text index on PostgreSQL (icontains over every body scanned the whole
        table); a slug pasted whole still finds its item."""
        if connection.vendor != "postgresql" or not search_terms(search_term):
            return super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if " " not in term and queryset.filter(slug=term).exists():
            return queryset.filter(slug=term), False
        return queryset.holding(search_term), False

    def get_fieldsets(self, request, obj=None):
        """The publishing fields this user can use on this item now, first; the rest as
        declared. Technical fields (the version, the state itself) travel hidden."""
        publishing = publishing_fields(request.user, obj, self.model)
        rest = [
            (name, options)
            for name, options in super().get_fieldsets(request, obj)
            if str(name) != str(PUBLISHING)
        ]
        if obj is None or obj.translation_of_id is None:  # only a version has an original
            rest = [
                (
                    name,
                    {**options, "fields": [f for f in options["fields"] if f != "translation_of"]},
                )
                for name, options in rest
            ]
        if getattr(obj, "_history", None) is not None:  # restoring a revision: say why
            publishing = ("restore_reason", *publishing)
        return [
            (PUBLISHING, {"fields": publishing, "classes": ("publishing", "tab-publishing")}),
            *rest,
        ]

    def get_changelist(self, request, **kwargs):
        return VersionsChangeList

    # ------------------------------------------------------------------ display
    def view_on_site(self, obj):
        """“View on site” only for what visitors can see: a draft's public address is a 404
        (its preview is the “Preview” button)."""
        return obj.get_absolute_url() if obj.is_public else None

    @admin.display(description=_("Languages"))
    def languages(self, obj):
        versions = getattr(obj, "language_versions", None) or [obj]
        present = {v.language for v in versions}
        labels = [("needs-update" if v.needs_update else "", version_label(v)) for v in versions]
        missing = gettext("missing")
        labels += [
            ("missing-version", f"{code.upper()} ({missing})")
            for code, _name in settings.LANGUAGES
            if code not in present
        ]
        return format_html_join(", ", '<span class="{}">{}</span>', labels)

    @admin.display(description=_("Goes live"), ordering="publish_at")
    def goes_live(self, obj):
        if obj.status != Status.PUBLISHED or obj.publish_at is None:
            return "—"
        when = astana_and_utc(obj.publish_at)
        if obj.is_scheduled:
            return _("Scheduled: %(when)s") % {"when": when}
        return _("Live since %(when)s") % {"when": when}

    @admin.display(description=pgettext_lazy("editorial state", "State"), ordering="status")
    def state(self, obj):
        if obj.is_scheduled:
            return _("Scheduled")
        if obj.status == Status.PUBLISHED:
            return _("Live")
        return obj.get_status_display()

    # ------------------------------------------------------------------ saving
    def save_model(self, request, obj, form, change):
        plan = getattr(form, "plan", None)
        note = form.cleaned_data.get("change_note", "").strip()
        restored = getattr(obj, "_history", None)
        if change and restored is None and not form.has_changed() and not (plan and plan.action):
            return  # a save that changes nothing leaves no revision and no new version
        obj._history_user = request.user
        if restored is not None:
            obj._change_reason = (
                f"Restored the text of version {restored.version}: "
                f"{form.cleaned_data.get('restore_reason', '').strip()}"
            )
        else:
            obj._change_reason = (
                f"Change note: {note}"
                if note
                else (StateChange.Action(plan.action).label if plan and plan.action else "")
            )
        if restored is None:
            # One revision per save, made in save_related() once the links and the people
            # named are in place (simple-history would add one per link field set).
            obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)
        if plan is not None:
            workflow.record(request.user, obj, plan)
        if note:
            ChangeNote.objects.create(
                item=obj,
                note=note,
                created_by=request.user,
                announce=bool(form.cleaned_data.get("send_as_update")),
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        links_changed = any(f.has_changed() for f in formsets) or any(
            name in form.changed_data
            for name, field in form.fields.items()
            if isinstance(field, forms.ModelMultipleChoiceField)
        )
        if getattr(obj, "skip_history_when_saving", False):
            del obj.skip_history_when_saving
            # A new item's creation was recorded by its save; a revision follows only if its
            # links were set. A change is recorded here, once, with its links.
            if change or links_changed:
                obj.record_revision()
        elif change and links_changed:  # only the people named changed
            obj._history_user = request.user
            obj._change_reason = "People named changed"
            obj.record_revision()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id) if object_id else None
        if obj is not None:
            extra_context.update(self.editorial_context(request, obj))
        extra_context["transitions"] = transition_buttons(request.user, obj, self.model)
        if request.method == "POST" and request.POST.get("_transition"):
            request.POST = with_transition(request.POST)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        return self._stay_after_transition(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._stay_after_transition(request, obj) or super().response_change(request, obj)

    def _stay_after_transition(self, request, obj):
        """After a workflow button, back to the same form with what happened."""
        if not request.POST.get("_transition"):
            return None
        state = (
            _("scheduled")
            if obj.is_scheduled
            else (_("live") if obj.is_public else obj.get_status_display().lower())
        )
        self.message_user(
            request,
            _("“%(item)s” is now %(state)s.") % {"item": obj, "state": state},
            messages.SUCCESS,
        )
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )

    def editorial_context(self, request, obj) -> dict:
        opts = self.model._meta
        return {
            "can_propose_correction": self.has_add_permission(request)
            and workflow.may_propose_correction(request.user, obj),
            "proposed_corrections": obj.proposed_corrections.select_related("created_by"),
            "can_apply_correction": obj.correction_of_id is not None
            and workflow.can_publish(request.user, self.model),
            "last_return": workflow.last_return(obj),
            # What keeps it off the site as it is ("needs alt text"), shown before they try.
            "publishing_problems": obj.publishing_problems()
            if obj.status in (Status.DRAFT, Status.IN_REVIEW)
            else [],
            "state_log": StateChange.for_item(obj)[:50],
            "change_notes": obj.change_notes.all(),
            "preview_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk]
            ),
            "is_public": obj.is_public,
            "language_versions": self.model.objects.filter(translation_group=obj.translation_group)
            .select_related("translation_of")
            .order_by("language"),
            "missing_languages": [
                (code, name)
                for code, name in settings.LANGUAGES
                if not self.model.objects.filter(
                    translation_group=obj.translation_group, language=code
                ).exists()
            ],
            "original_changes": translations.changes_since(obj),
            "translate_url_name": f"admin:{opts.app_label}_{opts.model_name}_translate",
            "can_translate": self.has_add_permission(request),
        }

    # ------------------------------------------------------------------ actions
    def _move(self, request, queryset, target, done, comment="", force_reason=""):
        moved, refused = 0, []
        for item in queryset:
            if item.status == target:
                continue
            try:
                with transaction.atomic():
                    workflow.move(
                        request.user, item, target, comment=comment, force_reason=force_reason
                    )
                moved += 1
            except workflow.WorkflowError as error:
                refused.append(f"“{item}”: {error.message}")
        if moved:
            self.message_user(request, f"{moved} {done}", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=_("Submit selected for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._move(request, queryset, Status.IN_REVIEW, _("submitted for review."))

    @admin.action(
        description=_("Publish selected now (or at their go-live time)"), permissions=["publish"]
    )
    def publish_now(self, request, queryset):
        """Ask why, where publishing would skip a review (the publisher's own work, or a draft
        nobody reviewed), then publish."""
        reason = request.POST.get("force_reason", "").strip()
        needs = [
            item
            for item in queryset
            if item.status != Status.PUBLISHED
            and workflow.needs_second_pair_of_eyes(request.user, item, item.status)
        ]
        if needs and not reason:
            return TemplateResponse(
                request,
                "admin/publish_with_reason.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Publish without review: say why"),
                    "opts": self.model._meta,
                    "items": list(queryset),
                    "refused": "force_reason" in request.POST,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        self._move(
            request, queryset, Status.PUBLISHED, _("published or scheduled."), force_reason=reason
        )
        return None

    @admin.action(description=_("Return selected to draft"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        """Ask the reviewer why (for the editors who sent them), then return them."""
        comment = request.POST.get("review_comment", "").strip()
        needs = [
            item
            for item in queryset
            if workflow.needs_review_comment(request.user, item, item.status, Status.DRAFT)
        ]
        if needs and not comment:
            return TemplateResponse(
                request,
                "admin/return_to_draft.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Return to draft: say why"),
                    "opts": self.model._meta,
                    "items": list(queryset),
                    "refused": "review_comment" in request.POST,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        self._move(request, queryset, Status.DRAFT, _("returned to draft."), comment=comment)
        return None
