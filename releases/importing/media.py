"""Pictures and documents that sit beside a release's text file and share its name
(`NAME.jpg`, `NAME-2.jpg`, `NAME.pdf`): checked like an upload, attached to the release (the
first picture as its lead, the others in the gallery in name order), each once. They arrive
without alt text, so a release with new pictures is not published by the import: it waits,
flagged "needs alt text", for an editor to describe them."""

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from library.checks import clean_document, clean_image
from library.models import Document, Image
from library.tasks import make_renditions

from ..models import Release, ReleaseImage

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
DOCUMENT_SUFFIXES = {".pdf", ".docx", ".xlsx", ".odt"}


_listings: dict[Path, tuple[int, frozenset[str]]] = {}


def names_in(folder: Path) -> frozenset[str]:
    """The names in `folder`, listed once for as long as it does not change (its mtime): an
    import of a folder of 10,000 texts lists it once, not once per text."""
    stamp = folder.stat().st_mtime_ns
    known = _listings.get(folder)
    if known is None or known[0] != stamp:
        if len(_listings) > 64:
            _listings.clear()
        known = _listings[folder] = (stamp, frozenset(os.listdir(folder)))
    return known[1]


def siblings(path: Path) -> list[Path]:
    """The media files beside `path` named after it, in order (NAME, then NAME-2, NAME-3...
    up to the first number with no file). Regular files only."""
    names = names_in(path.parent)
    suffixes = sorted(IMAGE_SUFFIXES | DOCUMENT_SUFFIXES)

    def present(stem: str) -> list[Path]:
        found = sorted(
            {stem + variant for suffix in suffixes for variant in (suffix, suffix.upper())} & names
        )
        return [
            path.with_name(name)
            for name in found
            if path.with_name(name).is_file() and not path.with_name(name).is_symlink()
        ]

    result = present(path.stem)
    number = 2
    while more := present(f"{path.stem}-{number}"):
        result += more
        number += 1
    return result


def new_pictures(path: Path, source: str) -> list[Path]:
    """The pictures beside `path` not attached yet."""
    pictures = [p for p in siblings(path) if p.suffix.lower() in IMAGE_SUFFIXES]
    if not pictures:
        return []
    known = set(
        Image.objects.filter(original_name__startswith=source_stem(source)).values_list(
            "original_name", flat=True
        )
    )
    return [p for p in pictures if sibling_name(source, p) not in known]


def source_stem(source: str) -> str:
    return source.rsplit(".", 1)[0]


def sibling_name(source: str, sibling: Path) -> str:
    """How an attached file remembers where it came from: "folder/NAME-2.jpg"."""
    folder = source.rsplit("/", 1)[0] + "/" if "/" in source else ""
    return f"{folder}{sibling.name}"


def attach(path: Path, source: str, release: Release) -> tuple[list[str], list[str]]:
    """Attach the files beside `path` not attached yet. (names attached, warnings) A release
    already live gets no picture this way: it would show with no alt text."""
    attached, warnings = [], []
    files = siblings(path)
    if not files:
        return attached, warnings
    live = release.is_public or release.is_scheduled
    known = {
        *Image.objects.filter(original_name__startswith=source_stem(source)).values_list(
            "original_name", flat=True
        ),
        *release.documents.values_list("original_name", flat=True),
    }
    gallery_size = release.gallery_items.count()
    with transaction.atomic():
        for sibling in files:
            name = sibling_name(source, sibling)
            if name in known:
                continue
            picture = sibling.suffix.lower() in IMAGE_SUFFIXES
            if live:
                # What a live page shows passes an editor first: a picture needs its alt text,
                # a document a look.
                warnings.append(
                    f"{sibling.name} not attached: the release is published, and "
                    + (
                        "a picture needs its alt text first"
                        if picture
                        else "a document is checked by an editor first"
                    )
                    + ": add it in the admin (Media library)"
                )
                continue
            limit = settings.MEDIA_MAX_IMAGE_BYTES if picture else settings.MEDIA_MAX_DOCUMENT_BYTES
            size = sibling.stat().st_size
            if size > limit:  # known before a byte is read
                warnings.append(
                    f"{sibling.name} not attached: {size // 1_048_576} MB, over the limit of "
                    f"{limit // 1_048_576} MB"
                )
                continue
            data = sibling.read_bytes()
            try:
                if picture:
                    clean = clean_image(ContentFile(data, name=sibling.name))
                    image = Image(original_name=name)
                    image.file.save(
                        f"import.{clean.extension}", ContentFile(clean.content), save=True
                    )
                    if release.lead_image_id is None:
                        release.lead_image = image
                        Release.objects.filter(pk=release.pk).update(lead_image=image)
                    else:
                        gallery_size += 1
                        ReleaseImage.objects.create(
                            release=release, image=image, position=gallery_size
                        )
                    pk = image.pk
                    transaction.on_commit(lambda pk=pk: make_renditions.enqueue(pk))
                else:
                    kind = clean_document(ContentFile(data, name=sibling.name))
                    document = Document(
                        title=sibling.stem.replace("_", " ").replace("-", " "),
                        language=release.language,
                        kind=kind,
                        size=len(data),
                        original_name=name,
                    )
                    document.file.save(f"import.{kind}", ContentFile(data), save=True)
                    release.documents.add(document)
            except ValidationError as error:
                warnings.append(f"{sibling.name} not attached: {' '.join(error.messages)}")
                continue
            attached.append(sibling.name)
    return attached, warnings
