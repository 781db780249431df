"""Cached public responses for anonymous visitors, never staler than the content they show.

Every cache key carries a *content version*. Saving or deleting anything a visitor can see
starts a new version (signals, below), and so does the moment the next scheduled item's
`publish_at` passes: the version remembers when that is and is renewed on the first request
after it, so a scheduled release appears on time with no cron and no stale page.

With Redis (REDIS_URL) the version is shared by every worker, so a change is seen everywhere at
once. With the local-memory cache each process keeps its own; the version then lives at most
LOCAL_VERSION_SECONDS, the bound on how long another process can serve a page from before a change.

Within a version, each cached answer is *tagged* with what it shows (`tag_response()`: "release:12",
"person:3", "releases" for the lists...), and keeps the generation of each tag it was made under.
A change purges only the tags of what changed (`purge()`, from the model's `cache_tags()`): a new
release empties its own page, the lists, feeds, its people's and topics' pages, and leaves the
other release pages cached. An answer that says nothing of what it shows carries "all", which
every change purges. The same tags go out as `Cache-Tag` and `Surrogate-Key` headers, so a CDN
can purge by tag too. A purged page is rendered by one worker while the others wait for it.
"""

import hashlib
import threading
import time
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from . import edge

VERSION_KEY = "public-content-version"
LOCAL_VERSION_SECONDS = 5
PAGE_SECONDS = 600
# Browsers revalidate every time (a withdrawal or correction shows on the next visit; an
# unchanged page costs a 304 through its ETag/Last-Modified); shared caches (a CDN) may keep a
# response for a minute.
SHARED_CACHE_SECONDS = 60
PUBLIC_CACHE_CONTROL = f"public, max-age=0, s-maxage={SHARED_CACHE_SECONDS}"
# An answer rendered while a purge happened may show rows from before it: no cache keeps it.
RENDERED_DURING_PURGE = "public, max-age=0, s-maxage=0"


EVERYTHING = "all"  # the tag of an answer that does not say what it shows
TAG_PREFIX = "cache-tag:"


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


def note_go_live(moment) -> None:
    """A scheduled item goes live at `moment`: the content version is renewed then, if nothing
    earlier is due (the version remembers the next go-live time it knew when it was made)."""
    state = cache.get(VERSION_KEY)
    if state is not None and (state["next_go_live"] is None or moment < state["next_go_live"]):
        cache.set(VERSION_KEY, {**state, "next_go_live": moment}, _version_timeout())


def content_changed(instance=None, **kwargs) -> None:
    """Signal receiver: something visitors may see changed; every cached response is now old.

    A row no visitor can see (a draft, and what only drafts name) changes nothing they could
    observe: it neither empties the cache nor moves a Last-Modified (its model says so with
    `seen_by_visitors()`). Otherwise the version is renewed once now and once more when the
    transaction commits: a request served in between still read the old rows and may have
    cached them under the version started now."""
    go_live = getattr(instance, "scheduled_go_live", None)
    if go_live is not None:  # everything starts anew when it goes live
        note_go_live(go_live)
        transaction.on_commit(lambda: note_go_live(go_live))
        if kwargs.get("signal") is post_save:  # and the edge forgets what it changes then
            edge.purge_at(go_live, changed_tags(instance))
    seen = getattr(instance, "seen_by_visitors", None)
    asked = kwargs.get("signal") is not post_delete and not kwargs.get("raw")  # not a fixture load
    if asked and seen is not None and not getattr(_batch, "on", False) and not seen():
        return
    if getattr(_batch, "on", False):
        _batch_change(instance, **kwargs)
        return
    # A fixture or restore load (raw) has no links in place yet to name: purge everything.
    tags = None if kwargs.get("raw") else changed_tags(instance, **kwargs)
    _purge_now_and_on_commit(tags)


def _batch_change(instance, **kwargs) -> None:
    """A change within `one_change()`: purged once, when the batch ends. What a saved row
    shows is asked then, once per row, with all its links in place (an import saves a release
    and links it a dozen times: its tags are read once, not a dozen times)."""
    _batch.changed = True
    if _batch.tags is None:
        return
    if kwargs.get("raw") or getattr(instance, "cache_tags", None) is None:
        _batch.tags = None
    elif kwargs.get("signal") is post_delete:
        _batch.tags |= changed_tags(instance, **kwargs)  # gone by the end: its tags now
        _batch.rows.pop((instance._meta.label, instance.pk), None)
    else:
        _batch.rows[(instance._meta.label, instance.pk)] = instance
        _batch.tags |= _linked_tags(**kwargs)


def changed_tags(instance, **kwargs) -> set[str] | None:
    """The tags to purge for a change to `instance` (None: start a new version, purging
    everything). For a many-to-many change, the items linked or unlinked are included."""
    tags_of = getattr(instance, "cache_tags", None)
    if instance is None or tags_of is None:
        return None
    return set(tags_of()) | {EVERYTHING} | _linked_tags(**kwargs)


def _linked_tags(**kwargs) -> set[str]:
    """For a many-to-many change, the pages listing what was linked or unlinked (a topic's page
    lists its releases)."""
    related = kwargs.get("model")
    if kwargs.get("signal") is m2m_changed and related is not None and kwargs.get("pk_set"):
        return {f"{related._meta.model_name}-listing:{pk}" for pk in kwargs["pk_set"]}
    return set()


