"""Production serving: deploy checks, security headers, health check, request ids in the logs."""

import json
import logging
import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError

ROOT = Path(__file__).resolve().parent.parent
# What a production process would have: none of the test run's own switches.
CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SECRET_KEY"}
}


def test_production_settings_pass_check_deploy_with_no_warnings():
    env = {
        **CLEAN_ENV,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "press.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_a_secret_key_production_refuses_to_start_with_a_clear_error():
    env = {**CLEAN_ENV, "DJANGO_DEBUG": "false"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_and_security_headers(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert (
        "default-src 'self'" in policy
        and "script-src 'self'" in policy
        and "style-src 'self'" in policy
    )
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch(
        "core.health.connection.cursor", side_effect=DatabaseError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}


@pytest.mark.django_db
def test_healthz_says_degraded_but_200_while_the_cache_server_is_away(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with mock.patch("core.health.cache.set", side_effect=ConnectionError("refused")):
        response = client.get("/healthz")
    # The node still serves (uncached): the load balancer must keep it.
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_keeps_a_sane_incoming_one(client):
    made = client.get("/")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/", HTTP_X_REQUEST_ID="lb-1234")["X-Request-ID"] == "lb-1234"
    assert (
        client.get("/", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
        != "bad id\nwith newline"
    )


@pytest.mark.django_db
def test_a_500_is_logged_as_json_with_its_request_id(client):
    from core.observability import JsonFormatter, RequestIdFilter

    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    client.raise_request_exception = False
    try:
        with mock.patch(
            "releases.views.HomeView.get_context_data", side_effect=RuntimeError("boom")
        ):
            response = client.get("/", HTTP_X_REQUEST_ID="req-500-test")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()
    [line] = [json.loads(line) for line in stream.getvalue().splitlines() if "req-500-test" in line]
    assert line["level"] == "ERROR" and line["request_id"] == "req-500-test"
    assert "RuntimeError: boom" in line["exception"]


def database_options(**env) -> str:
    """The database OPTIONS the settings give a process with `env` (nothing is connected)."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))",
        ],
        cwd=ROOT,
        env={**CLEAN_ENV, "DJANGO_SETTINGS_MODULE": "cica_portal.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout + result.stderr


def test_postgresql_connections_prepare_statements_unless_turned_off():
    url = "postgres://portal@db.example.org:5432/cica"
    on = "[('prepare_threshold', 5), ('server_side_binding', True)]"
    assert database_options(DATABASE_URL=url).strip() == on
    assert database_options(DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false").strip() == "[]"
    assert "DATABASE_PREPARED_STATEMENTS must be true or false, not 'maybe'" in database_options(
        DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="maybe"
    )
    sqlite = database_options(DATABASE_URL="sqlite:////tmp/x.sqlite3")
    assert "server_side_binding" not in sqlite and "transaction_mode" in sqlite


def prepared_statements(connection, table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall() if table in row[0]]


@pytest.mark.django_db
def test_a_statement_run_often_is_prepared_once_on_postgresql():
    from django.db import connection

    from releases.models import Release

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    before = prepared_statements(connection, "releases_release")
    for _ in range(6):
        list(Release.objects.public().filter(language="ru")[:3])
    new = [s for s in prepared_statements(connection, "releases_release") if s not in before]
    assert len(new) == 1 and "$1" in new[0]  # the parameters apart from the SQL: one plan


@pytest.mark.django_db
def test_a_word_search_is_planned_for_its_words_never_prepared():
    """A generic plan for every word read 67,000 index entries for a rare one (core.database)."""
    from django.db import connection

    from releases.models import Event, Release

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for word in ["youth", "health", "forum", "astana", "2024", "7582", "water", "peace"] * 2:
        Release.objects.public().search_top(word, 20)
        list(Event.objects.public().search(word)[:5])
        Release.objects.public().search(word).count()
    assert not [s for s in prepared_statements(connection, "") if "to_tsquery" in s]
    for _ in range(6):  # other statements still are
        Release.objects.public().count()
    assert prepared_statements(connection, "COUNT(*)")


@pytest.mark.django_db
def test_times_are_read_by_psycopgs_loader_as_djangos_would_read_them():
    """Django's Python loader of `timestamptz` cost 6 us a value (core.database): psycopg's
    own reads them, and each value is the one Django's gives, labelled UTC as Django labels it,
    on the connection's cursors and on those Django makes for a query."""
    import datetime

    from django.db import connection
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    from core.database import utc_time_loader
    from releases.models import Release

    from .factories import make_release

    if connection.vendor != "postgresql":
        pytest.skip("psycopg's loaders are PostgreSQL's")
    connection.ensure_connection()
    oid = connection.connection.adapters.types["timestamptz"].oid
    assert connection.connection.adapters.get_loader(oid, Format.TEXT) is utc_time_loader()
    with connection.cursor() as cursor:  # Django's cursor found nothing to correct
        assert cursor.cursor.adapters.get_loader(oid, Format.TEXT) is utc_time_loader()
    texts = [
        "2026-12-03 08:39:31.394496+00",
        "1901-02-03 04:05:06+00",
        "2024-02-29 23:59:59.999999+00",
        "0001-01-01 00:00:00+00",
        "9999-12-31 23:59:59.999999+00",
    ]
    sql = "SELECT " + ", ".join(f"'{text}'::timestamptz" for text in texts)
    inner = "SELECT " + ", ".join(f"'{text}'::timestamptz" for text in texts[:3])
    with connection.cursor() as cursor:
        cursor.execute(sql)
        ours = cursor.fetchone()
        register_tzloader(connection.timezone, cursor.cursor)  # Django's own, on this cursor
        cursor.execute(sql)
        djangos = cursor.fetchone()
    assert ours == djangos
    assert all(value.tzinfo is datetime.UTC for value in ours)
    assert [value.isoformat() for value in ours] == [value.isoformat() for value in djangos]
    with connection.cursor() as cursor:  # another zone on the session: labelled as Django does
        cursor.execute("SET TIME ZONE 'Asia/Almaty'")
        try:
            cursor.execute(inner)  # (the years 1 and 9999 fall outside a datetime's there)
            ours = cursor.fetchone()
            register_tzloader(connection.timezone, cursor.cursor)
            cursor.execute(inner)
            assert ours == cursor.fetchone()
        finally:
            cursor.execute("SET TIME ZONE 'UTC'")
    moment = datetime.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
    release = make_release(publish_at=moment)
    assert Release.objects.get(pk=release.pk).publish_at == moment


def test_the_wsgi_module_loads_what_each_worker_would_load_on_its_first_requests():
    """gunicorn imports cica_portal.wsgi in its master and forks the workers from it: the URLconf
    (every view module), the cache backend, each language's address table and every Jinja2
    template are loaded there, once, and without touching the database."""
    probe = (
        "import json, sys\n"
        "import cica_portal.wsgi\n"
        "from django.db import connection\n"
        "from django.template import engines\n"
        "from django.urls import get_resolver\n"
        "jinja = engines['jinja2'].env\n"
        "names = jinja.list_templates()\n"
        "def unread(*args):\n"
        "    raise AssertionError(f'read again: {args}')\n"
        "jinja.loader.get_source = unread\n"
        "for name in names:\n"
        "    jinja.get_template(name)\n"
        "print(json.dumps({\n"
        "    'urlconf': 'cica_portal.urls' in sys.modules,\n"
        "    'api_views': 'releases.api' in sys.modules,\n"
        "    'cache_backend': 'core.cache' in sys.modules and 'redis.client' in sys.modules,\n"
        "    'address_tables': sorted(get_resolver()._reverse_dict),\n"
        "    'templates': len(names),\n"
        "    'database_connected': connection.connection is not None,\n"
        "}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={
            **CLEAN_ENV,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "REDIS_URL": "redis://127.0.0.1:9/0",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["urlconf"] and loaded["api_views"] and loaded["cache_backend"]
    assert loaded["address_tables"] == ["en", "ru"]
    assert loaded["templates"] >= 20
    assert not loaded["database_connected"]


def test_a_file_in_the_templates_that_does_not_compile_does_not_stop_the_app_loading(
    tmp_path, settings
):
    """Preloading compiles every file in the public templates' folder: one that is not a
    template, or is broken, is left to fail where it is rendered, as it did, not to stop the
    whole site from starting."""
    import copy

    from django.template import engines

    from core.preload import load_for_workers

    (tmp_path / "broken.html").write_text("{% if %}")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    (tmp_path / "fine.html").write_text("<p>{{ 1 + 1 }}</p>")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    jinja = engines["jinja2"].env
    load_for_workers()
    jinja.loader.get_source = lambda *args: pytest.fail(f"read again: {args}")
    assert jinja.get_template("fine.html").render() == "<p>2</p>"


def test_gunicorn_workers_collect_but_never_walk_what_lasts(tmp_path):
    """gunicorn.conf.py's hooks, run by gunicorn itself: the master freezes what it loaded
    before forking, and each worker collects again (a worker without collections would grow
    without bound; one walking every loaded object spent ms a request doing it). What a worker
    makes to keep is frozen too, after the request in which a full collection ran, without
    that request's garbage; other requests freeze nothing."""
    import time
    import urllib.request

    from .mailsink import free_port

    (tmp_path / "probe.py").write_text(
        "import gc, weakref\n"
        "loaded = [[object()] for _ in range(1000)]  # what an app makes as it loads\n"
        "kept, garbage = [], []\n"
        "class Cycle:\n"
        "    pass\n"
        "def application(environ, start_response):\n"
        "    dead = bool(garbage) and garbage[-1]() is None\n"
        "    answer = f'{gc.isenabled()} {gc.get_freeze_count()} {dead}'\n"
        "    if environ['PATH_INFO'] == '/collect':\n"
        "        kept.extend([object()] for _ in range(500))  # what a worker makes to keep\n"
        "        gc.collect()  # a full collection, as the worker's own would run\n"
        "        cycle = Cycle()\n"
        "        cycle.me = cycle  # garbage the collector alone can free\n"
        "        garbage.append(weakref.ref(cycle))\n"
        "        del cycle\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [answer.encode()]\n"
    )
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--chdir",
            str(tmp_path),
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "probe:application",
        ],
        env={**CLEAN_ENV, "GUNICORN_ACCESS_LOG": "/dev/null"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def get(path):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
            enabled, frozen, dead = answer.read().decode().split()
        return enabled == "True", int(frozen), dead == "True"

    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                enabled, frozen_at_start, _ = get("/")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.1)
        _, frozen_later, _ = get("/")
        get("/collect")
        _, frozen_after_collection, garbage_dead = get("/")
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert enabled
    assert frozen_at_start >= 1000
    assert frozen_later == frozen_at_start
    assert frozen_after_collection >= frozen_at_start + 500
    assert garbage_dead
