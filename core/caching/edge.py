"""Purging the caches in front of the portal (an edge: Varnish with xkey, or a CDN) by the tags
every cached answer already carries (`Cache-Tag`, `Surrogate-Key`).

EDGE_PURGE_URLS names the edges, comma-separated: `http://host:port` is a Varnish running
deploy/varnish/default.vcl (a `PURGE` request with an `xkey` header of space-separated tags);
`cloudflare://<zone id>` is Cloudflare's purge-by-tag API (token in EDGE_PURGE_TOKEN). Empty:
no edge, and nothing here does anything.

A change's tags go to the edges after its transaction commits (never before: the edge would
fetch the old rows again), from the task worker, retried with backoff, so a slow edge never
holds up a save (`purge_later`). What must vanish at once (a withdrawal, an embargo moved
later) and what goes live is also sent from the saving process straight away, with a short
timeout (`purge_soon`); an edge that does not answer then gets it from the worker. A scheduled
item's go-live is a task due at its time (`purge_at`).
"""

import json
import logging
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# The key deploy/varnish/default.vcl adds to every object it keeps: purging it empties the edge
# (a content version started anew: a fixture load, a restore).
EVERY_OBJECT = "portal"
# Every answer of the media library carries it (a withdrawal makes the item's files private).
MEDIA = "media"
RETRY_SECONDS = (1, 2, 5, 15, 60, 300, 900)
CLOUDFLARE_TAGS_PER_CALL = 30  # Cloudflare's limit for one purge-by-tag call


class EdgeError(Exception):
    pass


def edges() -> list[str]:
    return [url.strip() for url in settings.EDGE_PURGE_URLS.split(",") if url.strip()]


def send(edge: str, tags: set[str] | None, timeout: float) -> None:
    """Purge `tags` (None: everything) at one edge; EdgeError when it did not confirm."""
    address = urlsplit(edge)
    try:
        if address.scheme == "cloudflare":
            _cloudflare(address.netloc, tags, timeout)
        else:
            _varnish(edge, tags, timeout)
    except (OSError, urllib.error.URLError) as error:  # refused, timed out, an HTTP error
        raise EdgeError(f"{edge}: {error}") from error


def _varnish(edge: str, tags, timeout: float) -> None:
    keys = " ".join(sorted(tags)) if tags is not None else EVERY_OBJECT
    request = urllib.request.Request(edge.rstrip("/") + "/", method="PURGE", headers={"xkey": keys})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        answer.read()


def _cloudflare(zone: str, tags, timeout: float) -> None:
    url = f"{settings.EDGE_PURGE_API_URL.rstrip('/')}/zones/{zone}/purge_cache"
    if tags is None:
        bodies = [{"purge_everything": True}]
    else:
        ordered = sorted(tags)
        bodies = [
            {"tags": ordered[i : i + CLOUDFLARE_TAGS_PER_CALL]}
            for i in range(0, len(ordered), CLOUDFLARE_TAGS_PER_CALL)
        ]
    for body in bodies:
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {settings.EDGE_PURGE_TOKEN}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            if not json.load(answer).get("success"):
                raise EdgeError(f"cloudflare://{zone}: the purge was not accepted")


def send_all(tags, urls, timeout: float) -> list[str]:
    """Purge `tags` at each of `urls`; the edges that failed."""
    failed = []
    for edge in urls:
        try:
            send(edge, tags, timeout)
        except EdgeError as error:
            logger.warning("Edge purge failed: %s", error)
            failed.append(edge)
    return failed


def _queue(tags, urls, *, attempt=0, when=None) -> None:
    from .tasks import purge_edges

    payload = sorted(tags) if tags is not None else None
    task = purge_edges.using(run_after=when) if when is not None else purge_edges
    task.enqueue(payload, urls, attempt)


def retry(tags, failed: list[str], attempt: int) -> None:
    """Queue `failed` edges again after a growing pause; the last failure is logged as an
    error (the edge's copies then expire by their s-maxage)."""
    if not failed:
        return
    if attempt >= len(RETRY_SECONDS):
        logger.error("Edge purge given up after %d attempts: %s", attempt, ", ".join(failed))
        return
    when = timezone.now() + timedelta(seconds=RETRY_SECONDS[attempt])
    _queue(tags, failed, attempt=attempt + 1, when=when)


def purge_later(tags: set[str] | None) -> None:
    """When the current transaction commits, queue the edge purge of `tags` for the worker."""
    urls = edges()
    if urls:
        transaction.on_commit(lambda: _queue(tags, urls))


def purge_soon(tags: set[str] | None) -> None:
    """When the current transaction commits, purge `tags` at every edge from this process
    (EDGE_PURGE_TIMEOUT at most per edge); an edge that fails gets it from the worker."""
    urls = edges()
    if not urls:
        return

    def now():
        retry(tags, send_all(tags, urls, settings.EDGE_PURGE_TIMEOUT), 0)

    transaction.on_commit(now)


def purge_at(moment, tags: set[str] | None) -> None:
    """A scheduled item goes live at `moment`: the edges forget what it changes then."""
    urls = edges()
    if urls and moment is not None:
        transaction.on_commit(lambda: _queue(tags, urls, when=moment))
