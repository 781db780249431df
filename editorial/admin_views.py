"""The publishable admin's own pages: preview (as saved, or what is on screen), language
versions, proposed corrections and the Markdown preview. The rules are in `workflow.py`."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.text.markdown import render_markdown

from . import workflow
from .translations import propose_correction, translate


class EditorialViewsMixin:
    """For `PublishableAdmin`: its extra URLs and their views."""

    # ------------------------------------------------------------------ extra views
    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name=f"{name}_preview",
            ),
            path(
                "<path:object_id>/translate/<str:language>/",
                self.admin_site.admin_view(self.create_translation),
                name=f"{name}_translate",
            ),
            path(
                "<path:object_id>/propose-correction/",
                self.admin_site.admin_view(self.propose_correction_view),
                name=f"{name}_propose_correction",
            ),
            path(
                "<path:object_id>/apply-correction/",
                self.admin_site.admin_view(self.apply_correction_view),
                name=f"{name}_apply_correction",
            ),
            path(
                "render-markdown/",
                self.admin_site.admin_view(self.render_markdown_view),
                name=f"{name}_render_markdown",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id):
        """The item as its public page will show it, whatever its state, for staff only."""
        obj = get_object_or_404(self.preview_queryset(), pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        unsaved = request.method == "POST"
        if unsaved:
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            obj = self.with_unsaved_text(request, obj)
        response = TemplateResponse(
            request,
            self.preview_template,
            self.preview_context(obj) | {"staff_preview": True, "unsaved_preview": unsaved},
        )
        # In the item's own language, as its public page will be (headings, dates, names).
        with translation.override(obj.language):
            response.render()
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    def preview_queryset(self):
        return self.model.objects.all()

    def with_unsaved_text(self, request, obj):
        """`obj` with what the editor's form holds now (the change form's “Preview what is on
        screen” posts it here), nothing saved: each field that validates shows its new value,
        the others and the links their saved ones."""
        form = self.get_form(request, obj, change=True)(request.POST, request.FILES, instance=obj)
        with transaction.atomic():
            form.is_valid()  # fills `obj` from the valid fields; the workflow writes nothing
            transaction.set_rollback(True)
        obj.render_markdown_fields()
        return obj

    @method_decorator(require_POST)
    def create_translation(self, request, object_id, language):
        """A new draft in `language`, pre-filled from the original, linked to it."""
        source = get_object_or_404(self.model, pk=object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if language not in dict(settings.LANGUAGES):
            raise Http404("No such language.")
        opts = self.model._meta
        existing = self.model.objects.filter(
            translation_group=source.translation_group, language=language
        ).first()
        if existing is None:
            with transaction.atomic():
                existing = translate(source, language, request.user)
            self.message_user(
                request,
                _(
                    "Draft %(language)s version made from the original: translate its text, "
                    "then send it for review."
                )
                % {"language": dict(settings.LANGUAGES)[language]},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[existing.pk])
        )

    def preview_context(self, obj) -> dict:
        raise NotImplementedError

    @method_decorator(require_POST)
    def propose_correction_view(self, request, object_id):
        """An editor's draft of a correction to a live item they may not change."""
        live = get_object_or_404(self.model, pk=object_id)
        if not (
            self.has_add_permission(request) and workflow.may_propose_correction(request.user, live)
        ):
            raise PermissionDenied
        with transaction.atomic():
            proposal = propose_correction(live, request.user)
        self.message_user(
            request,
            _(
                "Draft correction made from the live text: change it, then submit it for "
                "review; a publisher applies it to the live page with a change note."
            ),
            messages.SUCCESS,
        )
        return self._change_redirect(proposal)

    @method_decorator(require_POST)
    def apply_correction_view(self, request, object_id):
        proposal = get_object_or_404(self.model, pk=object_id, correction_of__isnull=False)
        try:
            with transaction.atomic():
                target = workflow.apply_correction(
                    request.user,
                    proposal,
                    change_note=request.POST.get("change_note", ""),
                    small_fix=bool(request.POST.get("small_fix")),
                    send_as_update=bool(request.POST.get("send_as_update")),
                )
        except workflow.WorkflowError as error:
            self.message_user(request, error.message, messages.ERROR)
            return self._change_redirect(proposal)
        self.message_user(
            request, _("Correction applied to “%(item)s”.") % {"item": target}, messages.SUCCESS
        )
        return self._change_redirect(target)

    def _change_redirect(self, obj):
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )

    def render_markdown_view(self, request):
        """The body editor's live preview: the same Markdown and sanitiser as the public page."""
        if request.method != "POST":
            return JsonResponse({"error": "POST the text as `text`."}, status=405)
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        text = request.POST.get("text", "")[:200_000]
        return JsonResponse({"html": str(render_markdown(text))})