def _purge_now_and_on_commit(tags: set[str] | None) -> None:
    """Purge now and again when the transaction commits: a request served in between still read
    the old rows and may have cached them under the generations started now."""
    edge.purge_later(tags)  # the caches in front of the portal, once committed
    if tags is None:
        cache.delete(VERSION_KEY)
        transaction.on_commit(lambda: (cache.delete(VERSION_KEY), _mark_purge()))
        return
    purge(tags)
    transaction.on_commit(lambda: purge(tags))


PURGE_COUNT_KEY = "cache-purges"


def purge(tags) -> None:
    """Every cached answer carrying one of `tags` is from now on a miss."""
    cache.set_many({TAG_PREFIX + tag: uuid.uuid4().hex for tag in tags}, _version_timeout())
    _mark_purge()


def _mark_purge() -> None:
    cache.set(PURGE_COUNT_KEY, f"{time.time():.3f} {uuid.uuid4().hex}", _version_timeout())


def seconds_since_purge(mark) -> float:
    """How long ago the purge that left `mark` (`purges_so_far()`) happened (inf: none known)."""
    try:
        return time.time() - float(mark.split()[0])
    except (AttributeError, ValueError, IndexError):
        return float("inf")


def purged_since(mark) -> bool:
    """Whether a purge happened since `purges_so_far()` returned `mark`."""
    return purges_so_far() != mark


def purges_so_far():
    """A mark that changes with every purge: an answer rendered while one happened may show
    rows from before it, and is not kept (see store_entry)."""
    return cache.get(PURGE_COUNT_KEY)


def generations(tags) -> dict[str, str]:
    """{tag: its current generation}; a tag with none (new, or evicted) gets one now."""
    keys = {TAG_PREFIX + tag: tag for tag in tags}
    found = cache.get_many(list(keys))
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        cache.set_many(missing, _version_timeout())
        found.update(missing)
    return {keys[key]: value for key, value in found.items()}


def cached_entry(key: str, likely_tags=()):
    """The payload stored under `key` if every tag it carries is still of its generation.
    The generations of `likely_tags` (those the entry is known to carry, such as a list's) are
    read in the same round trip as the entry; any other tag's, after it."""
    found = cache.get_many([key, *(TAG_PREFIX + tag for tag in likely_tags)])
    entry = found.get(key)
    if entry is None:
        return None
    made_under, payload = entry
    current = {tag: found.get(TAG_PREFIX + tag) for tag in made_under}
    if None in current.values():
        current = generations(made_under)
    return payload if current == made_under else None


def cached_entries(keys: list[str]) -> dict:
    """{key: payload} of those of `keys` stored and still of their tags' generations: one
    cache round trip for the entries, one for all their tags."""
    found = cache.get_many(keys)
    if not found:
        return {}
    current = generations(set().union(*(made for made, _payload in found.values())))
    return {
        key: payload
        for key, (made, payload) in found.items()
        if all(current.get(tag) == generation for tag, generation in made.items())
    }


def store_entries(entries: dict, *, rendered_since=None) -> None:
    """Keep each `key: (tags, payload)` of `entries`, as `store_entry()` keeps one."""
    if not entries or (rendered_since is not None and purged_since(rendered_since)):
        return
    current = generations(set().union(*(tags for tags, _payload in entries.values())))
    cache.set_many(
        {
            key: ({tag: current[tag] for tag in tags}, payload)
            for key, (tags, payload) in entries.items()
        },
        PAGE_SECONDS,
    )


def store_entry(key: str, tags, payload, *, rendered_since=None) -> None:
    """Keep `payload` under `key` with the current generations of `tags`, unless a purge
    happened since `purges_so_far()` returned `rendered_since` (the render may have read rows
    from before it: the next request renders again)."""
    if rendered_since is not None and purged_since(rendered_since):
        return
    cache.set(key, (generations(tags), payload), PAGE_SECONDS)


def cache_available() -> bool:
    """False while the cache server is away (`ResilientRedisCache.available`); a local cache is
    always there."""
    return getattr(cache, "available", True)


_batch = threading.local()


@contextmanager
def one_change():
    """Within it, saves renew the content version once, at the end, rather than each asking
    whether visitors see it (the import of one file saves twenty rows: one new version)."""
    if getattr(_batch, "on", False):
        yield
        return
    _batch.on, _batch.changed, _batch.tags, _batch.rows = True, False, set(), {}
    try:
        yield
    finally:
        _batch.on = False
        tags, rows, _batch.rows = _batch.tags, _batch.rows, {}
        if _batch.changed:
            if tags is not None:
                for row in rows.values():
                    tags |= set(row.cache_tags()) | {EVERYTHING}
            _purge_now_and_on_commit(tags)


def saved_in_bulk(rows) -> None:
    """`bulk_create()` sends no signals: name the rows it wrote, as their saves would have.
    Within `one_change()` they are purged with the rest when it ends (their links prefetched
    spare the queries of their `cache_tags()`); outside it, at once."""
    rows = list(rows)
    if not rows:
        return
    if getattr(_batch, "on", False):
        _batch.changed = True
        if _batch.tags is not None:
            _batch.rows.update({(row._meta.label, row.pk): row for row in rows})
        return
    tags = [changed_tags(row) for row in rows]
    _purge_now_and_on_commit(None if None in tags else set().union(*tags))


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
