"""Renditions: each image at a few widths (never wider than the original), in WebP and JPEG,
made once by the worker after upload (`tasks.make_renditions`) and kept in the storage."""

import io

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from .models import Image, Rendition

made = 0  # renditions made by this process (the tests count the work)


def widths_for(image: Image) -> list[int]:
    wanted = sorted(settings.MEDIA_RENDITION_WIDTHS)
    widths = [w for w in wanted if w < image.width]
    if not widths or image.width <= wanted[-1]:
        widths.append(min(image.width, wanted[-1]))
    return sorted(set(widths))


def encode(picture: PILImage.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    # Nothing read with the original is written back (a comment block in a file stored before
    # uploads were cleaned of them) but its colour profile.
    picture.info = {k: v for k, v in picture.info.items() if k == "icc_profile"}
    if fmt == Rendition.Format.JPEG:
        if picture.mode in ("RGBA", "LA", "P"):
            picture = picture.convert("RGBA")
            flat = PILImage.new("RGB", picture.size, (255, 255, 255))
            flat.paste(picture, mask=picture.split()[-1])
            picture = flat
        elif picture.mode != "RGB":
            picture = picture.convert("RGB")
        picture.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        picture.save(out, "WEBP", quality=80, method=4)
    return out.getvalue()


def make(image: Image, *, again: bool = False) -> int:
    """Make the renditions `image` lacks (all of them with `again`); how many were made."""
    global made
    existing = {(r.width, r.format): r for r in image.renditions.all()}
    todo = [
        (width, fmt)
        for width in widths_for(image)
        for fmt in (Rendition.Format.WEBP, Rendition.Format.JPEG)
        if again or (width, fmt) not in existing
    ]
    if not todo:
        return 0
    widest = max(width for width, _ in todo)
    with image.file.open("rb") as handle:
        source = PILImage.open(handle)
        # A JPEG is decoded straight at the smallest scale (1/2, 1/4, 1/8) still at least as
        # large as the widest rendition: a 12-megapixel photo needs a quarter of the work.
        source.draft("RGB", (widest, round(image.height * widest / image.width)))
        source.load()
    resized = {}
    for width, fmt in todo:
        height = max(1, round(image.height * width / image.width))
        if width not in resized:
            resized[width] = (
                source
                if width == source.width
                else source.resize((width, height), PILImage.LANCZOS)
            )
        old = existing.get((width, fmt))
        if old is not None:
            old.file.delete(save=False)
            old.delete()
        content = encode(resized[width], fmt)
        rendition = Rendition(
            image=image, width=width, height=height, format=fmt, size=len(content)
        )
        rendition.file.save(f"{width}.{fmt}", ContentFile(content), save=False)
        rendition.save()
        made += 1
    # Widths no longer wanted (the setting changed) go.
    wanted = set(widths_for(image))
    for rendition in image.renditions.exclude(width__in=wanted):
        rendition.file.delete(save=False)
        rendition.delete()
    return len(todo)
