"""Releases, events and topics in the editors' workspace (the base classes are editorial's)."""

import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from contacts.models import Appointment
from core.text.dates import astana_and_utc
from editorial import workflow
from editorial.admin import (
    PUBLISHING,
    EditorialStateFilter,
    ProtectUsedMixin,
    PublishableAdmin,
    TranslationFilter,
)
from editorial.changeform import PUBLISHING_FIELDS
from editorial.forms import PreviewLinkForm, PublishableForm
from editorial.models import StateChange, Status

from .models import Event, EventImage, PreviewLink, Release, ReleaseImage, ReleasePerson, Topic


class ReleasePersonInline(admin.TabularInline):
    model = ReleasePerson
    extra = 0
    autocomplete_fields = ("person",)
    classes = ("tab-links",)
    fields = ("person", "honorific", "title_given", "shown_as", "position")
    readonly_fields = ("shown_as",)

    def get_queryset(self, request):
        # The roles the public page reads the title from (Person.with_public_appointments).
        return (
            super()
            .get_queryset(request)
            .select_related("release", "person")
            .prefetch_related(
                Prefetch(
                    "person__appointments",
                    queryset=Appointment.objects.public().select_related("organisation"),
                    to_attr="appointment_list",
                )
            )
        )

    @admin.display(description=_("Shown on the page as"))
    def shown_as(self, mention):
        """The title the public page gives (ReleasePerson.title), and a word when a role on file
        on the release's date replaces the title typed here."""
        if mention.pk is None:
            return "—"
        shown = mention.title
        if mention.title_given and shown != mention.title_given:
            return format_html(
                '{}<br><span class="help">{}</span>',
                shown,
                _("From the role on file on the release's date, not the title typed."),
            )
        return shown or "—"


class ReleaseImageInline(admin.TabularInline):
    model = ReleaseImage
    extra = 0
    # Picked from the library's own list (search, thumbnails) in a pop-up.
    raw_id_fields = ("image",)
    classes = ("tab-media",)
    fields = ("image", "position")
    verbose_name = "picture in the gallery"
    verbose_name_plural = _("Gallery (in this order, after the lead picture)")


class EventImageInline(ReleaseImageInline):
    model = EventImage


@admin.register(Topic)
class TopicAdmin(ProtectUsedMixin, admin.ModelAdmin):
    list_display = ("name", "name_ru", "slug")
    search_fields = ("name", "name_ru")
    prepopulated_fields = {"slug": ("name",)}


class ReleaseForm(PublishableForm):
    TEXT_FIELDS = ("title", "lead", "body", "date", "date_end", "city", "country")


