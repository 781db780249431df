"""The media library in the admin: upload (checked, cleaned), find (search, thumbnails) and
describe pictures and documents; releases, events and people pick them from here."""

from django import forms
from django.contrib import admin
from django.core.files.base import ContentFile
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from editorial import workflow

from .checks import clean_document, clean_image
from .models import Document, Image
from .tasks import make_renditions


class ImageForm(forms.ModelForm):
    # A plain file field: our checks (library.checks) decide, with their own messages.
    file = forms.FileField(label=_("Picture"))

    class Meta:
        model = Image
        fields = ("file", "alt_text", "alt_text_ru", "caption", "caption_ru", "credit", "taken_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alt_text"].required = True  # in the admin; only the importer leaves it empty
        if self.instance.pk:
            self.fields["file"].required = False
        self.fields["file"].help_text = _(
            "JPEG, PNG or WebP. The picture is turned upright and its hidden data (camera, GPS "
            "position, dates) removed before it is stored."
        )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None or not hasattr(upload, "content_type"):  # unchanged
            return upload
        clean = clean_image(upload)
        self.original_name = upload.name[:255]
        return ContentFile(clean.content, name=f"upload.{clean.extension}")


def thumbnail(image, width=160):
    rendition = next((r for r in image.renditions.all() if r.format == "jpg"), None)
    src = image.url(f"{rendition.width}.jpg") if rendition else image.url("original")
    return format_html(
        '<img src="{}" alt="" width="{}" class="library-thumb" loading="lazy">', src, width
    )


class AltTextFilter(admin.SimpleListFilter):
    title = _("alt text")
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", _("Needs alt text")), ("present", _("Has alt text"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(alt_text="")
        if self.value() == "present":
            return queryset.exclude(alt_text="")
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ("preview", "__str__", "credit", "size", "alt_status", "created_at")
    list_display_links = ("preview", "__str__")
    search_fields = ("alt_text", "alt_text_ru", "caption", "caption_ru", "credit", "original_name")
    readonly_fields = ("large_preview", "size", "original_name", "created_at", "used_by")
    list_filter = (AltTextFilter,)
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    @admin.display(description=_("Picture"))
    def preview(self, obj):
        return thumbnail(obj, 120)

    @admin.display(description=_("Preview"))
    def large_preview(self, obj):
        return thumbnail(obj, 480) if obj.pk else "—"

    @admin.display(description=_("Size"))
    def size(self, obj):
        return f"{obj.width} × {obj.height} px" if obj.width else "—"

    @admin.display(description=_("Alt text"), boolean=False)
    def alt_status(self, obj):
        return _("Needs alt text") if obj.needs_alt_text else "✓"

    @admin.display(description=_("Used by"))
    def used_by(self, obj):
        uses = obj.uses() if obj.pk else []
        return ", ".join(str(item) for item in uses) or "Nothing yet"

    def has_change_permission(self, request, obj=None):
        # A picture a live page shows changes through a publisher (its file and alt text show).
        return super().has_change_permission(request, obj) and (
            obj is None or workflow.may_change_what_is_shown(request.user, obj)
        )

    def get_deleted_objects(self, objs, request):
        """A picture something still shows is not deleted: the page lists where it is used."""
        uses = [
            f"{item._meta.verbose_name.capitalize()}: {item}" for obj in objs for item in obj.uses()
        ]
        if uses:
            return [], {}, set(), uses
        return super().get_deleted_objects(objs, request)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if getattr(form, "original_name", None):
            obj.original_name = form.original_name
        super().save_model(request, obj, form, change)
        if "file" in form.changed_data:
            for rendition in obj.renditions.all():  # a new file: new renditions
                rendition.file.delete(save=False)
                rendition.delete()
            pk = obj.pk
            from django.db import transaction

            transaction.on_commit(lambda: make_renditions.enqueue(pk))


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ("file", "title", "language")
        # Django's own file input with its label (from Django 6.1 the admin's puts a file input
        # in a fieldset whose legend does not name it for screen readers).
        widgets = {"file": forms.ClearableFileInput}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None or not hasattr(upload, "content_type"):
            return upload
        self.kind = clean_document(upload)
        self.size = upload.size
        return upload


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    form = DocumentForm
    list_display = ("title", "language", "kind", "size_shown", "created_at")
    list_filter = ("language", "kind")
    search_fields = ("title",)

    @admin.display(description=_("Size"), ordering="size")
    def size_shown(self, obj):
        return (
            f"{obj.size / 1024:.0f} KB"
            if obj.size < 1_048_576
            else f"{obj.size / 1_048_576:.1f} MB"
        )

    def has_change_permission(self, request, obj=None):
        # A document a live page offers changes through a publisher.
        return super().has_change_permission(request, obj) and (
            obj is None or workflow.may_change_what_is_shown(request.user, obj)
        )

    def save_model(self, request, obj, form, change):
        if getattr(form, "kind", None):
            obj.kind, obj.size = form.kind, form.size
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
