from django.contrib import admin

from .models import Redirect


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
