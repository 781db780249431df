"""The media library: photographs (with their renditions) and documents, attached to releases,
events and people by those apps. A file is visible only through what it is attached to
(`public()`), and its bytes only through `library.views` (never a public folder)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from editorial.models import Language, VisibleRecordMixin, linked_from_public

from .checks import DOCUMENT_TYPES

# The reverse relations through which public content shows a file (the apps above define them).
IMAGE_USERS = ("lead_of_releases", "releases", "lead_of_events", "events", "portrait_of")
DOCUMENT_USERS = ("releases", "events")


def image_path(instance, filename):
    return f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


def rendition_path(instance, filename):
    return f"renditions/{instance.image_id}/{filename}"


def document_path(instance, filename):
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


class LibraryQuerySet(models.QuerySet):
    def public(self):
        """What a visitor may fetch: attached to something public."""
        return self.filter(linked_from_public(self.model, *self.model.USED_BY))


class LibraryRecord(VisibleRecordMixin, models.Model):
    """A file of the library: shown by the items its `USED_BY` relations name."""

    USED_BY: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def uses(self) -> list:
        """What shows this file (up to 20 of each kind)."""
        return [item for name in self.USED_BY for item in getattr(self, name).all()[:20]]

    def cache_tags(self) -> set[str]:
        """A change shows on the pages of what shows the file."""
        tags = set().union(*(item.cache_tags() for item in self.uses()))
        return tags or {"all"}


class Image(LibraryRecord):
    USED_BY = IMAGE_USERS

    file = models.ImageField(
        verbose_name=_("file"), upload_to=image_path, width_field="width", height_field="height"
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the picture shows, for people who cannot see it (read by screen readers). "
            "Required before a release with this picture can be published."
        ),
    )
    alt_text_ru = models.CharField(_("alt text in Russian"), max_length=300, blank=True)
    caption = models.CharField(verbose_name=_("caption"), max_length=500, blank=True)
    caption_ru = models.CharField(_("caption in Russian"), max_length=500, blank=True)
    credit = models.CharField(
        verbose_name=_("credit"),
        max_length=200,
        blank=True,
        help_text=_("Photographer and/or copyright, e.g. “© CICA”."),
    )
    taken_on = models.DateField(verbose_name=_("taken on"), null=True, blank=True)
    width = models.PositiveIntegerField(verbose_name=_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(verbose_name=_("height"), editable=False, default=0)
    original_name = models.CharField(
        verbose_name=_("original name"), max_length=255, blank=True, editable=False
    )
    created_at = models.DateTimeField(
        verbose_name=_("created at"), default=timezone.now, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = LibraryQuerySet.as_manager()

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.alt_text or self.caption or self.original_name or f"Image {self.pk}"

    def save(self, *args, **kwargs):
        if self.file and not (self.width and self.height):
            from django.core.files.images import get_image_dimensions

            self.width, self.height = get_image_dimensions(self.file)
        super().save(*args, **kwargs)

    @cached_property
    def rendition_list(self) -> list:
        """Its renditions: prefetched for the pictures a page shows (`with_renditions()`), else
        read when first asked."""
        return list(self.renditions.all())

    def alt(self, language=None) -> str:
        language = language or get_language()
        return (self.alt_text_ru if language == "ru" and self.alt_text_ru else self.alt_text) or ""

    def local_caption(self, language=None) -> str:
        language = language or get_language()
        return self.caption_ru if language == "ru" and self.caption_ru else self.caption

    def url(self, variant: str = "original", preview: str = "") -> str:
        from django.urls import reverse

        address = reverse("library:image", kwargs={"pk": self.pk, "variant": variant})
        return f"{address}?preview={preview}" if preview else address

    def picture(self, preview: str = "") -> dict:
        """What a <picture> of it says (`templates/library/picture.html`): WebP and JPEG
        srcsets from the kept renditions, the largest JPEG as `src` (the original before
        renditions are made), its size (no layout shift), the alt text in the page's language."""
        webp = [r for r in self.rendition_list if r.format == "webp"]
        jpeg = self._jpegs()

        def srcset(items):
            return ", ".join(
                f"{self.url(f'{r.width}.{r.format}', preview)} {r.width}w" for r in items
            )

        largest = jpeg[-1] if jpeg else None
        return {
            "webp": srcset(webp),
            "jpeg": srcset(jpeg),
            "src": self.url(f"{largest.width}.jpg", preview)
            if largest
            else self.url("original", preview),
            "width": largest.width if largest else self.width,
            "height": largest.height if largest else self.height,
            "alt": self.alt(),
        }

    def sharing_card(self) -> dict:
        """What OpenGraph and Twitter cards say of it as a page's lead picture: the largest
        JPEG rendition (the original before renditions are made), its path, size and type."""
        jpeg = self._jpegs()
        rendition = jpeg[-1] if jpeg else None
        return {
            "path": self.url(f"{rendition.width}.jpg" if rendition else "original"),
            "width": rendition.width if rendition else self.width,
            "height": rendition.height if rendition else self.height,
            "alt": self.alt(),
            "type": "image/jpeg" if rendition else "",
        }

    def _jpegs(self) -> list:
        """Its JPEG renditions, narrowest first (loaded with the page's items)."""
        return [r for r in self.rendition_list if r.format == "jpg"]

    @property
    def needs_alt_text(self) -> bool:
        return not self.alt_text.strip()


