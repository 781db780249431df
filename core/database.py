"""Prepared statements on PostgreSQL and the queries that must not use them; times read in C.

With `DATABASE_PREPARED_STATEMENTS` on (the default; see the settings) psycopg prepares a
statement its connection has run five times, and after five more PostgreSQL may keep one
generic plan for it, made without the values. That is what makes a release page's queries
cheaper; but a full-text search's best plan depends on the words searched: the generic plan of
the rare-word search combined the search index with the visibility index, reading 67,000
entries of the latter (13 ms where the plan made for the word takes 1 ms). So statements that
search words (`to_tsquery`) are never prepared: PostgreSQL plans each for its own words.

Times with a time zone (`timestamptz`) are read by psycopg's C loader. Django registers its own
loader, a Python subclass of psycopg's pure-Python one, to label every time with the
connection's zone: 6.4 us a value against 0.4 us for the C loader, and an API page of twenty
releases reads a hundred of them (0.6 ms). Where that zone is UTC (the settings' default, and
the zone Django sets on the session), the C loader's times are the same values with the same
`datetime.timezone.utc`, so it reads them and Django's labelling stays as a check that costs
nothing when the label is already right (`UtcTimeLoader`).
"""

import datetime
import functools

from django.db.backends.signals import connection_created

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
    if connection.timezone is datetime.UTC:
        connection.connection.adapters.register_loader("timestamptz", utc_time_loader())


@functools.cache
def utc_time_loader():
    """A loader of `timestamptz` for a connection whose zone is UTC: psycopg's own (its C
    loader where psycopg has one) reads each value, and what Django's loader does after it,
    labelling the value with UTC, is done only if the value is not so labelled already. Its
    `timezone` is what Django's cursors compare with the connection's before registering
    their own loader."""
    from psycopg import adapters, postgres
    from psycopg.adapt import Loader
    from psycopg.pq import Format

    oid = postgres.types["timestamptz"].oid
    own = adapters.get_loader(oid, Format.TEXT)  # the C class, not yet Django's subclass

    class UtcTimeLoader(Loader):
        timezone = datetime.UTC

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._read = own(oid, context).load

        def load(self, data):
            value = self._read(data)
            return value if value.tzinfo is datetime.UTC else value.replace(tzinfo=datetime.UTC)

    return UtcTimeLoader


def connect() -> None:
    connection_created.connect(watch_new_connections, dispatch_uid="core.database")
