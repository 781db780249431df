"""Prepared statements on PostgreSQL and the queries that must not use them; the read replica.

With `DATABASE_PREPARED_STATEMENTS` on (the default; see the settings) psycopg prepares a
statement its connection has run five times, and after five more PostgreSQL may keep one
generic plan for it, made without the values. That is what makes a release page's queries
cheaper; but a full-text search's best plan depends on the words searched: the generic plan of
the rare-word search combined the search index with the visibility index, reading 67,000
entries of the latter (13 ms where the plan made for the word takes 1 ms). So statements that
search words (`to_tsquery`) are never prepared: PostgreSQL plans each for its own words.
"""

import contextvars
import re
from contextlib import contextmanager

from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created

from core.caching import purges_so_far
from core.caching.pages import is_anonymous
from core.caching.tags import seconds_since_purge

SEARCHES_WORDS = "to_tsquery("


def plan_searches_for_their_words(execute, sql, params, many, context):
    """An execute wrapper: run a word search unprepared; anything else as it is."""
    if SEARCHES_WORDS not in sql:
        return execute(sql, params, many, context)
    raw = context["connection"].connection
    threshold, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        return execute(sql, params, many, context)
    finally:
        raw.prepare_threshold = threshold


def watch_new_connections(sender, connection, **kwargs):
    if connection.vendor != "postgresql":
        return
    if connection.settings_dict["OPTIONS"].get("prepare_threshold"):
        if plan_searches_for_their_words not in connection.execute_wrappers:
            connection.execute_wrappers.append(plan_searches_for_their_words)


def connect() -> None:
    connection_created.connect(watch_new_connections, dispatch_uid="core.database")


# A read replica (DATABASE_REPLICA_URL): the public site's reads go to it, everything else to
# the primary. What a request may read from is decided by ReplicaReadsMiddleware and kept here
# for the request; the router asks it at each query.
PRIMARY, REPLICA = "default", "replica"
_reads = contextvars.ContextVar("database_reads", default=PRIMARY)
UNDECIDED = "undecided"  # a public read: the replica, unless a purge just happened
PUBLIC_READS = re.compile(r"^(/[a-z]{2})?/(?!admin/|preview/|alerts/|healthz)")


class ReplicaRouter:
    """Reads from the replica where the request allows it; every write, and every read after a
    write in the same request or inside a transaction, on the primary."""

    def db_for_read(self, model, **hints):
        choice = _reads.get()
        if choice == PRIMARY or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if choice == UNDECIDED:
            # Just after a purge, the replica may not have the change yet: a page rendered from
            # it would go into the fresh cache with the old rows.
            lag = settings.DATABASE_REPLICA_LAG_SECONDS
            recent = seconds_since_purge(purges_so_far()) < lag
            choice = PRIMARY if recent else REPLICA
            _reads.set(choice)
        return choice

    def db_for_write(self, model, **hints):
        _reads.set(PRIMARY)  # a request that wrote reads what it wrote
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY


@contextmanager
def public_reads():
    """Within it, reads may go to the replica (as for an anonymous visitor's GET)."""
    token = _reads.set(UNDECIDED)
    try:
        yield
    finally:
        _reads.reset(token)


class ReplicaReadsMiddleware:
    """Anonymous GETs and HEADs of the public site read from the replica; the admin, previews,
    the alert forms and anything signed in or posted read the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public = (
            request.method in ("GET", "HEAD")
            and is_anonymous(request)
            and PUBLIC_READS.match(request.path_info) is not None
        )
        if not public or REPLICA not in settings.DATABASES:
            return self.get_response(request)
        with public_reads():
            return self.get_response(request)
