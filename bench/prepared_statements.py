"""Prepared statements on and off, each page's cold-path time measured in turn in one process.

Usage (the database filled by serve_bench.py or `generate_demo_data`):

    .venv/bin/python bench/prepared_statements.py [--database-url postgres://...] [--runs 30]

The portal asks psycopg for server-side binding and prepared statements on PostgreSQL
(`DATABASE_PREPARED_STATEMENTS`, on by default): a statement a connection has run five times is
prepared, and PostgreSQL no longer plans it on each request. Two connections to the same
database, one as the setting makes it and one with plain client-side binding, serve the pages
of bench/cold_path.py (public page cache off), and searches for a different rare word at
each request (numbers found once or twice in the demo data's titles), alternately, request by request, so that this
machine's changes of speed fall on both alike; the table gives each page's median in ms with
each connection and the difference, and is written to bench/results/prepared_statements.json.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cold_path import bench_pages, setup  # noqa: E402 (after the path is set)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cica_bench")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", default="", help="measure only the pages whose name has this")
    args = parser.parse_args()
    setup(args.database_url)

    from django.db import connections
    from django.test import Client

    prepared = connections["default"]
    if not prepared.settings_dict.get("OPTIONS", {}).get("prepare_threshold"):
        sys.exit("Prepared statements are off (DATABASE_PREPARED_STATEMENTS): nothing to compare.")
    settings = {**prepared.settings_dict, "OPTIONS": {}}
    plain = prepared.__class__(settings, alias="default")
    modes = {"prepared": prepared, "plain": plain}

    pages = {name: url for name, url in bench_pages().items() if name != "bare view"}
    # A word search is planned for its words (core.database): a new rare word each request.
    pages["search, new rare word"] = "/search/?q={n}"
    pages["release list, new word"] = "/press-releases/?q={n}"
    pages = {name: url for name, url in pages.items() if args.only in name}
    client = Client()
    results = {}
    print(f"{'page':<22} {'prepared':>9} {'plain':>9} {'saved':>7}")
    for name, url in pages.items():
        times = {mode: [] for mode in modes}
        for run in range(args.runs + 6):  # six first: a statement is prepared on its fifth run
            for index, (mode, connection) in enumerate(modes.items()):
                connections["default"] = connection
                started = time.perf_counter()
                # A word of its own for each request: a list's count is shared (memoized).
                response = client.get(url.format(n=1000 + 2 * run + index))
                times[mode].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
        medians = {mode: round(statistics.median(values[6:]), 1) for mode, values in times.items()}
        saved = round(100 * (1 - medians["prepared"] / medians["plain"]))
        results[name] = {"url": url, **{f"{m}_median_ms": v for m, v in medians.items()}}
        results[name]["saved_percent"] = saved
        print(f"{name:<22} {medians['prepared']:>9.1f} {medians['plain']:>9.1f} {saved:>6}%")
    connections["default"] = prepared
    plain.close()
    from report import write_json  # bench/, the script's own folder

    write_json("prepared_statements.json", results)


if __name__ == "__main__":
    main()
