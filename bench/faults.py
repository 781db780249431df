"""Fault suite: what visitors see while the cache server, the database or a worker fails.

Usage (as root or the postgres user, on a machine with PostgreSQL's and Redis' binaries):

    .venv/bin/python bench/faults.py [--releases 2000] [--seconds 6] [--clients 8]

It starts its own PostgreSQL (initdb in a temporary folder) and its own Redis, each on a spare
port, fills the database (migrate, the seeds, generate_demo_data), and serves it with gunicorn
(production settings, 3 workers). Then, under load from `--clients` threads asking for a mix of
pages and API answers:

0. The same mix served with the public cache off (`DJANGO_PUBLIC_CACHE=false`, Redis up): the
   uncached p95 that a dead Redis is measured against.
1. Redis is killed, then started again: errors seen, each request's time while it is down (p95
   at most 1.5 times the uncached p95: no request waits for a render lock nobody can hold),
   /healthz's answer and time meanwhile (within 1 s, "degraded"), and the time until cached
   answers return.
2. PostgreSQL is stopped, then started again: the status codes visitors got meanwhile (cached
   pages keep coming, the rest is a 503 with Retry-After), and the time until all is 200 again.
3. A gunicorn worker is killed (SIGKILL): errors seen, and the time until the master has
   replaced it.
4. With no task worker running, a scheduled release with a journalist's advance copy is taken
   off the schedule: how long its preview link still answers (it must not: revoked in the
   same transaction as the state change).

It stops only what it started, prints a table and writes bench/results/faults.json. It never
touches the shared PostgreSQL or Redis of the machine.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)
# Pages and answers that stay cached, and one that never is (a search nobody made before).
PATHS = ["/", "/press-releases/", "/events/", "/people/", "/api/v1/releases/", "/search/?q=cica{n}"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


class OwnPostgres:
    """A PostgreSQL cluster of this run's own, in a temporary folder, on a spare port."""

    def __init__(self, folder: Path):
        self.data = folder / "pg"
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _pg(self, *args):
        subprocess.run(
            [*self.as_postgres, str(PG_BIN / args[0]), *args[1:]],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def init(self):
        self.data.parent.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.data.parent, "postgres")
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust")

    def start(self):
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        self._pg(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.data / "log"),
            "-w",
            "start",
        )

    def stop(self):
        self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


class OwnRedis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                "128mb",
                "--maxmemory-policy",
                "allkeys-lru",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def kill(self):
        if self.process:
            self.process.kill()
            self.process.wait()
            self.process = None


class Load:
    """Threads asking for PATHS in turn; every answer recorded as (time, status or error)."""

    def __init__(self, base: str, clients: int):
        self.base, self.clients = base, clients
        self.records: list[tuple[float, str, str, str, float]] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(clients)]

    def _run(self, offset: int):
        n = offset
        while not self.stop.is_set():
            path = PATHS[n % len(PATHS)].format(n=n)
            n += 1
            asked = time.monotonic()
            try:
                with urllib.request.urlopen(self.base + path, timeout=10) as response:
                    status, cache = str(response.status), response.headers.get("X-Cache", "")
            except urllib.error.HTTPError as error:
                status, cache = str(error.code), ""
            except OSError as error:
                status, cache = type(error).__name__, ""
            self.records.append((asked, path, status, cache, time.monotonic() - asked))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def between(self, start: float, end: float):
        return [r for r in self.records if start <= r[0] < end]


def summary(records) -> dict:
    return dict(Counter(r[2] for r in records))


def p95_ms(records) -> float | None:
    """The 95th percentile of the records' request times, in milliseconds."""
    times = sorted(r[4] for r in records)
    return round(times[int(0.95 * (len(times) - 1))] * 1000, 1) if times else None


def ask(url: str) -> tuple[str, float]:
    """(status, seconds) of one GET."""
    asked = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            status = str(response.status)
    except urllib.error.HTTPError as error:
        status = str(error.code)
    except OSError as error:
        status = type(error).__name__
    return status, time.monotonic() - asked


def health_while(base: str, seconds: float) -> dict:
    """/healthz asked every half second for `seconds`: its answers and slowest time."""
    answers, slowest, deadline = Counter(), 0.0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        asked = time.monotonic()
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
                answers[json.loads(response.read())["status"]] += 1
        except (OSError, ValueError) as error:
            answers[type(error).__name__] += 1
        slowest = max(slowest, time.monotonic() - asked)
        time.sleep(0.5)
    return {"answers": dict(answers), "slowest (s)": round(slowest, 3)}


ADVANCE_COPY = """
import datetime
from django.contrib.auth import get_user_model
from django.utils import timezone
from alerts.models import AccreditedJournalist, AdvanceCopy
from releases.models import PreviewLink, Release
from editorial.models import Status

go_live = timezone.now() + datetime.timedelta(days=1)
release = Release.objects.create(
    title="Fault suite embargo", slug="fault-suite-embargo", status=Status.PUBLISHED,
    publish_at=go_live, body="Under embargo.",
)
user = get_user_model().objects.create(username="fault-suite-publisher")
journalist = AccreditedJournalist.objects.create(
    name="Fault Suite", outlet="Probe", email="probe@example.org", accredited_by=user,
    accredited_until=timezone.localdate() + datetime.timedelta(days=30),
)
link = PreviewLink.objects.create(
    release=release, token=PreviewLink.new_token(), expires_at=go_live, created_by=user
)
AdvanceCopy.objects.create(
    release=release, journalist=journalist, preview_link=link, embargo_until=go_live,
    sent_by=user, sent_at=timezone.now(),
)
print(link.get_absolute_url())
"""

