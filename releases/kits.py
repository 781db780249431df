"""Media kits: one zip per public release or event with pictures or documents, holding the
pictures' originals at full resolution, the documents, and a text file with the item's words and
each picture's caption and credit. The worker builds it once per change (`build`, queued by
`queue()` after anything it holds changes); the page offers it, with its size, while its
fingerprint matches what the item shows."""

import hashlib
import tempfile
import zipfile

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import slugify

KINDS = {"release": "Release", "event": "Event"}


def item_key(item) -> str:
    return f"{item._meta.model_name}:{item.pk}"


def pictures(item) -> list:
    """The item's pictures in page order: the lead picture, then the gallery's."""
    found = [item.lead_image] if item.lead_image_id else []
    return found + [picture for picture in item.gallery() if picture.pk != item.lead_image_id]


def fingerprint(item) -> str | None:
    """What the kit of `item` holds, as a digest; None when there is nothing to put in one."""
    images, documents = pictures(item), item.document_list
    if not images and not documents:
        return None
    parts = [str(item.version), item.title]
    parts += [f"i{p.pk}:{p.file.name}:{p.caption}:{p.caption_ru}:{p.credit}" for p in images]
    parts += [f"d{d.pk}:{d.file.name}:{d.title}" for d in documents]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def current(item):
    """The kit to offer on the page of `item` (None while none matches what it shows)."""
    from .models import MediaKit

    digest = fingerprint(item)
    if digest is None:
        return None
    return MediaKit.objects.filter(item_key=item_key(item), fingerprint=digest).first()


def text_file(item, images, documents) -> str:
    with translation.override(item.language):
        lines = [item.title, "=" * min(len(item.title), 72), ""]
        date = getattr(item, "date", None) or getattr(item, "start_date", None)
        if date:
            lines += [date.isoformat(), ""]
        words = getattr(item, "lead", "") or ""
        body = getattr(item, "body", None) or getattr(item, "description", "") or ""
        lines += [words, "", body, ""] if words else [body, ""]
        if images:
            lines += ["Photos", "------"]
            for number, picture in enumerate(images, 1):
                lines.append(f"{number:02d}. {picture.local_caption() or picture.alt_text}")
                if picture.credit:
                    lines.append(f"    Credit: {picture.credit}")
            lines.append("")
        if documents:
            lines += ["Documents", "---------"]
            lines += [f"- {document.title} ({document.download_name})" for document in documents]
    return "\n".join(lines).strip() + "\n"


def build(kind: str, pk: int) -> str:
    """Build the kit of the public item `kind`/`pk` if what it holds changed since the last."""
    from .models import Event, MediaKit, Release

    model = {"release": Release, "event": Event}[kind]
    item = model.objects.public().filter(pk=pk).first()
    if item is None:
        return "not public"
    digest = fingerprint(item)
    kept = MediaKit.objects.filter(item_key=item_key(item)).first()
    if digest is None:
        if kept is not None:
            kept.file.delete(save=False)
            kept.delete()
        return "nothing to hold"
    if kept is not None and kept.fingerprint == digest:
        return "unchanged"
    images, documents = pictures(item), item.document_list
    stem = slugify(item.slug)[:60] or kind
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{stem}/{stem}.txt", text_file(item, images, documents))
            for number, picture in enumerate(images, 1):
                extension = picture.file.name.rsplit(".", 1)[-1]
                name = f"{stem}/photos/{number:02d}-{stem}.{extension}"
                with picture.file.open("rb") as source:  # already compressed: stored as is
                    archive.writestr(
                        zipfile.ZipInfo(name, timezone.localtime().timetuple()[:6]),
                        source.read(),
                        compress_type=zipfile.ZIP_STORED,
                    )
            for document in documents:
                with document.file.open("rb") as source:
                    archive.writestr(f"{stem}/documents/{document.download_name}", source.read())
        size = spool.tell()
        spool.seek(0)
        with transaction.atomic():
            kit = kept or MediaKit(item_key=item_key(item))
            old = kit.file.name if kept else None
            kit.fingerprint, kit.size, kit.built_at = digest, size, timezone.now()
            kit.file.save(f"{kind}-{pk}-{digest[:12]}.zip", File(spool), save=False)
            kit.save()
    if old and old != kit.file.name:
        kit.file.storage.delete(old)
    return "built"


def queue(item) -> None:
    """After the current transaction, have the worker (re)build the kit of `item`: now if it
    is public, else when it goes live."""
    from .tasks import build_media_kit

    kind, pk = item._meta.model_name, item.pk
    when = item.publish_at if item.publish_at and item.publish_at > timezone.now() else None

    def enqueue():
        task = build_media_kit.using(run_after=when) if when else build_media_kit
        task.enqueue(kind, pk)

    transaction.on_commit(enqueue)


def _has_media(item) -> bool:
    return bool(item.lead_image_id) or item.gallery_items.exists() or item.documents.exists()


def _item_saved(sender, instance, raw=False, **kwargs):
    from editorial.models import Status

    if not raw and instance.status == Status.PUBLISHED and _has_media(instance):
        queue(instance)


def _gallery_changed(sender, instance, raw=False, **kwargs):
    item = getattr(instance, sender.ITEM, None)
    if not raw and item is not None:
        _item_saved(type(item), item)


def _documents_changed(sender, instance, action, reverse=False, **kwargs):
    if action.startswith("post_") and not reverse:
        _item_saved(type(instance), instance)


def _file_changed(sender, instance, raw=False, **kwargs):
    """A picture's or document's file, caption or credit changed: the kits holding it."""
    from .models import Event, Release

    if raw:
        return
    for model in (Release, Event):
        if sender._meta.model_name == "image":
            using = model.objects.filter(Q(lead_image=instance) | Q(gallery_items__image=instance))
        else:
            using = model.objects.filter(documents=instance)
        for item in using.public().distinct():
            queue(item)


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from library.models import Document, Image

    from .models import Event, EventImage, Release, ReleaseImage

    for model in (Release, Event):
        post_save.connect(_item_saved, sender=model, dispatch_uid=f"kit-{model.__name__}")
        m2m_changed.connect(
            _documents_changed,
            sender=model.documents.through,
            dispatch_uid=f"kit-documents-{model.__name__}",
        )
    for gallery in (ReleaseImage, EventImage):
        for signal in (post_save, post_delete):
            signal.connect(
                _gallery_changed, sender=gallery, dispatch_uid=f"kit-{gallery.__name__}-{signal}"
            )
    for model in (Image, Document):
        post_save.connect(_file_changed, sender=model, dispatch_uid=f"kit-{model.__name__}")
