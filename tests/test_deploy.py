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
    assert response["Permissions-Policy"] == (
        "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    )


def test_the_api_docs_page_says_its_language_and_runs_no_inline_script(client):
    page = client.get("/api/docs/").content.decode()
    assert '<html lang="en">' in page
    assert "<script>" not in page and "<style>" not in page


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client):
    with mock.patch(
        "core.web.health.connection.cursor", side_effect=DatabaseError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}


@pytest.mark.django_db
def test_healthz_says_degraded_but_200_while_the_cache_server_is_away(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with mock.patch("core.web.health.cache.set", side_effect=ConnectionError("refused")):
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
    from core.web.observability import JsonFormatter, RequestIdFilter

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
@pytest.mark.postgres
def test_a_statement_run_often_is_prepared_once_on_postgresql():
    from django.db import connection

    from releases.models import Release

    before = prepared_statements(connection, "releases_release")
    for _ in range(6):
        list(Release.objects.public().filter(language="ru")[:3])
    new = [s for s in prepared_statements(connection, "releases_release") if s not in before]
    assert len(new) == 1 and "$1" in new[0]  # the parameters apart from the SQL: one plan


@pytest.mark.django_db
@pytest.mark.postgres
def test_a_word_search_is_planned_for_its_words_never_prepared():
    """A generic plan for every word read 67,000 index entries for a rare one (core.database)."""
    from django.db import connection

    from releases.models import Event, Release

    for word in ["youth", "health", "forum", "astana", "2024", "7582", "water", "peace"] * 2:
        Release.objects.public().search_top(word, 20)
        list(Event.objects.public().search(word)[:5])
        Release.objects.public().search(word).count()
    assert not [s for s in prepared_statements(connection, "") if "to_tsquery" in s]
    for _ in range(6):  # other statements still are
        Release.objects.public().count()
    assert prepared_statements(connection, "COUNT(*)")


@pytest.mark.slow
def test_gunicorn_workers_collect_but_never_walk_what_the_master_loaded(tmp_path):
    """gunicorn.conf.py's hook, run by gunicorn itself: the master freezes what it loaded
    before forking, and each worker still collects (one without collections would grow
    without bound)."""
    import time
    import urllib.request

    from .mailsink import free_port

    (tmp_path / "probe.py").write_text(
        "import gc\n"
        "loaded = [[object()] for _ in range(1000)]  # what an app makes as it loads\n"
        "def application(environ, start_response):\n"
        "    answer = f'{gc.isenabled()} {gc.get_freeze_count()}'\n"
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
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    enabled, frozen = answer.read().decode().split()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert enabled == "True"
    assert int(frozen) >= 1000