class Rendition(models.Model):
    """A resized copy of an image, made once by the worker (`library.renditions`) and kept."""

    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpg", "JPEG"

    image = models.ForeignKey(
        Image, verbose_name=_("image"), on_delete=models.CASCADE, related_name="renditions"
    )
    width = models.PositiveIntegerField(verbose_name=_("width"))
    height = models.PositiveIntegerField(verbose_name=_("height"))
    format = models.CharField(verbose_name=_("format"), max_length=4, choices=Format.choices)
    file = models.FileField(verbose_name=_("file"), upload_to=rendition_path)
    size = models.PositiveIntegerField(
        verbose_name=_("size"), default=0, help_text=_("In bytes (feeds' enclosures).")
    )

    class Meta:
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        ordering = ["format", "width"]
        constraints = [
            models.UniqueConstraint(fields=["image", "width", "format"], name="one_rendition_each")
        ]

    def __str__(self):
        return f"{self.image_id} at {self.width}px ({self.format})"


class Document(LibraryRecord):
    USED_BY = DOCUMENT_USERS

    file = models.FileField(verbose_name=_("file"), upload_to=document_path)
    title = models.CharField(verbose_name=_("title"), max_length=300)
    language = models.CharField(
        verbose_name=_("language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=4, editable=False, blank=True)
    size = models.PositiveBigIntegerField(verbose_name=_("size"), default=0, editable=False)
    original_name = models.CharField(
        verbose_name=_("original name"), max_length=255, blank=True, editable=False
    )
    created_at = models.DateTimeField(
        verbose_name=_("created at"), default=timezone.now, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = LibraryQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    @property
    def content_type(self) -> str:
        return DOCUMENT_TYPES.get(self.kind, "application/octet-stream")

    def url(self, preview: str = "") -> str:
        from django.urls import reverse

        address = reverse("library:document", kwargs={"pk": self.pk, "name": self.download_name})
        return f"{address}?preview={preview}" if preview else address

    @property
    def download_name(self) -> str:
        from django.utils.text import slugify

        return f"{slugify(self.title)[:80] or 'document'}.{self.kind}"


def with_renditions(relation: str = "renditions") -> Prefetch:
    """A `Prefetch` giving pictures (reached through `relation`, ending in `renditions`) their
    renditions as `rendition_list`, in one query."""
    return Prefetch(relation, queryset=Rendition.objects.all(), to_attr="rendition_list")
