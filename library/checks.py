"""What an uploaded file must be before anything is stored: the file's own bytes decide, never
its name. Images are decoded in full (a truncated or corrupt file is refused), bounded in bytes
and in pixels (decompression bombs), turned upright and re-encoded without their metadata (EXIF
with GPS positions, XMP, IPTC, comments). Documents are recognised by their content."""

import io
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


@dataclass
class CleanImage:
    content: bytes
    extension: str
    width: int
    height: int


def megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def check_size(upload, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": megabytes(upload.size), "limit": megabytes(limit)},
            code="too_large",
        )


def clean_image(upload) -> CleanImage:
    """The upload as a clean, upright JPEG, PNG or WebP with no metadata, or ValidationError."""
    check_size(upload, settings.MEDIA_MAX_IMAGE_BYTES)
    upload.seek(0)
    data = upload.read()
    pixels = settings.MEDIA_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            probe = PILImage.open(io.BytesIO(data))
            kind = probe.format
            if kind not in IMAGE_FORMATS:
                raise ValidationError(
                    _("Only JPEG, PNG and WebP photographs are accepted; this file is %(kind)s.")
                    % {"kind": kind or _("another kind")},
                    code="format",
                )
            if probe.width * probe.height > pixels:
                raise PILImage.DecompressionBombError
            probe.verify()
            image = PILImage.open(io.BytesIO(data))
            image.load()  # decodes every pixel: a truncated file fails here
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ValidationError(
            _(
                "The picture is too large in pixels (more than %(megapixels)d megapixels); "
                "make it smaller and upload it again."
            )
            % {"megapixels": pixels / 1e6},
            code="pixels",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            _(
                "This file is not a picture. Only JPEG, PNG and WebP photographs are accepted "
                "(not SVG, which can carry script)."
            ),
            code="format",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _(
                "The picture is damaged or incomplete (it could not be read to the end). Export "
                "it again and upload the new file."
            ),
            code="corrupt",
        ) from None
    image = ImageOps.exif_transpose(image)  # upright first, then the metadata goes
    out = io.BytesIO()
    icc = image.info.get("icc_profile")  # colour, not metadata: kept
    image.info = {}  # Pillow writes back what it read (a JPEG's comment blocks, say)
    if kind == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=92, optimize=True, icc_profile=icc)
    elif kind == "PNG":
        image.save(out, "PNG", optimize=True, icc_profile=icc)
    else:
        image.save(out, "WEBP", quality=90, icc_profile=icc)
    return CleanImage(out.getvalue(), IMAGE_FORMATS[kind][0], image.width, image.height)


# Documents: the extension a visitor sees, its type, and what the bytes must look like.
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain",
}


MIMETYPE_BYTES = 100  # an OpenDocument's "mimetype" entry: its type, a few dozen bytes


def document_kind(data: bytes) -> str | None:
    """ "pdf", "docx", "xlsx", "odt" or "txt" from the content itself, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return archive_kind(archive)
        except zipfile.BadZipFile:
            return None
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "txt"


def archive_kind(archive: zipfile.ZipFile) -> str | None:
    """ "odt", "docx" or "xlsx" from a zip archive's members, or None."""
    names = set(archive.namelist())
    if "mimetype" in names:
        # A few bytes, never the whole member: a tiny archive can hold a "mimetype" that
        # unpacks to gigabytes.
        if archive.getinfo("mimetype").file_size > MIMETYPE_BYTES:
            return None
        with archive.open("mimetype") as member:
            mimetype = member.read(MIMETYPE_BYTES).strip()
        return "odt" if mimetype == DOCUMENT_TYPES["odt"].encode() else None
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def clean_document(upload) -> str:
    """The document's kind, or ValidationError."""
    check_size(upload, settings.MEDIA_MAX_DOCUMENT_BYTES)
    upload.seek(0)
    kind = document_kind(upload.read())
    upload.seek(0)
    if kind is None:
        raise ValidationError(
            _(
                "Only PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT) and plain text files "
                "are accepted; this file's content is none of them."
            ),
            code="format",
        )
    return kind
