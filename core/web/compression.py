"""Compressed answers for clients that accept them (brotli, else gzip), when no proxy in front
compresses (Varnish asks for gzip and keeps that).

Only what every visitor receives alike is compressed: answers marked `public` (a shared cache
may keep them) that set no cookie. A page holding a secret (the admin, a form with its CSRF
token) is never public, so it is never compressed: with a visitor's input reflected beside the
secret, the compressed size would leak it (BREACH). A compressed body is kept in this process's
memory ("compressed" cache) under its ETag, so a page served from the cache is compressed once.
"""

import gzip

import brotli
from django.core.cache import caches
from django.utils.cache import patch_vary_headers

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/vnd.oai.openapi",
    "application/javascript",
)
MIN_BYTES = 512  # below this, the headers cost more than compression saves
BROTLI_QUALITY = 5  # about gzip's speed, a fifth smaller on our pages
GZIP_LEVEL = 6


def accepted_encoding(header: str) -> str | None:
    """The coding to answer in: "br" or "gzip" if the client's Accept-Encoding allows it."""
    allowed = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
        try:
            if float(quality) > 0:
                allowed.add(name.strip().lower())
        except ValueError:
            continue
    for coding in ("br", "gzip"):
        if coding in allowed or "*" in allowed:
            return coding
    return None


def compress(content: bytes, coding: str) -> bytes:
    if coding == "br":
        return brotli.compress(content, quality=BROTLI_QUALITY)
    return gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)


def shared_alike(response) -> bool:
    """Whether this answer is the same for every visitor and holds no secret."""
    control = response.get("Cache-Control", "")
    return (
        "public" in control
        and "private" not in control
        and not response.cookies
        and not response.has_header("Content-Encoding")
        and not response.streaming
        and response.status_code == 200
        and response.get("Content-Type", "").startswith(COMPRESSIBLE)
        and len(response.content) >= MIN_BYTES
    )


class CompressionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not shared_alike(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        coding = accepted_encoding(request.headers.get("Accept-Encoding", ""))
        if coding is None:
            return response
        etag = response.get("ETag")
        key = f"{coding}:{etag}" if etag else None
        body = caches["compressed"].get(key) if key else None
        if body is None:
            body = compress(response.content, coding)
            if key:
                caches["compressed"].set(key, body)
        if len(body) >= len(response.content):
            return response
        response.content = body
        response["Content-Length"] = str(len(body))
        response["Content-Encoding"] = coding
        if etag and not etag.startswith("W/"):
            # Another body, the same meaning: a weak validator (as Django's GZipMiddleware).
            response["ETag"] = f"W/{etag}"
        return response
