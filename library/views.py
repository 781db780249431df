"""The only way to the bytes of the library: each request is checked against what the file is
attached to (`access.may_fetch`). Files on the local disk are streamed; from an S3-compatible
store the answer is a redirect to a signed address that expires (MEDIA_URL_EXPIRY_SECONDS)."""

import mimetypes

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.views.decorators.http import require_safe

from core.caching import tag_headers
from core.caching.edge import MEDIA

from .access import may_fetch
from .models import Document, Image

IMAGE_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def answer(request, field, content_type: str, public: bool, *, download_name=None):
    storage = field.storage
    cache = "public, max-age=3600" if public else "private, no-store"
    if getattr(storage, "querystring_auth", False):  # S3: a signed, expiring address
        response = HttpResponseRedirect(storage.url(field.name))
    else:
        try:
            handle = field.open("rb")
        except FileNotFoundError:
            raise Http404("The file is missing from the storage.") from None
        response = FileResponse(
            handle,
            content_type=content_type,
            as_attachment=download_name is not None,
            filename=download_name or "",
        )
    response["Cache-Control"] = cache
    if public:  # an edge keeps it until a withdrawal makes the library's files private again
        tag_headers(
            response, {MEDIA, f"{type(field.instance).__name__.lower()}:{field.instance.pk}"}
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if not public:
        response["X-Robots-Tag"] = "noindex"
    return response


def not_found(request, message: str):
    """The one answer for a file that does not exist and a file this visitor may not see:
    both ask who the visitor is (as the check of a private file does), so both carry the same
    `Vary: Cookie`, and nothing tells a private file from a missing one."""
    request.user.is_authenticated  # noqa: B018 (read: the session is asked)
    return Http404(message)


@require_safe
def image_file(request, pk: int, variant: str):
    image = Image.objects.filter(pk=pk).first()
    allowed, public = may_fetch(request, image, "image") if image else (False, False)
    if not allowed:
        raise not_found(request, "No such picture.")
    if variant == "original":
        field = image.file
        extension = image.file.name.rsplit(".", 1)[-1]
    else:
        width, _, extension = variant.partition(".")
        rendition = image.renditions.filter(
            width=int(width) if width.isdigit() else -1, format=extension
        ).first()
        if rendition is None:
            raise Http404("No such rendition.")
        field = rendition.file
    return answer(request, field, IMAGE_TYPES.get(extension, "application/octet-stream"), public)


@require_safe
def document_file(request, pk: int, name: str):
    document = Document.objects.filter(pk=pk).first()
    allowed, public = may_fetch(request, document, "document") if document else (False, False)
    if not allowed:
        raise not_found(request, "No such document.")
    content_type = document.content_type or mimetypes.guess_type(name)[0]
    return answer(
        request, document.file, content_type, public, download_name=document.download_name
    )
