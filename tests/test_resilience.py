"""One failing server does not take the site down; what the cache keeps is bounded; drafts are
invisible to visitors even through timing and headers."""

import importlib.util
import shutil
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client

from core.caching import VERSION_KEY, content_version
from editorial.models import Status
from releases.models import Release

from .factories import make_release

pytestmark = pytest.mark.django_db

REDIS = shutil.which("redis-server")
ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"


def _servers():
    """The fault suite's own-server helpers (bench/faults.py): one implementation of "a Redis of
    our own on a spare port", for the suite and for these tests."""
    spec = importlib.util.spec_from_file_location("faults", ROOT / "bench" / "faults.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OwnRedis = _servers().OwnRedis


@pytest.fixture
def redis_cache(settings):
    server = OwnRedis()
    server.start()
    settings.REDIS_URL = f"redis://127.0.0.1:{server.port}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.caching.redis.ResilientRedisCache",
            "LOCATION": settings.REDIS_URL,
            "OPTIONS": {"RETRY_SECONDS": 0.2},
        },
        "fallback": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    yield server
    server.kill()
    caches["default"].close()


@pytest.mark.slow
@pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")
def test_with_the_cache_server_killed_everything_works_uncached_and_recovers(
    redis_cache, client, admin_client, tmp_path, caplog
):
    release = make_release(title="Served while Redis is down")
    assert client.get("/").status_code == 200 and client.get("/")["X-Cache"] == "hit"

    redis_cache.kill()
    for url in ["/", "/press-releases/", release.get_absolute_url(), "/api/v1/releases/"]:
        assert client.get(url).status_code == 200, url
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    assert "cache server unavailable" in caplog.text
    # Staff saves and the importer carry on.
    response = admin_client.post(
        "/admin/releases/topic/add/", {"name": "Water", "name_ru": "", "slug": "water"}
    )
    assert response.status_code == 302
    out = StringIO()
    call_command("import_releases", str(SEEDS), "--root", str(SEEDS), stdout=out, stderr=out)
    assert Release.objects.count() == 4

    redis_cache.start()
    time.sleep(0.3)  # the pause after a failure
    client.get("/")
    assert client.get("/")["X-Cache"] == "hit"
    assert client.get("/healthz").json()["status"] == "ok"


@pytest.mark.slow
@pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")
def test_with_the_cache_server_killed_no_request_waits_for_a_render_lock(
    redis_cache, client, monkeypatch
):
    make_release(title="Served while Redis is down")
    redis_cache.kill()

    def waited(seconds):
        raise AssertionError(f"a request waited {seconds}s for a lock nobody can hold")

    monkeypatch.setattr("core.caching.pages.time.sleep", waited)
    for url in ["/", "/press-releases/", "/api/v1/releases/", "/", "/api/v1/releases/"]:
        assert client.get(url).status_code == 200, url


@pytest.mark.slow
@pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")
def test_with_the_cache_server_killed_a_process_reuses_its_pages_and_shows_its_changes_at_once(
    redis_cache, client
):
    release = make_release(title="Served while Redis is down")
    redis_cache.kill()
    assert client.get("/")["X-Cache"] == "miss"
    assert client.get("/")["X-Cache"] == "hit"  # from this process's memory, for a second
    assert "withdrawn-heading" not in client.get(release.get_absolute_url()).content.decode()
    release.status, release.withdrawal_note = Status.WITHDRAWN, "Issued in error."
    release.save()
    assert release.title not in client.get("/").content.decode()
    assert "withdrawn-heading" in client.get(release.get_absolute_url()).content.decode()
    time.sleep(1.1)  # and another process's change would be seen by now
    assert client.get("/")["X-Cache"] == "miss"


class Cable:
    """A TCP relay to a server that can be cut (every connection dropped, new ones refused)
    and mended: a network failure between the portal and a server that keeps its data."""

    def __init__(self, port: int):
        import socket
        import threading

        self.target, self.sockets, self.cut_off = port, [], threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        import socket
        import threading

        while True:
            client, _ = self.listener.accept()
            if self.cut_off.is_set():
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.target))
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            end.close()

    def cut(self):
        import socket

        self.cut_off.set()
        for end in self.sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.sockets = []

    def mend(self):
        self.cut_off.clear()


