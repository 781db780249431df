"""The public cache: answers and values kept until what they show changes.

`tags`: what an answer depends on (tags and their generations, the content version) and the
purges; `pages`: anonymous pages served from it; `memo`: values shared by requests; `redis`: a
Redis backend whose loss slows the site but never stops it. The names below are what the apps
use."""

from .memo import memoized
from .pages import (
    PublicPageCacheMiddleware,
    TaggedViewMixin,
    canonical_query,
    canonical_redirect,
    keep_etag,
    known_tags,
    remember_tags,
    render_once,
    serves_from_cache,
    tag_headers,
)
from .tags import (
    EVERYTHING,
    PUBLIC_CACHE_CONTROL,
    RENDERED_DURING_PURGE,
    VERSION_KEY,
    cache_available,
    cache_key,
    cached_entries,
    cached_entry,
    changed_tags,
    content_changed,
    content_version,
    generations,
    one_change,
    purge,
    purged_since,
    purges_so_far,
    saved_in_bulk,
    store_entries,
    store_entry,
    watch,
)

__all__ = [
    "EVERYTHING",
    "PUBLIC_CACHE_CONTROL",
    "RENDERED_DURING_PURGE",
    "VERSION_KEY",
    "PublicPageCacheMiddleware",
    "TaggedViewMixin",
    "cache_available",
    "cache_key",
    "cached_entries",
    "cached_entry",
    "canonical_query",
    "canonical_redirect",
    "changed_tags",
    "content_changed",
    "content_version",
    "generations",
    "keep_etag",
    "known_tags",
    "memoized",
    "one_change",
    "purge",
    "purged_since",
    "purges_so_far",
    "remember_tags",
    "saved_in_bulk",
    "render_once",
    "serves_from_cache",
    "store_entries",
    "store_entry",
    "tag_headers",
    "watch",
]
