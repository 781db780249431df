"""Cached public responses for anonymous visitors, never staler than the content they show.

Every cache key carries a *content version*. Saving or deleting anything a visitor can see
starts a new version (signals, below), and so does the moment the next scheduled item's
`publish_at` passes: the version remembers when that is and is renewed on the first request
after it, so a scheduled release appears on time with no cron and no stale page.

With Redis (REDIS_URL) the version is shared by every worker, so a change is seen everywhere at
once. With the local-memory cache each process keeps its own; the version then lives at most
LOCAL_VERSION_SECONDS, the bound on how long another process can serve a page from before a change.
"""

import hashlib
import threading
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import urlencode

VERSION_KEY = "public-content-version"
LOCAL_VERSION_SECONDS = 5
PAGE_SECONDS = 600
# Browsers revalidate every time (a withdrawal or correction shows on the next visit; an
# unchanged page costs a 304 through its ETag/Last-Modified); shared caches (a CDN) may keep a
# response for a minute.
SHARED_CACHE_SECONDS = 60
PUBLIC_CACHE_CONTROL = f"public, max-age=0, s-maxage={SHARED_CACHE_SECONDS}"


def _version_timeout():
    return None if settings.REDIS_URL else LOCAL_VERSION_SECONDS


# Models whose rows go live on their own at a scheduled time (`objects.scheduled()`), and every
# model a visitor sees: registered by their apps (`watch()`), since core knows no app.
_SCHEDULED: list = []


def _next_go_live():
    times = [
        model.objects.scheduled().aggregate(next=Min("publish_at"))["next"] for model in _SCHEDULED
    ]
    return min((t for t in times if t), default=None)


def content_version() -> str:
    """The current content version (a new one once a scheduled item has gone live)."""
    state = cache.get(VERSION_KEY)
    if state is None or (state["next_go_live"] and timezone.now() >= state["next_go_live"]):
        state = {"stamp": uuid.uuid4().hex, "next_go_live": _next_go_live()}
        cache.set(VERSION_KEY, state, _version_timeout())
    return state["stamp"]


def content_changed(instance=None, **kwargs) -> None:
    """Signal receiver: something visitors may see changed; every cached response is now old.

    A row no visitor can see (a draft, and what only drafts name) changes nothing they could
    observe: it neither empties the cache nor moves a Last-Modified (its model says so with
    `seen_by_visitors()`). Otherwise the version is renewed once now and once more when the
    transaction commits: a request served in between still read the old rows and may have
    cached them under the version started now."""
    if getattr(_batch, "on", False):
        _batch.changed = True  # one new version when the batch ends
        return
    seen = getattr(instance, "seen_by_visitors", None)
    asked = kwargs.get("signal") is not post_delete and not kwargs.get("raw")  # not a fixture load
    if asked and seen is not None and not seen():
        return
    cache.delete(VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(VERSION_KEY))


_batch = threading.local()


@contextmanager
def one_change():
    """Within it, saves renew the content version once, at the end, rather than each asking
    whether visitors see it (the import of one file saves twenty rows: one new version)."""
    if getattr(_batch, "on", False):
        yield
        return
    _batch.on, _batch.changed = True, False
    try:
        yield
    finally:
        _batch.on = False
        if _batch.changed:
            content_changed()


def watch(*models, scheduled=()) -> None:
    """Start a new content version whenever a row of `models` (or one of their many-to-many
    links) is saved or deleted; `scheduled` models also renew it when their next item goes live."""
    for model in models:
        uid = f"{model._meta.label}"
        post_save.connect(content_changed, sender=model, dispatch_uid=f"cache-save-{uid}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"cache-delete-{uid}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                content_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"cache-m2m-{uid}-{field.name}",
            )
    _SCHEDULED.extend(m for m in scheduled if m not in _SCHEDULED)


def cache_key(prefix: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"{prefix}:{content_version()}:{digest}"


def canonical_query(request, allowed) -> tuple[str, bool]:
    """The query string with only the parameters in `allowed`, in a fixed order, and whether
    any other parameter was dropped (`?utm=...` must not make a copy of a page)."""
    kept = sorted((k, v) for k, values in request.GET.lists() if k in allowed for v in values)
    return urlencode(kept), any(k not in allowed for k in request.GET)


def canonical_redirect(request, query: str):
    """301 to the address without the parameters the page does not read."""
    return HttpResponsePermanentRedirect(request.path + (f"?{query}" if query else ""))


def query_params_of(request) -> frozenset:
    """The query parameters the view of this address reads (its `query_params`; none if it
    does not say)."""
    try:
        func = resolve(request.path_info).func
    except Resolver404:
        return frozenset()
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

    skip_prefixes = ("/admin/", "/api/", "/healthz", "/static/", "/preview/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        query, dropped = canonical_query(request, query_params_of(request))
        if dropped:
            return canonical_redirect(request, query)
        key = cache_key("page", request.method, request.get_host(), request.path, query)
        hit = cache.get(key)
        if hit is not None:
            status, headers, content = hit
            response = self._rebuild(status, headers, content)
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable_response(response):
            response.setdefault("Cache-Control", PUBLIC_CACHE_CONTROL)
            cache.set(
                key, (response.status_code, dict(response.items()), response.content), PAGE_SECONDS
            )
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
