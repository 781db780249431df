from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Event, Release, ReleasePerson, Topic


class AuthorshipMixin:
    """Record which editor created and last changed an item."""

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class ReleasePersonInline(admin.TabularInline):
    model = ReleasePerson
    extra = 0
    autocomplete_fields = ("person",)
    fields = ("person", "honorific", "title_given", "position")


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Release)
class ReleaseAdmin(AuthorshipMixin, SimpleHistoryAdmin):
    list_display = ("title", "kind", "language", "status", "date", "publish_at", "updated_at")
    list_filter = ("status", "kind", "language", "topics", "date")
    search_fields = ("title", "lead", "body", "slug")
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("topics", "organisations", "events", "media_contacts")
    inlines = (ReleasePersonInline,)
    readonly_fields = ("source_file", "content_hash", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "language", "translation_group")}),
        ("Dateline", {"fields": ("date", "date_end", "city", "country")}),
        ("Text", {"fields": ("lead", "body")}),
        ("Publishing", {"fields": ("status", "publish_at", "withdrawal_note")}),
        ("Links", {"fields": ("topics", "organisations", "events", "media_contacts")}),
        ("Source", {"classes": ("collapse",), "fields": readonly_fields}),
    )


@admin.register(Event)
class EventAdmin(AuthorshipMixin, SimpleHistoryAdmin):
    list_display = ("title", "kind", "start_date", "end_date", "city", "event_status", "status")
    list_filter = ("status", "event_status", "kind", "format", "language")
    search_fields = ("title", "description", "city", "country")
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("hosts", "topics")
