"""The caches in front of the portal: Varnish with deploy/varnish/default.vcl started on loopback
in front of the test server, purged by tag when content changes (core/caching/edge.py); and a
CDN's purge-by-tag API (a local fake of Cloudflare's)."""

import glob
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from editorial.models import Status
from tests.factories import make_release

ROOT = Path(__file__).resolve().parent.parent
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
VARNISHD = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")
XKEY = glob.glob("/usr/lib/*/varnish/vmods/libvmod_xkey.so") + glob.glob(
    "/usr/lib/varnish/vmods/libvmod_xkey.so"
)
needs_varnish = pytest.mark.skipif(
    not (VARNISHD and XKEY),
    reason="Varnish with the xkey module is not installed (apt-get install varnish "
    "varnish-modules; .ci/run does it)",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)


class Varnish:
    def __init__(self, backend_port: int):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="varnish-"))
        text = VCL.read_text()
        pair = '.host = "127.0.0.1";\n    .port = "8000";'
        assert pair in text, "deploy/varnish/default.vcl names its backend in one .host/.port pair"
        vcl = self.folder / "portal.vcl"
        vcl.write_text(text.replace(pair, f'.host = "127.0.0.1";\n    .port = "{backend_port}";'))
        self.process = subprocess.Popen(
            [
                VARNISHD,
                "-F",
                "-j",
                "none",
                "-a",
                f"127.0.0.1:{self.port}",
                "-T",
                "127.0.0.1:0",
                "-f",
                str(vcl),
                "-n",
                str(self.folder / "state"),
                "-s",
                "malloc,64m",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.fail(f"varnishd did not start: {self.process.stdout.read().decode()[-2000:]}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, headers=None):
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, answer.headers, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def faults():
    """The fault suite's own-server helpers (bench/faults.py): a Redis of our own."""
    spec = importlib.util.spec_from_file_location("faults", ROOT / "bench" / "faults.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def origin(request, transactional_db, settings):
    """The server Varnish fronts. On PostgreSQL, a gunicorn of its own on the test database,
    sharing a Redis of its own with this process (as app servers and the machine an editor
    saves on share one); on SQLite, whose test database lives in this process, the live server.
    Yields its port."""
    if connection.vendor != "postgresql":
        yield int(request.getfixturevalue("live_server").url.rsplit(":", 1)[1])
        return
    redis = faults().OwnRedis()
    redis.start()
    url = f"redis://127.0.0.1:{redis.port}/0"
    settings.REDIS_URL = url
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "core.caching.redis.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "cica",
            "OPTIONS": {"RETRY_SECONDS": 5, "FALLBACK": "fallback", "LOCAL_SECONDS": 1},
        },
        "fallback": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 1},
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        (database,) = cursor.fetchone()
    port = free_port()
    database_url = (
        f"postgres://{connection.settings_dict['USER']}@{connection.settings_dict['HOST']}:"
        f"{connection.settings_dict['PORT'] or 5432}/{database}"
    )
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "EDGE_"))},
        "DATABASE_URL": database_url,
        "REDIS_URL": url,
        "DJANGO_DEBUG": "true",  # static files unhashed: no collectstatic for a test
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cica_portal.wsgi"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield port
    finally:
        gunicorn.terminate()
        gunicorn.wait(30)
        caches["default"].close()
        redis.kill()


