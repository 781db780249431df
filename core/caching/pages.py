"""Anonymous pages served from the cache: one copy per address (unknown parameters get a 301),
tagged with what they show, rendered by one worker at a time after a purge."""

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.http import quote_etag, urlencode

from .tags import (
    EVERYTHING,
    PUBLIC_CACHE_CONTROL,
    RENDERED_DURING_PURGE,
    cache_available,
    cache_key,
    cached_entry,
    purged_since,
    purges_so_far,
    store_entry,
)

RENDER_LOCK_SECONDS = 10  # a worker rendering a purged page holds its lock at most this long
RENDER_WAIT_SECONDS = 3.0  # how long the others wait for that result before rendering it too
RENDER_POLL_SECONDS = 0.02


# The tags each address was last kept with, in this process: a hit then reads their generations
# in the same round trip as the entry (`cached_entry(key, likely_tags)`), two round trips in all
# instead of three. Only a guess: the entry's own tags decide, and any the guess lacks are read
# after it.
KNOWN_ADDRESSES = 4096
_known_tags: OrderedDict = OrderedDict()
_known_tags_lock = threading.Lock()


def known_tags(address: tuple) -> tuple[str, ...]:
    with _known_tags_lock:
        return _known_tags.get(address, ())


def remember_tags(address: tuple, tags) -> None:
    tags = tuple(sorted(t for t in tags if t))
    with _known_tags_lock:
        if _known_tags.get(address) == tags:
            _known_tags.move_to_end(address)
            return
        _known_tags[address] = tags
        while len(_known_tags) > KNOWN_ADDRESSES:
            _known_tags.popitem(last=False)


def tag_response(request, *tags: str) -> None:
    """Say what the answer to `request` shows (a view calls it; several calls add up)."""
    request._cache_tags = getattr(request, "_cache_tags", set()) | {t for t in tags if t}


def response_tags(request) -> set[str]:
    return getattr(request, "_cache_tags", None) or {EVERYTHING}


class TaggedViewMixin:
    """A page saying what it shows, for the cache: its `cache_tags`, and the page tags of its
    object (`page_tags()`) when it shows one."""

    cache_tags: tuple[str, ...] = ()

    def get_context_data(self, **kwargs):
        tags = set(self.cache_tags)
        shown = getattr(self, "object", None)
        if shown is not None and hasattr(shown, "page_tags"):
            tags |= shown.page_tags()
        tag_response(self.request, *tags)
        return super().get_context_data(**kwargs)


def tag_headers(response, tags) -> None:
    """The tags for a CDN: Cloudflare reads `Cache-Tag` (commas), Fastly `Surrogate-Key`."""
    ordered = sorted(tags)
    response["Cache-Tag"] = ",".join(ordered)
    response["Surrogate-Key"] = " ".join(ordered)


def keep_etag(response) -> None:
    """Give a response about to be cached its ETag (as ConditionalGetMiddleware would make it),
    so that it is kept with the entry: a hit then sends it (and answers If-None-Match with a
    304) without hashing the body again on every request."""
    if not response.streaming and response.content and not response.has_header("ETag"):
        response["ETag"] = quote_etag(
            hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        )


def render_once(key: str, render):
    """`render()` by one worker at a time per key: the others wait (up to RENDER_WAIT_SECONDS)
    for its cached result, then render themselves only if none came. Returns (payload or None
    when rendered here, response or None)."""
    lock = f"{key}:rendering"
    if not cache.add(lock, 1, RENDER_LOCK_SECONDS):
        if not cache_available():
            # Redis away: the lock is only this process's (core/caching/redis.py), so render
            # rather than wait on an outage's account.
            return None, render()
        deadline = time.monotonic() + RENDER_WAIT_SECONDS
        while time.monotonic() < deadline and cache_available():
            time.sleep(RENDER_POLL_SECONDS)
            payload = cached_entry(key)
            if payload is not None:
                return payload, None
        return None, render()
    try:
        # Another request may have rendered it between the caller's look and this lock (it
        # stored the page, then let the lock go): a fast page is rendered twice without this.
        payload = cached_entry(key)
        if payload is not None:
            return payload, None
        return None, render()
    finally:
        cache.delete(lock)


def canonical_query(request, allowed) -> tuple[str, bool]:
    """The query string with only the parameters in `allowed`, in a fixed order, and whether
    any other parameter was dropped (`?utm=...` must not make a copy of a page)."""
    kept = sorted((k, v) for k, values in request.GET.lists() if k in allowed for v in values)
    return urlencode(kept), any(k not in allowed for k in request.GET)


def canonical_redirect(request, query: str):
    """301 to the address without the parameters the page does not read."""
    return HttpResponsePermanentRedirect(request.path + (f"?{query}" if query else ""))


def query_params_of(request) -> frozenset | None:
    """The query parameters the view of this address reads (its `query_params`; none if it
    does not say); None for an address no view answers (an old site's, maybe: its query may
    be what a redirect names)."""
    try:
        func = resolve(request.path_info).func
    except Resolver404:
        return None
    view = getattr(func, "view_class", func)
    return frozenset(getattr(view, "query_params", ()))


def serves_from_cache(request) -> bool:
    """Whether this request's answer may come from, and go into, the shared cache."""
    return settings.PUBLIC_CACHE and is_anonymous(request)


def is_anonymous(request) -> bool:
    """No session or credentials: staff (who may see previews) always get fresh pages."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


class PublicPageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache; mark them cacheable for CDNs too."""

    # /media/: the library's files are checked per request and say their own Cache-Control.
    skip_prefixes = ("/admin/", "/api/", "/healthz", "/static/", "/preview/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        allowed = query_params_of(request)
        if allowed is None:
            return self.get_response(request)
        query, dropped = canonical_query(request, allowed)
        if dropped:
            return canonical_redirect(request, query)
        address = (request.method, request.get_host(), request.path, query)
        key = cache_key("page", *address)
        hit = cached_entry(key, known_tags(address))
        if hit is None:
            hit, response = render_once(key, lambda: self._render(request, key, address))
        if hit is not None:
            status, headers, content = hit
            remember_tags(address, headers.get("Cache-Tag", "").split(","))
            response = self._rebuild(status, headers, content)
            response["X-Cache"] = "hit"
        return response

    def _render(self, request, key, address):
        since = purges_so_far()
        response = self.get_response(request)
        if self._cacheable_response(response):
            response.setdefault("Cache-Control", PUBLIC_CACHE_CONTROL)
            keep_etag(response)
            tags = response_tags(request)
            tag_headers(response, tags)
            payload = (response.status_code, dict(response.items()), response.content)
            store_entry(key, tags, payload, rendered_since=since)
            remember_tags(address, tags)
            if purged_since(since):  # an edge in front must not keep it either
                response["Cache-Control"] = RENDERED_DURING_PURGE
            response["X-Cache"] = "miss"
        return response

    def _cacheable_request(self, request) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(self.skip_prefixes)
            and serves_from_cache(request)
        )

    @staticmethod
    def _cacheable_response(response) -> bool:
        control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in control for word in ("private", "no-store", "no-cache"))
        )

    @staticmethod
    def _rebuild(status, headers, content):
        from django.http import HttpResponse

        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
        return response
