"""The edge purges the worker sends (core/caching/edge.py), retried with backoff."""

try:  # Django 6
    from django.tasks import task
except ImportError:  # Django 5.2: the backport
    from django_tasks import task

from django.conf import settings

from . import edge


@task()
def purge_edges(tags: list[str] | None, urls: list[str], attempt: int = 0) -> list[str]:
    """Purge `tags` (None: everything) at each of `urls`; returns the edges that failed (they
    are queued again, later)."""
    wanted = set(tags) if tags is not None else None
    failed = edge.send_all(wanted, urls, settings.EDGE_PURGE_TIMEOUT * 5)
    edge.retry(wanted, failed, attempt)
    return failed
