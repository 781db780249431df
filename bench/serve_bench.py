"""Serving benchmark: gunicorn on PostgreSQL with N releases, loaded by wrk over loopback.

Usage (PostgreSQL and wrk needed: `apt-get install wrk`):

    .venv/bin/python bench/serve_bench.py [--releases 100000] [--duration 20]
        [--database-url postgres://postgres@127.0.0.1:5432/cica_bench]
        [--redis-url redis://127.0.0.1:6379/5] [--connections 64] [--import-files 1000]

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
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results"
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
        "API list": ["/api/v1/releases/"],
        "API detail": [f"/api/v1/releases/{s}/" for s in slugs],
    }


class Server:
    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
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
                with urllib.request.urlopen(BASE + "/healthz", timeout=2) as response:
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


def measure_mode(name, env, page_paths, args, workdir) -> dict:
    log = RESULTS / "gunicorn.log"
    results = {}
    with Server(env, log) as server:
        for page, paths in page_paths.items():
            for path in paths[:50]:  # warm up: the first request of each path, workers' imports
                urllib.request.urlopen(BASE + path, timeout=30).read()
            drain()
            loaded = wrk(
                paths, connections=args.connections, seconds=args.duration, workdir=workdir
            )
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
    bare = {m: modes[m]["pages"]["bare view"]["loaded"]["rps"] for m in modes}
    print()
    print(
        f"{'page':<15} {'cache':<6} {'req/s':>8} {'x bare':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'errors':>6} {'alone p50':>9} {'alone p95':>9}"
    )
    for page in modes["nocache"]["pages"]:
        for mode in modes:
            row = modes[mode]["pages"][page]
            loaded, alone = row["loaded"], row["alone"]
            print(
                f"{page:<15} {'on' if mode == 'cache' else 'off':<6} {loaded['rps']:>8.1f} "
                f"{loaded['rps'] / bare[mode]:>7.2f} {loaded['p50_ms']:>7.1f} "
                f"{loaded['p95_ms']:>7.1f} {loaded['p99_ms']:>7.1f} {loaded['errors']:>6} "
                f"{alone['p50_ms']:>9.1f} {alone['p95_ms']:>9.1f}"
            )
    for mode in modes:
        print(f"workers' RSS after the load, cache {mode}: {modes[mode]['workers_rss_mb']} MB")
    if modes["cache"]["mixed"]:
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=20, help="seconds per page and mode")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--mixed-seconds", type=int, default=60)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cica_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--import-files", type=int, default=1000)
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

    bare = {m: report["modes"][m]["pages"]["bare view"]["loaded"]["rps"] for m in report["modes"]}
    for mode in report["modes"]:
        for row in report["modes"][mode]["pages"].values():
            row["loaded"]["ratio_to_bare"] = round(row["loaded"]["rps"] / bare[mode], 3)
    (RESULTS / "serve.json").write_text(json.dumps(report, indent=2))
    print_table(report)
    print(f"\nwritten to {RESULTS / 'serve.json'}")


if __name__ == "__main__":
    main()
