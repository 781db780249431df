from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import ApiKey, Redirect
from .widgets import DateTimeInput


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """Old addresses and where they lead; the counts say which old links are still followed."""

    list_display = ("old_path", "new_path", "source", "hits", "last_hit_at")
    list_filter = ("source",)
    search_fields = ("old_path", "new_path")
    readonly_fields = ("hits", "last_hit_at", "created_at")
    fields = ("old_path", "new_path", "source", "hits", "last_hit_at", "created_at")
    ordering = ("-hits", "old_path")
    list_per_page = 50


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Partners' keys: made here (the key is shown once), limited, revoked; a small table of
    each key's requests per day."""

    list_display = ("name", "lookup", "contact", "rate", "expires_at", "state", "today")
    search_fields = ("name", "contact", "lookup")
    readonly_fields = ("lookup", "created_at", "revoked_at", "usage_table")
    actions = ("revoke",)
    formfield_overrides = {
        models.DateTimeField: {"form_class": forms.DateTimeField, "widget": DateTimeInput}
    }

    def get_fields(self, request, obj=None):
        fields = ["name", "contact", "rate", "expires_at"]
        if obj is not None:
            fields += ["lookup", "created_at", "revoked_at", "usage_table"]
        return fields

    def get_queryset(self, request):
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .annotate(n_today=Sum("usage__requests", filter=Q(usage__day=today)))
        )

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, so its counts stay

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.revoked_at:
            return _("revoked")
        if obj.expires_at and obj.expires_at <= timezone.now():
            return _("expired")
        return _("usable")

    @admin.display(description=_("requests today"), ordering="n_today")
    def today(self, obj):
        return obj.n_today or 0

    @admin.display(description=_("requests per day (last 30 days)"))
    def usage_table(self, obj):
        rows = obj.usage.order_by("-day")[:30]
        if not rows:
            return _("No requests yet.")
        return format_html(
            "<table><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("day"),
            _("requests"),
            format_html_join(
                "", "<tr><td>{}</td><td>{}</td></tr>", ((r.day, r.requests) for r in rows)
            ),
        )

    def save_model(self, request, obj, form, change):
        key = obj.make_key() if not change else None
        super().save_model(request, obj, form, change)
        if key is not None:
            self.message_user(
                request,
                _("The key for %(name)s, shown this once (only its fingerprint is kept): %(key)s")
                % {"name": obj.name, "key": key},
                messages.WARNING,
            )

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        n = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("Keys revoked: %d.") % n)