UNSCHEDULE = """
from releases.models import Release
from editorial.models import Status

release = Release.objects.get(slug="fault-suite-embargo")
release.status = Status.DRAFT
release.save()
"""


def django_shell(env: dict, code: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def advance_copy_after_unscheduling(base: str, env: dict, seconds: float) -> dict:
    """Phase 4: the advance copy's link before and after the release leaves the schedule, with
    no task worker running."""
    address = base + django_shell(env, ADVANCE_COPY).splitlines()[-1]
    before = ask(address)[0]
    django_shell(env, UNSCHEDULE)
    unscheduled = time.monotonic()
    answers = Counter()
    while time.monotonic() - unscheduled < seconds:
        answers[ask(address)[0]] += 1
        time.sleep(0.2)
    return {"before": before, "after, worker stopped": dict(answers)}


def first_after(records, start: float, test) -> float | None:
    hit = next((r[0] for r in records if r[0] >= start and test(r)), None)
    return None if hit is None else round(hit - start, 2)


def prepare(pg: OwnPostgres, redis: OwnRedis, env: dict, releases: int) -> None:
    manage = [sys.executable, "manage.py"]
    for args in (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput"],
        ["import_releases", "fixtures/seeds", "--status", "published"],
        ["generate_demo_data", "--releases", str(releases)],
    ):
        subprocess.run(
            [*manage, *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def gunicorn_workers(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    if PG_BIN is None or not shutil.which("redis-server"):
        sys.exit("PostgreSQL's binaries (/usr/lib/postgresql/*/bin) and redis-server are needed.")

    folder = Path(tempfile.mkdtemp(prefix="cica-faults-"))
    pg, redis = OwnPostgres(folder), OwnRedis()
    web_port = free_port()
    base = f"http://127.0.0.1:{web_port}"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "fault-suite-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "ERROR",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "WEB_CONCURRENCY": "3",
        "REDIS_RETRY_SECONDS": "2",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "API_ANON_RATE": "1000000/minute",  # one address sends all the load
    }
    web = None
    results = {}
    try:
        pg.init()
        pg.start()
        redis.start()
        env["DATABASE_URL"], env["REDIS_URL"] = pg.url, f"redis://127.0.0.1:{redis.port}/0"
        prepare(pg, redis, env, args.releases)

        def serve():
            return subprocess.Popen(
                [
                    str(ROOT / ".venv" / "bin" / "gunicorn"),
                    "cica_portal.wsgi",
                    "--config",
                    "gunicorn.conf.py",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

        env["DJANGO_PUBLIC_CACHE"] = "false"
        web = serve()
        wait_for_port(web_port)
        s = args.seconds
        with Load(base, args.clients) as load:
            time.sleep(s)
        uncached = load.between(load.records[0][0] + 1, time.monotonic())  # past the warm-up
        results["uncached, Redis up"] = {"answers": summary(uncached), "p95 ms": p95_ms(uncached)}
        web.terminate()
        web.wait()
        env.pop("DJANGO_PUBLIC_CACHE")
        web = serve()
        wait_for_port(web_port)
        with Load(base, args.clients) as load:
            time.sleep(s)  # warm: every page cached
            killed = time.monotonic()
            redis.kill()
            health = health_while(base, s)
            restarted = time.monotonic()
            redis.start()
            time.sleep(s)
            down = load.between(killed + 0.5, restarted)  # past the first failing calls
            results["cache server killed"] = {
                "before": summary(load.between(killed - s, killed)),
                "while down": summary(load.between(killed, restarted)),
                "p95 ms while down": p95_ms(down),
                "p95 while down / uncached p95": round(
                    p95_ms(down) / results["uncached, Redis up"]["p95 ms"], 2
                ),
                "/healthz while down": health,
                "after restart": summary(load.between(restarted, restarted + s)),
                "cache hits again after (s)": first_after(
                    load.records, restarted, lambda r: r[3] == "hit"
                ),
            }

            stopped = time.monotonic()
            pg.stop()
            time.sleep(s)
            started = time.monotonic()
            pg.start()
            time.sleep(s)
            results["database stopped"] = {
                "while down": summary(load.between(stopped, started)),
                "after start": summary(load.between(started, started + s)),
                "all 200 again after (s)": first_after(
                    load.records, started, lambda r: r[1].startswith("/search/") and r[2] == "200"
                ),
            }

            master = web.pid
            before = gunicorn_workers(master)
            worker_killed = time.monotonic()
            os.kill(before[0], signal.SIGKILL)
            replaced = None
            while time.monotonic() - worker_killed < s:
                now = gunicorn_workers(master)
                if replaced is None and len(now) == len(before) and before[0] not in now:
                    replaced = round(time.monotonic() - worker_killed, 2)
                time.sleep(0.05)
            results["worker killed"] = {
                "around the kill": summary(load.between(worker_killed - 1, worker_killed + s)),
                "replaced after (s)": replaced,
            }
            results["requests"] = len(load.records)
        results["advance copy unscheduled"] = advance_copy_after_unscheduling(base, env, s)
    finally:
        if web is not None:
            web.terminate()
            web.wait()
        redis.kill()
        try:
            pg.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(folder, ignore_errors=True)

    print(json.dumps(results, indent=2))
    from report import write_json  # bench/, the script's own folder

    write_json("faults.json", results)


if __name__ == "__main__":
    main()
