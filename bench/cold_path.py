"""The cold path, in process: each page's server time with the public cache off.

Usage (the database filled by serve_bench.py or `generate_demo_data`):

    .venv/bin/python bench/cold_path.py [--database-url postgres://postgres@127.0.0.1:5432/cica_bench]
        [--runs 10] [--profile "release list"]

Each page is requested through Django's test client (the whole middleware stack, no network)
`--runs` times after `--warm-up` requests (default 10, as bench/ab.py does: a gunicorn worker
that has served a few requests, its queries prepared by psycopg from their fifth run and
PostgreSQL's plans for them settled). The table gives the median and the worst time in ms and the number of SQL
queries, and is written to bench/results/cold_path.json. The public page cache is
off; what many pages share until content changes (a list's filter options and count, the API's
Last-Modified: `core.caching.memoized`) is kept as in production, so the table also gives each
page's median right *after a change* (every such value purged before each request, as a
publish purges them): the first request after a publish pays that. `--profile PAGE` prints
where that page's time goes (cProfile, the 25 costliest functions by cumulative time).
"""

import argparse
import cProfile
import os
import pstats
import runpy
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url: str) -> None:
    """Django with the production settings on `database_url`, the public page cache off."""
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_PUBLIC_CACHE": "false",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "benchmark-only-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_LOG_LEVEL": "WARNING",
            "API_ANON_RATE": "100000000/second",
        }
    )
    import django

    # As in a gunicorn worker, by gunicorn.conf.py's own hook: what loading made is frozen
    # before the fork.
    worker = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest pages name
    worker["pre_fork"](None, None)


def machine_yardstick(runs: int = 15) -> float:
    """The median time of a fixed piece of plain Python work (objects made, sorted, formatted,
    encoded as JSON, matched): machines here differ by up to twice in speed from one session
    to the next, and a table is read against its machine's figure."""
    import json
    import re

    word = re.compile(r"[a-z]+-(\d+)")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        rows = [
            {"slug": f"release-{n * 7919 % 10007}", "n": n, "tags": [n % 7, n % 11]}
            for n in range(5_000)
        ]
        rows.sort(key=lambda row: row["slug"])
        text = json.dumps(rows)
        sum(int(found) for found in word.findall(text))
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def bench_pages() -> dict[str, str]:
    """The pages measured, by name: one of each kind, on the newest public items."""
    from django.db.models import Count

    from contacts.models import Organisation, Person
    from releases.models import Event, Release

    release = Release.objects.public().filter(language="en").order_by("-publish_at").first()
    event = Event.objects.public().filter(language="en").order_by("-publish_at").first()
    mention = release.mentions.select_related("person").first()
    # The long tail: the person and the organisation public releases name least often.
    rare_person = Person.objects.public().annotate(n=Count("mentions")).order_by("n").first()
    rare_org = Organisation.objects.public().annotate(n=Count("releases")).order_by("n").first()
    return {
        "bare view": "/bench/bare/",
        "home": "/",
        "release list": "/press-releases/",
        "release list, filter": "/press-releases/?kind=statement",
        "release detail": release.get_absolute_url(),
        "API release list": "/api/v1/releases/",
        "API release detail": f"/api/v1/releases/{release.slug}/",
        "events list": "/events/",
        "event detail": event.get_absolute_url() if event else "/events/",
        "people": "/people/",
        "person": mention.person.get_absolute_url() if mention else "/people/",
        "rarely named person": rare_person.get_absolute_url() if rare_person else "/people/",
        "rarely named org": rare_org.get_absolute_url() if rare_org else "/",
        "search, common word": "/search/?q=Secretariat",
        "search, rare word": "/search/?q=Tashkent",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cica_bench")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warm-up", type=int, default=10, help="requests before the timed runs")
    parser.add_argument("--profile", default="")
    parser.add_argument("--sort", default="tottime", help="cProfile order: tottime or cumulative")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", default="", help="print that page's queries with their times")
    args = parser.parse_args()

    yardstick = machine_yardstick()
    print(f"{'machine yardstick':<22} {yardstick:>7.1f} ms (the same Python work on every machine)")
    setup(args.database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.caching import EVERYTHING, purge

    pages = bench_pages()
    client = Client()
    results = {}
    for name, url in pages.items():
        for _ in range(max(1, args.warm_up)):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured)
        if name == args.sql:
            for query in captured.captured_queries:
                print(f"  {float(query['time']) * 1000:6.2f} ms  {query['sql'][:600]}")
        times = []
        for _ in range(args.runs):  # timed without the query log, which costs time of its own
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        after_change = []
        for _ in range(args.runs):
            purge({EVERYTHING})  # what any visible change purges
            started = time.perf_counter()
            client.get(url)
            after_change.append((time.perf_counter() - started) * 1000)
        results[name] = {
            "url": url,
            "median_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1),
            "after_change_median_ms": round(statistics.median(after_change), 1),
            "queries": queries,
            "bytes": len(response.content),
        }
        print(
            f"{name:<22} {results[name]['median_ms']:>7.1f} ms median {results[name]['max_ms']:>7.1f}"
            f" max {results[name]['after_change_median_ms']:>7.1f} after a change"
            f" {queries:>3} queries {results[name]['bytes']:>8} bytes",
            flush=True,
        )
    from report import write_json  # bench/, the script's own folder

    write_json("cold_path.json", {"machine yardstick ms": yardstick, **results})
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            client.get(pages[args.profile])
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
