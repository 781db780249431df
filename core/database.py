"""Prepared statements on PostgreSQL and the queries that must not use them.

With `DATABASE_PREPARED_STATEMENTS` on (the default; see the settings) psycopg prepares a
statement its connection has run five times, and after five more PostgreSQL may keep one
generic plan for it, made without the values. That is what makes a release page's queries
cheaper; but a full-text search's best plan depends on the words searched: the generic plan of
the rare-word search combined the search index with the visibility index, reading 67,000
entries of the latter (13 ms where the plan made for the word takes 1 ms). So statements that
search words (`to_tsquery`) are never prepared: PostgreSQL plans each for its own words.
"""

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


def connect() -> None:
    connection_created.connect(watch_new_connections, dispatch_uid="core.database")
