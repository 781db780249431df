"""`{% picture image sizes="..." %}`: a <picture> with WebP and JPEG srcsets from the kept
renditions, width and height set (no layout shift), alt text in the page's language."""

from django import template

register = template.Library()


@register.inclusion_tag("library/picture.html", takes_context=True)
def picture(context, image, sizes="100vw", lazy=False):
    preview = getattr(context.get("preview_link"), "token", "")
    renditions = image.rendition_list  # loaded with the page's items
    webp = [r for r in renditions if r.format == "webp"]
    jpeg = [r for r in renditions if r.format == "jpg"]

    def srcset(items):
        return ", ".join(f"{image.url(f'{r.width}.{r.format}', preview)} {r.width}w" for r in items)

    largest = jpeg[-1] if jpeg else None
    return {
        "webp": srcset(webp),
        "jpeg": srcset(jpeg),
        "src": image.url(f"{largest.width}.jpg", preview)
        if largest
        else image.url("original", preview),
        "width": largest.width if largest else image.width,
        "height": largest.height if largest else image.height,
        "alt": image.alt(),
        "sizes": sizes,
        "lazy": lazy,
    }


@register.simple_tag(takes_context=True)
def document_url(context, document):
    return document.url(getattr(context.get("preview_link"), "token", ""))


def best_rendition(image):
    """The largest JPEG rendition (what a sharing card shows), or None before they are made."""
    jpeg = [r for r in image.rendition_list if r.format == "jpg"]
    return jpeg[-1] if jpeg else None


@register.inclusion_tag("library/share_image.html", takes_context=True)
def share_image(context, image):
    """OpenGraph and Twitter card tags for a page's lead picture."""
    request = context["request"]
    rendition = best_rendition(image)
    variant = f"{rendition.width}.jpg" if rendition else "original"
    return {
        "url": request.build_absolute_uri(image.url(variant)),
        "width": rendition.width if rendition else image.width,
        "height": rendition.height if rendition else image.height,
        "alt": image.alt(),
        "type": "image/jpeg" if rendition else "",
    }
