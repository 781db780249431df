from django.contrib import admin
from django.db import models

from editorial import workflow
from editorial.admin import ProtectUsedMixin
from editorial.formfields import WORKSPACE_FIELDS
from editorial.revisions import RevisionsAdmin

from .models import Appointment, MediaContact, Organisation, Person


class AppointmentInline(admin.TabularInline):
    formfield_overrides = WORKSPACE_FIELDS
    model = Appointment
    extra = 0
    autocomplete_fields = ("organisation",)
    fields = ("role_title", "role_title_ru", "organisation", "start", "end", "entered_by_editor")


@admin.register(Person)
class PersonAdmin(ProtectUsedMixin, RevisionsAdmin):
    list_display = ("name", "name_ru", "honorific", "slug")
    search_fields = ("name", "name_ru", "aliases", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (AppointmentInline,)
    raw_id_fields = ("portrait",)  # the library's list, with thumbnails, in a pop-up

    def get_readonly_fields(self, request, obj=None):
        # A public person's portrait shows at once: it changes through a publisher.
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and not workflow.may_change_what_is_shown(request.user, obj):
            return (*fields, "portrait")
        return fields


@admin.register(Organisation)
class OrganisationAdmin(ProtectUsedMixin, RevisionsAdmin):
    list_display = ("name", "acronym", "kind")
    list_filter = ("kind",)
    # A website typed without a scheme is https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ("name", "name_ru", "acronym", "acronym_ru")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    formfield_overrides = WORKSPACE_FIELDS
    list_display = (
        "person",
        "role_title",
        "role_title_ru",
        "organisation",
        "start",
        "end",
        "entered_by_editor",
    )
    list_filter = ("entered_by_editor", "organisation")
    search_fields = ("person__name", "person__name_ru", "role_title", "role_title_ru")
    autocomplete_fields = ("person", "organisation")
    list_select_related = ("person", "organisation")


@admin.register(MediaContact)
class MediaContactAdmin(ProtectUsedMixin, RevisionsAdmin):
    list_display = ("name", "role", "phone", "email", "active")
    list_filter = ("active", "organisation")
    search_fields = ("name", "role", "email", "phone")
    autocomplete_fields = ("organisation",)