@admin.register(Release)
class ReleaseAdmin(PublishableAdmin):
    form = ReleaseForm
    list_display = ("title", "kind", "languages", "state", "date", "goes_live", "updated_at")
    list_filter = (
        EditorialStateFilter, TranslationFilter, "status", "kind", "language", "topics", "date",
    )  # fmt: skip
    search_fields = ("title", "lead", "body", "slug")
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = (
        "topics",
        "organisations",
        "events",
        "media_contacts",
        "documents",
    )
    raw_id_fields = ("lead_image",)  # the library's list, with thumbnails, in a pop-up
    inlines = (ReleasePersonInline, ReleaseImageInline)
    readonly_fields = (
        *PublishableAdmin.readonly_fields,
        "source_file",
        "content_hash",
    )
    # The change form in tabs (static/js/form-tabs.js): each fieldset and inline names its
    # tab with a "tab-..." class; without JavaScript the form is one page, in this order.
    fieldsets = (
        (
            None,
            {
                # Fields in one tuple share a line.
                "fields": ("title", ("slug", "kind", "language"), "translation_of"),
                "classes": ("tab-text",),
            },
        ),
        (_("Text"), {"fields": ("lead", "body"), "classes": ("tab-text",)}),
        (
            _("Dateline"),
            {"fields": (("date", "date_end"), ("city", "country")), "classes": ("tab-text",)},
        ),
        (PUBLISHING, {"fields": PUBLISHING_FIELDS}),
        (
            _("Links"),
            {
                "fields": (("topics", "organisations"), ("events", "media_contacts")),
                "classes": ("tab-links",),
            },
        ),
        (
            _("Pictures and documents"),
            {"fields": ("lead_image", "documents"), "classes": ("tab-media",)},
        ),
        (
            _("Source"),
            {
                "classes": ("collapse", "tab-publishing"),
                "fields": ("source_file", "content_hash", "created_at", "updated_at"),
            },
        ),
    )
    preview_template = "releases/release_detail.html"

    def preview_queryset(self):
        return Release.objects.with_links()

    def preview_context(self, obj):
        return {"release": obj, "withdrawn": obj.status == Status.WITHDRAWN}

    def editorial_context(self, request, obj):
        context = super().editorial_context(request, obj)
        context["preview_links"] = obj.preview_links.select_related("created_by")
        context["preview_link_form"] = PreviewLinkForm()
        context["can_share"] = request.user.has_perm(
            "releases.add_previewlink"
        ) and workflow.may_share_preview(obj)
        return context

    def get_urls(self):
        return [
            path(
                "<path:object_id>/preview-links/",
                self.admin_site.admin_view(self.create_preview_link),
                name="releases_release_create_preview_link",
            ),
            path(
                "<path:object_id>/preview-links/<int:link_id>/revoke/",
                self.admin_site.admin_view(self.revoke_preview_link),
                name="releases_release_revoke_preview_link",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def create_preview_link(self, request, object_id):
        release = get_object_or_404(Release, pk=object_id)
        if not request.user.has_perm("releases.add_previewlink"):
            raise PermissionDenied
        change_url = reverse("admin:releases_release_change", args=[release.pk])
        if not workflow.may_share_preview(release):
            said = (
                _("It is withdrawn: it is not to be shared.")
                if release.status == Status.WITHDRAWN
                else _("It is already live: share its public address.")
            )
            self.message_user(request, said, messages.WARNING)
            return HttpResponseRedirect(change_url)
        form = PreviewLinkForm(request.POST)
        if not form.is_valid():
            for error in form.errors.values():
                self.message_user(
                    request,
                    _("No link made: %(errors)s") % {"errors": error.as_text()},
                    messages.ERROR,
                )
            return HttpResponseRedirect(change_url)
        link = PreviewLink.objects.create(
            release=release,
            token=PreviewLink.new_token(),
            label=form.cleaned_data["label"],
            created_by=request.user,
            expires_at=timezone.now() + datetime.timedelta(hours=form.cleaned_data["hours"]),
        )
        workflow.log(
            request.user,
            release,
            StateChange.Action.PREVIEW_CREATED,
            reason=f"{link.label or 'unlabelled'}, until {astana_and_utc(link.expires_at)}",
        )
        self.message_user(
            request,
            format_html(
                _("Preview link made, valid until {}: <code>{}</code>"),
                astana_and_utc(link.expires_at),
                request.build_absolute_uri(link.get_absolute_url()),
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url + "#preview-links")

    @method_decorator(require_POST)
    def revoke_preview_link(self, request, object_id, link_id):
        link = get_object_or_404(PreviewLink, pk=link_id, release_id=object_id)
        if not request.user.has_perm("releases.change_previewlink"):
            raise PermissionDenied
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
            workflow.log(
                request.user,
                link.release,
                StateChange.Action.PREVIEW_REVOKED,
                reason=link.label or "unlabelled",
            )
            self.message_user(request, _("Preview link revoked: it no longer opens."))
        return HttpResponseRedirect(
            reverse("admin:releases_release_change", args=[object_id]) + "#preview-links"
        )


class EventForm(PublishableForm):
    TEXT_FIELDS = ("title", "description", "start_date", "end_date", "city", "country", "venue")


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    form = EventForm
    list_display = ("title", "kind", "start_date", "city", "event_status", "languages", "state")
    list_filter = (
        EditorialStateFilter, TranslationFilter, "status", "event_status", "kind", "format",
        "language",
    )  # fmt: skip
    search_fields = ("title", "description", "city", "country")
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("hosts", "topics", "documents")
    raw_id_fields = ("lead_image",)
    inlines = (EventImageInline,)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "slug",
                    "kind",
                    "language",
                    "translation_of",
                ),
                "classes": ("tab-text",),
            },
        ),
        (
            _("When and where"),
            {
                "fields": (
                    "start_date",
                    "date_precision",
                    "end_date",
                    "venue",
                    "city",
                    "country",
                    "format",
                    "event_status",
                    "accreditation_deadline",
                ),
                "classes": ("tab-text",),
            },
        ),
        (_("Text"), {"fields": ("description",), "classes": ("tab-text",)}),
        (PUBLISHING, {"fields": PUBLISHING_FIELDS}),
        (_("Links"), {"fields": ("hosts", "topics"), "classes": ("tab-links",)}),
        (
            _("Pictures and documents"),
            {"fields": ("lead_image", "documents"), "classes": ("tab-media",)},
        ),
        (
            _("Record"),
            {"classes": ("collapse", "tab-publishing"), "fields": ("created_at", "updated_at")},
        ),
    )
    preview_template = "releases/event_detail.html"

    def preview_queryset(self):
        return Event.objects.with_links()

    def preview_context(self, obj):
        return {"event": obj}
