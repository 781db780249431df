"""Serving benchmark: gunicorn on PostgreSQL with N releases, loaded by wrk over loopback.

Usage (PostgreSQL and wrk needed: `apt-get install wrk`):

    .venv/bin/python bench/serve_bench.py [--releases 100000] [--duration 20]
        [--database-url postgres://postgres@127.0.0.1:5432/cica_bench]
        [--redis-url redis://127.0.0.1:6379/5] [--connections 64] [--import-files 1000]
        [--edge]  (the breaking-news run through Varnish in front of two gunicorns)

It fills the database with `generate_demo_data` up to N releases (kept between runs), starts
gunicorn with the production settings (debug off, gunicorn.conf.py, whitenoise) plus one bare view
returning a constant, then for each page measures requests/s and p50/p95/p99 latency at
`--connections` connections, and the latency of one client alone (the page's own cost, with no
queue), first with the public cache off (DJANGO_PUBLIC_CACHE=false), then on (Redis when reachable,
else each worker's local memory). Then a 60 s mixed run of every page at the same connections,
counting errors, and the workers' memory (RSS) after the load; then import throughput
(bench/import_bench.py). Prints a table with each figure as a ratio of the bare view and writes
bench/results/serve.json.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from report import RESULTS, write_json  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8099
BASE = f"http://127.0.0.1:{PORT}"

WRK_SCRIPT = r"""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def run(cmd, env=None, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare_data(env: dict, releases: int) -> dict:
    import psycopg

    run([PYTHON, "manage.py", "migrate", "--verbosity", "0"], env=env)
    url = env["DATABASE_URL"]
    with psycopg.connect(url) as conn:
        have = conn.execute("SELECT count(*) FROM releases_release").fetchone()[0]
    if have < releases:
        print(f"generating {releases - have} releases (have {have})...", flush=True)
        started = time.perf_counter()
        run(
            [PYTHON, "manage.py", "generate_demo_data", "--releases", str(releases - have)],
            env=env,
        )
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        public = "status = 'published' AND publish_at <= now()"
        count = conn.execute(f"SELECT count(*) FROM releases_release WHERE {public}").fetchone()[0]
        # Each release at its own address: Russian ones under /ru/ (the other prefix redirects).
        pages = [
            f"/ru/press-releases/{slug}/" if language == "ru" else f"/press-releases/{slug}/"
            for slug, language in conn.execute(
                f"SELECT slug, language FROM releases_release WHERE {public} "
                "ORDER BY random() LIMIT 1000"
            )
        ]
        titles = [
            r[0]
            for r in conn.execute(
                f"SELECT title FROM releases_release WHERE {public} ORDER BY random() LIMIT 300"
            )
        ]
        total = conn.execute("SELECT count(*) FROM releases_release").fetchone()[0]
    rng = random.Random(7)
    words = sorted({w for t in titles for w in re.findall(r"\w{5,}", t)})
    terms = rng.sample(words, min(100, len(words)))
    slugs = [page.rstrip("/").rsplit("/", 1)[1] for page in pages]
    return {
        "releases": total,
        "public_releases": count,
        "pages": pages,
        "slugs": slugs,
        "terms": terms,
    }


def pages(data: dict) -> dict[str, list[str]]:
    slugs, terms, detail = data["slugs"], data["terms"], data["pages"]
    return {
        "bare view": ["/bench/bare/"],
        "home": ["/"],
        "release list": ["/press-releases/"] + [f"/press-releases/?page={n}" for n in range(2, 21)],
        "release detail": detail,
        # Breaking news: a handful of releases take most of the traffic.
        "hot releases": detail[:10],
        "search": [f"/search/?q={quote(t)}" for t in terms],
        "RSS feed": ["/press-releases/feed/"],
        # DRF with the API's authentication and rate limit, returning a constant: the ceiling of
        # any API answer (the API rows are also given as a share of it).
        "bare API view": ["/api/bench-bare/"],
        "API list": ["/api/v1/releases/"],
        "API detail": [f"/api/v1/releases/{s}/" for s in slugs],
    }


class Server:
    def __init__(self, env: dict, log: Path, port: int = PORT):
        self.env, self.log, self.port = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, log, port
        self.proc = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "cica_portal.wsgi",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            try:
                health = f"http://127.0.0.1:{self.port}/healthz"
                with urllib.request.urlopen(health, timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not come up; see {self.log}")

    def workers_rss_mb(self) -> list[float]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        sizes = []
        for pid in out.split():
            status = Path(f"/proc/{pid}/status").read_text()
            kb = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
            sizes.append(round(kb / 1024, 1))
        return sizes

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def wrk(paths: list[str], *, connections: int, seconds: int, workdir: Path) -> dict:
    listing = workdir / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = workdir / "bench.lua"
    script.write_text(WRK_SCRIPT)
    threads = max(1, min(2, connections))
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            BASE,
        ],
        env={**os.environ, "BENCH_PATHS": str(listing)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out.split("BENCH_JSON", 1)[1].strip().splitlines()[0])
    seconds_run = result["duration_us"] / 1e6
    return {
        "rps": round(result["requests"] / seconds_run, 1),
        "p50_ms": round(result["p50_us"] / 1000, 1),
        "p95_ms": round(result["p95_us"] / 1000, 1),
        "p99_ms": round(result["p99_us"] / 1000, 1),
        "requests": result["requests"],
        "errors": sum(result["errors"].values()),
    }


ROUNDS = 3


def loaded_run(page, paths, bare_paths, args, workdir) -> dict:
    """The page under load, in ROUNDS turns each right after the bare view for as long: the
    host's speed drifts by a tenth within a minute, so a share is the median of the turns'
    shares, each against the bare view measured just before. Figures are the turns' medians."""
    seconds = max(2, args.duration // ROUNDS)
    turns = []
    for _ in range(ROUNDS):
        bare = None
        if page != "bare view":
            bare = wrk(bare_paths, connections=args.connections, seconds=seconds, workdir=workdir)
            drain()
        run = wrk(paths, connections=args.connections, seconds=seconds, workdir=workdir)
        drain()
        turns.append((run, (bare or run)["rps"]))
    loaded = {
        key: statistics.median(run[key] for run, _ in turns)
        for key in ("rps", "p50_ms", "p95_ms", "p99_ms")
    }
    loaded["requests"] = sum(run["requests"] for run, _ in turns)
    loaded["errors"] = sum(run["errors"] for run, _ in turns)
    loaded["bare_rps_beside"] = statistics.median(bare for _, bare in turns)
    loaded["ratio_to_bare"] = round(statistics.median(run["rps"] / bare for run, bare in turns), 3)
    return loaded


def measure_mode(name, env, page_paths, args, workdir) -> dict:
    log = RESULTS / "gunicorn.log"
    results = {}
    with Server(env, log) as server:
        for page, paths in page_paths.items():
            # Warm up: the workers' imports and the first request of each path, all of them for a
            # page of up to 100 addresses (search's 100 terms: its cached figure is of hits, not
            # of half of them rendered during the run); the first 100 of the 1,000 random
            # release pages (that row measures a thousand pages, mostly not cached).
            for path in paths[:100]:
                urllib.request.urlopen(BASE + path, timeout=30).read()
            drain()
            loaded = loaded_run(page, paths, page_paths["bare view"], args, workdir)
            drain()
            alone = wrk(paths, connections=1, seconds=max(5, args.duration // 4), workdir=workdir)
            results[page] = {
                "loaded": loaded,
                "alone": {k: alone[k] for k in ("rps", "p50_ms", "p95_ms", "p99_ms")},
            }
            print(
                f"  {name:<8} {page:<15} {loaded['rps']:>8.1f} req/s  p50 {loaded['p50_ms']:>6.1f}"
                f"  p95 {loaded['p95_ms']:>6.1f}  p99 {loaded['p99_ms']:>6.1f} ms  "
                f"errors {loaded['errors']}  | alone p95 {alone['p95_ms']:.1f} ms",
                flush=True,
            )
        mixed = None
        if args.mixed_seconds and name == "cache":
            every = [p for paths in page_paths.values() for p in paths[:100]]
            mixed = wrk(
                every, connections=args.connections, seconds=args.mixed_seconds, workdir=workdir
            )
            print(f"  mixed run, {args.mixed_seconds} s: {mixed}", flush=True)
        rss = server.workers_rss_mb()
    return {"pages": results, "mixed": mixed, "workers_rss_mb": rss}


PUBLISH_SCRIPT = r"""
import json, time
from django.utils import timezone
from editorial.models import Status
from releases.models import Release
hot = Release.objects.public().get(slug=SLUG)
mention = hot.mentions.select_related("person").first()
title = f"Breaking news {time.time():.0f}: ministers agree on a joint statement"
release = Release.objects.create(title=title, slug=NEW_SLUG, status=Status.DRAFT,
                                 date=timezone.localdate(), lead="The ministers agreed.", body="Text.")
if mention:
    release.mentions.create(person=mention.person, position=0)
release.status, release.publish_at = Status.PUBLISHED, timezone.now()
release.save()
print("PUBLISHED " + json.dumps({"at": time.time(), "slug": release.slug, "pk": release.pk,
      "person": mention.person.get_absolute_url() if mention else None}))
"""

PERSON_SCRIPT = r"""
import json
from releases.models import Release
mention = Release.objects.get(slug=SLUG).mentions.select_related("person").first()
print("PERSON " + json.dumps({"url": mention.person.get_absolute_url() if mention else None}))
"""

WITHDRAW_SCRIPT = r"""
import json, time
from releases.models import Release
release = Release.objects.get(pk=PK)
release.status, release.withdrawal_note = "withdrawn", "Withdrawn in the benchmark."
release.save()
print("WITHDRAWN " + json.dumps({"at": time.time()}))
"""


PURGE_SCRIPT = r"""
import json, time
from core.caching import changed_tags, purge
from releases.models import Release
purge(changed_tags(Release.objects.public().get(slug=SLUG)))  # what an edit of it purges
print("PURGED " + json.dumps({"at": time.time()}))
"""


def renders_per_purge(env: dict, slug: str, paths: list[str], clients: int = 32) -> dict:
    """What an edit of release `slug` purges, purged; then `clients` requests at once on each
    purged page: how many answers the workers rendered (X-Cache: miss), the others having
    waited for that render."""
    django_script(env, PURGE_SCRIPT, "PURGED", SLUG=slug)
    counts = {}
    for path in paths:
        answers = []

        def fetch(path=path, answers=answers):
            with urllib.request.urlopen(BASE + path, timeout=60) as response:
                answers.append(response.headers.get("X-Cache", ""))

        threads = [threading.Thread(target=fetch) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        counts[path] = {"requests": len(answers), "rendered": answers.count("miss")}
    return counts


def django_script(env: dict, script: str, marker: str, **values) -> dict:
    for name in sorted(values, key=len, reverse=True):  # NEW_SLUG before SLUG
        script = script.replace(name, repr(values[name]))
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.split(marker, 1)[1].strip().splitlines()[0])


def until(paths: list[str], shown, *, limit: float = 30.0) -> dict[str, float]:
    """{path: (sent, received) of the first answer for which `shown(body)` held}, each path
    polled by its own thread (a request waits its turn among the load's, so one poller for all
    would add their waits up). Under load the answer arrives after its queue wait: the truth
    lies between the two times."""
    found = {}

    def poll(path):
        started = time.time()
        while time.time() - started < limit:
            sent = time.time()
            body = urllib.request.urlopen(BASE + path, timeout=30).read().decode()
            if shown(body):
                found[path] = (sent, time.time())
                return
            time.sleep(0.01)

    pollers = [threading.Thread(target=poll, args=(path,)) for path in paths]
    for poller in pollers:
        poller.start()
    for poller in pollers:
        poller.join()
    return found


def breaking_news(env: dict, data: dict, args, workdir: Path) -> dict:
    """Cache on, `--connections` on home, list, feed, API list and ten hot releases: one release
    published between two equal runs; throughput and p95 before and after, the time until it
    shows on every output, then a withdrawal and the time until it is gone from every output."""
    paths = ["/", "/press-releases/", "/press-releases/feed/", "/api/v1/releases/"]
    paths += data["pages"][:10]
    log = RESULTS / "gunicorn.log"
    seconds = args.news_seconds
    with Server(env, log) as server:
        for path in paths:
            urllib.request.urlopen(BASE + path, timeout=30).read()
        drain()
        before = wrk(paths, connections=args.connections, seconds=seconds, workdir=workdir)
        hot_slug = data["pages"][0].rstrip("/").rsplit("/", 1)[1]
        new_slug = f"breaking-{time.time_ns()}"
        person = django_script(env, PERSON_SCRIPT, "PERSON", SLUG=hot_slug)["url"]
        outputs = paths[:4] + ([person] if person else [])
        after_box = {}
        loader = threading.Thread(
            target=lambda: after_box.update(
                wrk(paths, connections=args.connections, seconds=seconds, workdir=workdir)
            )
        )
        loader.start()
        # The pollers start before the publish: the first answer showing it is the measure.
        seen_box = {}
        watcher = threading.Thread(
            target=lambda: seen_box.update(until(outputs, lambda body: new_slug in body))
        )
        watcher.start()
        news = django_script(env, PUBLISH_SCRIPT, "PUBLISHED", SLUG=hot_slug, NEW_SLUG=new_slug)
        watcher.join()
        loader.join()
        seen = seen_box
        gone_box = {}
        watcher = threading.Thread(
            target=lambda: gone_box.update(until(outputs, lambda body: new_slug not in body))
        )
        watcher.start()
        gone_at = django_script(env, WITHDRAW_SCRIPT, "WITHDRAWN", PK=news["pk"])["at"]
        watcher.join()
        gone = gone_box
        drain()
        renders = renders_per_purge(env, hot_slug, paths[:4])
        rss = server.workers_rss_mb()
    after = after_box
    return {
        "paths": len(paths),
        "before": before,
        "after": after,
        "throughput_after_over_before": round(after["rps"] / before["rps"], 3),
        "p95_after_over_before": round(after["p95_ms"] / max(before["p95_ms"], 0.1), 3),
        # (request sent, answer received), in seconds after the commit
        "visible_after_s": {
            p: (round(sent - news["at"], 3), round(got - news["at"], 3))
            for p, (sent, got) in seen.items()
        },
        "not_visible_on": [p for p in outputs if p not in seen],
        "gone_after_s": {
            p: (round(sent - gone_at, 3), round(got - gone_at, 3))
            for p, (sent, got) in gone.items()
        },
        "still_on": [p for p in outputs if p not in gone],
        "renders_per_purge": renders,
        "workers_rss_mb": rss,
    }


EDGE_PORT = 8090
SECOND_PORT = 8098


class Varnish:
    """varnishd with deploy/varnish/default.vcl, its one backend replaced by a round-robin
    director over the given gunicorn ports."""

    def __init__(self, ports: list[int], workdir: Path):
        text = (ROOT / "deploy" / "varnish" / "default.vcl").read_text()
        start = text.index("backend portal {")
        end = text.index("acl purgers")
        backends = "".join(
            text[start:end]
            .replace("backend portal", f"backend portal{n}")
            .replace('.port = "8000"', f'.port = "{port}"')
            for n, port in enumerate(ports)
        )
        director = "sub vcl_init {\n    new origin = directors.round_robin();\n"
        director += "".join(f"    origin.add_backend(portal{n});\n" for n in range(len(ports)))
        director += "}\n\nsub vcl_recv {\n    set req.backend_hint = origin.backend();\n}\n\n"
        vcl = text[:start] + backends + director + text[end:]
        vcl = vcl.replace("import std;", "import directors;\nimport std;")
        self.folder = workdir / "varnish"
        self.folder.mkdir(exist_ok=True)
        (self.folder / "bench.vcl").write_text(vcl)

    def __enter__(self):
        self.proc = subprocess.Popen(
            ["varnishd", "-F", "-j", "none", "-a", f"127.0.0.1:{EDGE_PORT}", "-T",
             "127.0.0.1:0", "-f", str(self.folder / "bench.vcl"), "-n", str(self.folder / "n"),
             "-s", "malloc,256m"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{EDGE_PORT}/healthz", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit("varnishd did not come up")

    def origin_requests(self) -> int:
        out = subprocess.run(
            ["varnishstat", "-n", str(self.folder / "n"), "-1", "-f", "MAIN.backend_req"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return int(out.split()[1])

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def edge_news(env: dict, data: dict, args, workdir: Path) -> dict:
    """The breaking-news run through Varnish in front of two gunicorns: throughput and p95
    before and after a publish, the origin's requests per second in each window, the time until
    the new release shows (and, withdrawn, is gone) through the edge."""
    global BASE
    paths = ["/", "/press-releases/", "/press-releases/feed/", "/api/v1/releases/"]
    paths += data["pages"][:10]
    env = {**env, "EDGE_PURGE_URLS": f"http://127.0.0.1:{EDGE_PORT}"}
    log = RESULTS / "gunicorn.log"
    seconds = args.news_seconds
    origin = BASE
    with (
        Server(env, log),
        Server(env, log, SECOND_PORT),
        Varnish([PORT, SECOND_PORT], workdir) as edge,
    ):
        BASE = f"http://127.0.0.1:{EDGE_PORT}"
        try:
            for path in paths:
                urllib.request.urlopen(BASE + path, timeout=30).read()
            start = edge.origin_requests()
            before = wrk(paths, connections=args.connections, seconds=seconds, workdir=workdir)
            before["origin_rps"] = round((edge.origin_requests() - start) / seconds, 1)
            hot_slug = data["pages"][0].rstrip("/").rsplit("/", 1)[1]
            new_slug = f"breaking-{time.time_ns()}"
            outputs = paths[:4]
            after_box, seen_box = {}, {}
            start = edge.origin_requests()
            loader = threading.Thread(
                target=lambda: after_box.update(
                    wrk(paths, connections=args.connections, seconds=seconds, workdir=workdir)
                )
            )
            loader.start()
            watcher = threading.Thread(
                target=lambda: seen_box.update(until(outputs, lambda body: new_slug in body))
            )
            watcher.start()
            news = django_script(env, PUBLISH_SCRIPT, "PUBLISHED", SLUG=hot_slug, NEW_SLUG=new_slug)
            watcher.join()
            loader.join()
            after = after_box
            after["origin_rps"] = round((edge.origin_requests() - start) / seconds, 1)
            gone_box = {}
            watcher = threading.Thread(
                target=lambda: gone_box.update(until(outputs, lambda body: new_slug not in body))
            )
            watcher.start()
            gone_at = django_script(env, WITHDRAW_SCRIPT, "WITHDRAWN", PK=news["pk"])["at"]
            watcher.join()
        finally:
            BASE = origin
    return {
        "paths": len(paths),
        "origins": 2,
        "before": before,
        "after": after,
        "throughput_after_over_before": round(after["rps"] / before["rps"], 3),
        "origin_share_before": round(before["origin_rps"] / max(before["rps"], 0.1), 4),
        "origin_share_after": round(after["origin_rps"] / max(after["rps"], 0.1), 4),
        "visible_after_s": {
            p: (round(sent - news["at"], 3), round(got - news["at"], 3))
            for p, (sent, got) in seen_box.items()
        },
        "not_visible_on": [p for p in outputs if p not in seen_box],
        "gone_after_s": {
            p: (round(sent - gone_at, 3), round(got - gone_at, 3))
            for p, (sent, got) in gone_box.items()
        },
        "still_on": [p for p in outputs if p not in gone_box],
    }


def print_edge(news: dict) -> None:
    before, after = news["before"], news["after"]
    print(
        f"\nbreaking news through Varnish ({news['paths']} paths, {news['origins']} gunicorns): "
        f"before {before['rps']} req/s (origin {before['origin_rps']}/s), p95 {before['p95_ms']} ms;"
        f" after the publish {after['rps']} req/s (origin {after['origin_rps']}/s), "
        f"p95 {after['p95_ms']} ms; errors {before['errors']} + {after['errors']}"
    )
    latest = max((got for _sent, got in news["visible_after_s"].values()), default=None)
    gone = max((got for _sent, got in news["gone_after_s"].values()), default=None)
    print(f"  visible on every output within {latest} s; gone within {gone} s after withdrawal")
    if news["not_visible_on"] or news["still_on"]:
        print(f"  NOT visible on {news['not_visible_on']}; still on {news['still_on']}")


def drain() -> None:
    """Wait until requests queued by the last run are answered: the next run starts clean."""
    for _ in range(600):
        started = time.perf_counter()
        urllib.request.urlopen(BASE + "/bench/bare/", timeout=60).read()
        if time.perf_counter() - started < 0.02:
            return
        time.sleep(0.1)


def redis_reachable(url: str) -> bool:
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def print_table(report: dict) -> None:
    modes = report["modes"]
    print()
    print(
        f"{'page':<15} {'cache':<6} {'req/s':>8} {'% bare':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'errors':>6} {'alone p50':>9} {'alone p95':>9}"
    )
    for page in next(iter(modes.values()))["pages"]:
        for mode in modes:
            row = modes[mode]["pages"][page]
            loaded, alone = row["loaded"], row["alone"]
            print(
                f"{page:<15} {'on' if mode == 'cache' else 'off':<6} {loaded['rps']:>8.1f} "
                f"{100 * loaded['ratio_to_bare']:>7.1f} {loaded['p50_ms']:>7.1f} "
                f"{loaded['p95_ms']:>7.1f} {loaded['p99_ms']:>7.1f} {loaded['errors']:>6} "
                f"{alone['p50_ms']:>9.1f} {alone['p95_ms']:>9.1f}"
            )
    for mode in modes:
        for page, row in modes[mode]["pages"].items():
            if "ratio_to_bare_api" in row["loaded"]:
                print(
                    f"{page}, cache {'on' if mode == 'cache' else 'off'}: "
                    f"{100 * row['loaded']['ratio_to_bare_api']:.1f} % of the bare API view"
                )
    for mode in modes:
        print(f"workers' RSS after the load, cache {mode}: {modes[mode]['workers_rss_mb']} MB")
    if modes.get("cache", {}).get("mixed"):
        mixed = modes["cache"]["mixed"]
        print(
            f"mixed run ({report['settings']['mixed_seconds']} s, "
            f"{report['settings']['connections']} connections, cache on): {mixed['rps']} req/s, "
            f"{mixed['requests']} requests, {mixed['errors']} errors"
        )
    if report.get("import"):
        imp = report["import"]
        print(
            f"import: {imp['files']} files, new {imp['new']['files_per_second']} files/s, "
            f"unchanged {imp['unchanged']['files_per_second']} files/s ({imp['database']})"
        )


def print_news(news: dict) -> None:
    before, after = news["before"], news["after"]
    print(
        f"\nbreaking news ({news['paths']} paths, cache on): before {before['rps']} req/s, "
        f"p95 {before['p95_ms']} ms; after the publish {after['rps']} req/s "
        f"({news['throughput_after_over_before']:.0%}), p95 {after['p95_ms']} ms "
        f"({news['p95_after_over_before']:.2f}x); errors {before['errors'] + after['errors']}"
    )
    print("  after the commit, (request sent, answer received) in seconds:")
    print(f"  visible: {news['visible_after_s']}; not visible: {news['not_visible_on']}")
    print(f"  withdrawn, gone: {news['gone_after_s']}; still on: {news['still_on']}")
    renders = news.get("renders_per_purge", {})
    print(
        "  renders per purge ("
        + ", ".join(f"{p}: {c['rendered']} of {c['requests']}" for p, c in renders.items())
        + ")"
    )
    print(f"  workers' RSS: {news['workers_rss_mb']} MB")


def add_ratios(report: dict) -> None:
    """Each page's throughput as a share of the bare view's measured beside it (loaded_run)."""
    for mode in report["modes"].values():
        bare_api = mode["pages"].get("bare API view", {}).get("loaded", {}).get("rps")
        for page, row in mode["pages"].items():
            loaded = row["loaded"]
            loaded.setdefault("ratio_to_bare", round(loaded["rps"] / loaded["bare_rps_beside"], 3))
            if bare_api and page.startswith("API"):
                loaded["ratio_to_bare_api"] = round(loaded["rps"] / bare_api, 3)


def run_edge(base_env, data, args, workdir, report) -> None:
    if not shutil.which("varnishd"):
        raise SystemExit("Varnish is not installed: apt-get install varnish varnish-modules")
    report["edge"] = edge_news({**base_env, "DJANGO_PUBLIC_CACHE": "true"}, data, args, workdir)
    print_edge(report["edge"])
    print(f"\nwritten to {write_json('serve-edge.json', report)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds per page and mode")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--mixed-seconds", type=int, default=60)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cica_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--import-files", type=int, default=1000)
    parser.add_argument("--news-seconds", type=int, default=10, help="each side of the publish")
    parser.add_argument(
        "--breaking-news-only", action="store_true", help="only the publish-under-load run"
    )
    parser.add_argument(
        "--edge",
        action="store_true",
        help="only the breaking-news run through Varnish in front of two gunicorns",
    )
    parser.add_argument(
        "--uncached-only",
        action="store_true",
        help="only the pages with the public cache off (the cold path's ratios to the bare view)",
    )
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="only the pages with the public cache on (the cached pages' ratios to the bare view)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "gunicorn.log").write_text("")
    ensure_database(args.database_url)
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": args.database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "benchmark-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "API_ANON_RATE": "100000000/second",  # measure the API, not the throttle's refusals
    }
    data = prepare_data(base_env, args.releases)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env=base_env)
    page_paths = pages(data)

    use_redis = redis_reachable(args.redis_url)
    if use_redis:
        base_env["REDIS_URL"] = args.redis_url
    workdir = Path(tempfile.mkdtemp(prefix="cica-serve-bench-"))
    report = {
        "settings": {
            "releases": data["releases"],
            "public_releases": data["public_releases"],
            "connections": args.connections,
            "seconds_per_page": args.duration,
            "mixed_seconds": args.mixed_seconds,
            "cache_backend": "redis" if use_redis else "local memory",
            "workers": int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() * 2 + 1)),
            "cores": os.cpu_count(),
        },
        "modes": {},
    }
    print(f"{data['releases']} releases ({data['public_releases']} public); {report['settings']}")
    if use_redis:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
    if args.uncached_only or args.cached_only:
        mode, public_cache = ("nocache", "false") if args.uncached_only else ("cache", "true")
        report["modes"][mode] = measure_mode(
            mode, {**base_env, "DJANGO_PUBLIC_CACHE": public_cache}, page_paths, args, workdir
        )
        add_ratios(report)
        written = write_json(f"serve-{mode}.json", report)
        print_table(report)
        print(f"\nwritten to {written}")
        return
    if args.edge:
        return run_edge(base_env, data, args, workdir, report)
    news = breaking_news({**base_env, "DJANGO_PUBLIC_CACHE": "true"}, data, args, workdir)
    report["breaking_news"] = news
    print_news(news)
    if args.breaking_news_only:
        print(f"\nwritten to {write_json('serve-news.json', report)}")
        return
    for mode, public_cache in (("nocache", "false"), ("cache", "true")):
        if use_redis:
            import redis

            redis.Redis.from_url(args.redis_url).flushdb()
        env = {**base_env, "DJANGO_PUBLIC_CACHE": public_cache}
        report["modes"][mode] = measure_mode(mode, env, page_paths, args, workdir)

    if args.import_files:
        import_db = args.database_url.rsplit("/", 1)[0] + "/cica_bench_import"
        ensure_database(import_db)
        run(
            [
                PYTHON,
                "bench/import_bench.py",
                "--files",
                str(args.import_files),
                "--database-url",
                import_db,
            ],
            env={**os.environ, "DJANGO_LOG_LEVEL": "WARNING"},
        )
        report["import"] = json.loads((RESULTS / "import.json").read_text())

    print_news(news)
    add_ratios(report)
    written = write_json("serve.json", report)
    print_table(report)
    print(f"\nwritten to {written}")


if __name__ == "__main__":
    main()