@pytest.mark.slow
@pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")
def test_after_a_blip_the_cache_server_serves_nothing_from_before_it(redis_cache, client, settings):
    """The network to Redis fails and comes back, Redis keeping its data: a withdrawal made
    meanwhile purged nothing there, so its copies are not trusted on its return."""
    cable = Cable(redis_cache.port)
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{cable.port}/0"},
    }
    release = make_release(title="Withdrawn during the blip")
    address = release.get_absolute_url()
    assert client.get(address).status_code == 200 and client.get(address)["X-Cache"] == "hit"
    cable.cut()
    release.status, release.withdrawal_note = Status.WITHDRAWN, "Issued in error."
    release.save()  # its purge goes to this process's memory alone
    cable.mend()
    time.sleep(1.1)  # the pause after a failure, and the local copies' second
    assert "withdrawn-heading" in client.get(address).content.decode()
    assert release.title not in client.get("/press-releases/").content.decode()


def test_a_database_outage_is_a_503_with_retry_after(monkeypatch):
    from releases import views

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views.HomeView, "get_context_data", down)
    monkeypatch.setattr(views.ReleaseListView, "get_queryset", down)
    visitor = Client(raise_request_exception=False)
    page = visitor.get("/")
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert '<html lang="en">' in page.content.decode()
    assert visitor.get("/ru/press-releases/").content.decode().count('<html lang="ru">') == 1


def test_the_500_page_names_its_language(rf):
    from django.utils import translation

    from core.web.errors import server_error

    with translation.override("en"):
        assert '<html lang="en">' in server_error(rf.get("/")).content.decode()


def test_unknown_parameters_redirect_to_the_canonical_address_and_store_no_copy(client):
    make_release()
    response = client.get("/press-releases/?utm_source=x&kind=statement")
    assert response.status_code == 301 and response["Location"] == "/press-releases/?kind=statement"
    assert client.get("/?utm=1")["Location"] == "/"
    api = client.get("/api/v1/releases/?utm=1&language=en")
    assert api.status_code == 301 and api["Location"] == "/api/v1/releases/?language=en"
    before = len(cache._cache)
    for n in range(20):
        client.get(f"/press-releases/?junk={n}")
    assert len(cache._cache) == before


def test_parameter_order_does_not_make_another_copy(client):
    make_release()
    client.get("/press-releases/?kind=statement&language=en")
    assert client.get("/press-releases/?language=en&kind=statement")["X-Cache"] == "hit"


def test_the_local_cache_is_bounded(settings):
    assert settings.CACHES["default"]["OPTIONS"]["MAX_ENTRIES"] > 0 or settings.REDIS_URL


def test_saving_a_draft_changes_nothing_a_visitor_can_observe(client):
    make_release(title="Live one")
    draft = make_release(title="Secret draft", status=Status.DRAFT, publish_at=None)
    version = content_version()
    modified = client.get("/api/v1/releases/")["Last-Modified"]
    time.sleep(1.1)  # Last-Modified has one-second resolution
    draft.title = "Secret draft, second go"
    draft.save()
    from core.caching import generations

    lists = generations({"releases", "topics"})
    draft.topics.create(name="Secret topic", slug="secret-topic")
    assert cache.get(VERSION_KEY) is not None and content_version() == version
    assert generations({"releases", "topics"}) == lists
    cache.clear()
    assert client.get("/api/v1/releases/")["Last-Modified"] == modified


def test_publishing_still_purges_the_lists(client):
    from core.caching import generations

    draft = make_release(status=Status.DRAFT, publish_at=None)
    before = generations({"releases", f"release:{draft.pk}"})
    draft.status = Status.PUBLISHED
    draft.publish_at = draft.created_at
    draft.save()
    after = generations({"releases", f"release:{draft.pk}"})
    assert all(after[tag] != before[tag] for tag in before)


@pytest.mark.skipif(REDIS is None, reason="redis-server is not installed")
def test_the_api_throttle_counts_in_redis_in_one_round_trip_and_in_memory_while_it_is_away(
    redis_cache, settings
):
    import redis as redis_py

    from core.caching.redis import count

    settings.API_ANON_RATE = "3/minute"
    client = Client()
    sent = []
    real = redis_py.connection.Connection.send_packed_command

    def spy(connection, command, *args, **kwargs):
        sent.append(command)
        return real(connection, command, *args, **kwargs)

    redis_py.connection.Connection.send_packed_command = spy
    try:
        assert count("test-window", 60) == 1  # (and the connection's greetings)
        sent.clear()
        assert count("test-window", 60) == 2
        assert len(sent) == 1  # SET NX EX and INCR in one write
    finally:
        redis_py.connection.Connection.send_packed_command = real
    ttl = redis_py.Redis.from_url(settings.REDIS_URL).ttl("cica:count:test-window")
    assert 0 < ttl <= 60
    statuses = [client.get("/api/v1/topics/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    redis_cache.kill()
    # Redis away: counted in this process's memory, the API still answers and still throttles.
    statuses = [client.get("/api/v1/topics/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