@pytest.fixture
def at_the_edge(origin, settings):
    """Varnish, a new one for each test (its health check reads the database, which the test
    run opens to a live server only while a test runs)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    varnish = Varnish(origin)
    settings.EDGE_PURGE_URLS = varnish.url
    yield varnish
    varnish.stop()


def seen_within(varnish, path: str, words: str, *, present: bool, seconds: float = 1.0) -> float:
    """How long until `words` are (or are no longer) on `path` through the edge."""
    start = time.monotonic()
    while True:
        status, _headers, body = varnish.get(path)
        if (status == 200 and words in body) == present:
            return time.monotonic() - start
        if time.monotonic() - start > seconds:
            pytest.fail(f"{words!r} still {'absent' if present else 'shown'} on {path}")
        time.sleep(0.02)


@pytest.mark.slow
@needs_varnish
def test_the_edge_keeps_public_answers_and_passes_the_admin_and_sessions(at_the_edge):
    make_release(title="Kept at the edge")
    for path in ("/press-releases/", "/api/v1/releases/", "/press-releases/feed/"):
        first = at_the_edge.get(path)
        second = at_the_edge.get(path)
        assert first[0] == second[0] == 200, path
        assert second[1]["X-Edge"] == "hit", path
        assert "xkey" not in second[1]
    for _ in range(2):
        status, headers, _body = at_the_edge.get("/admin/login/")
        assert status == 200 and headers["X-Edge"] == "miss"
    signed_in = {"Cookie": "sessionid=abc"}
    assert at_the_edge.get("/press-releases/", signed_in)[1]["X-Edge"] == "miss"
    # Another spelling of the same query is the same object.
    at_the_edge.get("/press-releases/?page=1&kind=statement")
    assert at_the_edge.get("/press-releases/?kind=statement&page=1")[1]["X-Edge"] == "hit"
    # Only the portal's machines purge.
    request = urllib.request.Request(at_the_edge.url + "/", method="PURGE")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 400  # from loopback, allowed: but it must say what to purge


@pytest.mark.slow
@needs_varnish
def test_a_publish_shows_and_a_withdrawal_vanishes_at_the_edge_within_a_second(at_the_edge):
    other = make_release(title="An unrelated statement")
    draft = make_release(title="Breaking: ministers meet in Astana", status=Status.DRAFT)
    for path in ("/press-releases/", "/", other.get_absolute_url()):
        at_the_edge.get(path)
        assert at_the_edge.get(path)[1]["X-Edge"] == "hit"

    with transaction.atomic():
        draft.status, draft.publish_at = Status.PUBLISHED, timezone.now()
        draft.save()
    shown = seen_within(at_the_edge, "/press-releases/", draft.title, present=True)
    seen_within(at_the_edge, "/", draft.title, present=True)
    assert at_the_edge.get(other.get_absolute_url())[1]["X-Edge"] == "hit"  # left alone

    address = draft.get_absolute_url()
    at_the_edge.get(address)
    assert at_the_edge.get(address)[1]["X-Edge"] == "hit"
    with transaction.atomic():
        draft.status, draft.withdrawal_note = Status.WITHDRAWN, "Issued in error."
        draft.save()
    gone = seen_within(at_the_edge, "/press-releases/", draft.title, present=False)
    status, _headers, body = at_the_edge.get(address)
    assert "withdrawn-heading" in body and "Issued in error." in body
    assert shown < 1 and gone < 1


@pytest.mark.slow
@needs_varnish
def test_other_changes_reach_the_edge_through_the_worker(at_the_edge):
    release = make_release(title="First wording")
    address = release.get_absolute_url()
    at_the_edge.get(address)
    release.title = "Corrected wording"
    release.save()
    # Queued, not sent: the edge still has the old page until the worker runs.
    assert "First wording" in at_the_edge.get(address)[2]
    run_worker()
    seen_within(at_the_edge, address, "Corrected wording", present=True)


@pytest.mark.slow
@needs_varnish
def test_a_scheduled_release_reaches_the_edge_at_its_time(at_the_edge):
    at_the_edge.get("/press-releases/")
    when = timezone.now() + timedelta(seconds=2)
    make_release(title="Embargoed until nine", publish_at=when)
    run_worker()  # not due yet: nothing sent
    assert "Embargoed until nine" not in at_the_edge.get("/press-releases/")[2]
    time.sleep(max(0, (when - timezone.now()).total_seconds()) + 0.1)
    run_worker()
    seen_within(at_the_edge, "/press-releases/", "Embargoed until nine", present=True)


# A fake of Cloudflare's purge-by-tag API, and an edge that does not answer.


class FakeCloudflare(BaseHTTPRequestHandler):
    calls: list = []

    def do_POST(self):  # noqa: N802 (the handler's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeCloudflare.calls.append((self.path, self.headers["Authorization"], body))
        answer = json.dumps({"success": True, "errors": [], "result": {"id": "x"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def cloudflare(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeCloudflare)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeCloudflare.calls = []
    settings.EDGE_PURGE_URLS = "cloudflare://zone123"
    settings.EDGE_PURGE_TOKEN = "secret-token"
    settings.EDGE_PURGE_API_URL = f"http://127.0.0.1:{server.server_port}/client/v4"
    yield FakeCloudflare.calls
    server.shutdown()


@pytest.mark.django_db(transaction=True)
def test_a_cdn_gets_the_tags_of_a_change_through_its_purge_api(cloudflare):
    release = make_release(title="For the CDN", status=Status.DRAFT)
    release.status = Status.PUBLISHED
    release.save()  # goes live: sent at once
    path, authorization, body = cloudflare[-1]
    assert path == "/client/v4/zones/zone123/purge_cache"
    assert authorization == "Bearer secret-token"
    assert {f"release:{release.pk}", "releases", "all", "media"} <= set(body["tags"])
    from core.caching import edge

    edge.send_all({f"tag-{n}" for n in range(45)}, ["cloudflare://zone123"], 1)
    assert [len(call[2]["tags"]) for call in cloudflare[-2:]] == [30, 15]  # its limit per call
    edge.send_all(None, ["cloudflare://zone123"], 1)
    assert cloudflare[-1][2] == {"purge_everything": True}


@pytest.mark.django_db(transaction=True)
def test_an_edge_that_does_not_answer_is_retried_by_the_worker_then_given_up(settings, caplog):
    from django_tasks_db.models import DBTaskResult

    settings.EDGE_PURGE_URLS = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings.EDGE_PURGE_TIMEOUT = 0.2
    release = make_release(title="Nobody hears", status=Status.DRAFT)
    started = time.monotonic()
    release.status = Status.PUBLISHED
    release.save()
    assert time.monotonic() - started < 2  # the save does not wait on the edge
    queued = DBTaskResult.objects.filter(task_path="core.caching.tasks.purge_edges")
    retry = queued.order_by("-enqueued_at").first()
    assert retry.args_kwargs["args"][1:] == [[settings.EDGE_PURGE_URLS], 1]
    assert retry.run_after > timezone.now()  # after a pause
    from core.caching import edge

    edge.retry({"releases"}, [settings.EDGE_PURGE_URLS], len(edge.RETRY_SECONDS))
    assert "given up" in caplog.text


@pytest.mark.django_db
def test_without_an_edge_nothing_is_queued(settings):
    from django_tasks_db.models import DBTaskResult

    settings.EDGE_PURGE_URLS = ""
    make_release(title="No edge")
    assert not DBTaskResult.objects.filter(task_path="core.caching.tasks.purge_edges").exists()


@pytest.mark.django_db
def test_an_answer_rendered_while_a_purge_happened_is_kept_by_no_cache(client, monkeypatch):
    """It may show rows from before the purge: neither the portal's cache nor an edge keeps it
    (an edge would otherwise hold the old list for a minute after the purge reached it)."""
    from core.caching import purge
    from releases import api, views

    make_release(title="Listed")

    def purged_meanwhile(original):
        def render(self, *args, **kwargs):
            purge({"releases"})  # a publish committed while this answer was being made
            return original(self, *args, **kwargs)

        return render

    monkeypatch.setattr(
        views.ReleaseListView,
        "get_context_data",
        purged_meanwhile(views.ReleaseListView.get_context_data),
    )
    monkeypatch.setattr(
        api.ReleaseViewSet,
        "filter_queryset",
        purged_meanwhile(api.ReleaseViewSet.filter_queryset),
    )
    for path in ("/press-releases/", "/api/v1/releases/"):
        first = client.get(path)
        assert first.status_code == 200
        assert first["Cache-Control"] == "public, max-age=0, s-maxage=0", path
        assert client.get(path)["X-Cache"] == "miss", path
    monkeypatch.undo()
    assert client.get("/press-releases/")["Cache-Control"].endswith("s-maxage=60")
