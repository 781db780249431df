"""Search on the cold path: /search/?q= for 100 terms, from the most common words of the data
to rare ones, 20 of them Russian words in two grammatical forms each (/ru/search/), public
cache off, in process (PostgreSQL, the data of serve_bench/generate_demo_data).

Usage: .venv/bin/python bench/search_bench.py [--database-url postgres://postgres@127.0.0.1:5432/cica_bench] [--runs 3]

The terms (ts_stat over the search column, once): every word of the vocabulary (the demo data
has few, most of them in most releases), pairs of the commonest, then rare terms spread over
the rest, 100 in all. Prints the median and p95 over
the terms (each term's time is its median of --runs, after one warm-up), the ten slowest, and
PostgreSQL's plan (EXPLAIN ANALYZE) of every query the worst term runs; writes
bench/results/search.json.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cica_bench")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--whole",
        action="store_true",
        help="Rank every match, as before the newest-first window (for comparison).",
    )
    args = parser.parse_args()
    # As a gunicorn worker runs, with the public cache off (cold_path.py's set-up).
    sys.path.insert(0, str(ROOT / "bench"))
    from cold_path import setup

    setup(args.database_url)
    from django.db import connection
    from django.test import Client

    if args.whole:
        from editorial.models import PublishableQuerySet

        PublishableQuerySet.search_top = lambda self, query, limit: list(self.search(query)[:limit])
    from django.test.utils import CaptureQueriesContext

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat($$SELECT search_vector FROM releases_release "
            "WHERE language = 'en' AND status = 'published'$$) ORDER BY ndoc DESC, word"
        )
        vocabulary = cursor.fetchall()
    words = [(w, n) for w, n in vocabulary if w.isalpha() and len(w) > 2]
    others = [(w, n) for w, n in vocabulary if not (w.isalpha() and len(w) > 2)]
    # Every word (the demo data's vocabulary is small: most are in most releases), pairs of
    # the most common ones, then rare terms (numbers, names) spread over the rest.
    pairs = [
        (f"{a} {b}", min(na, nb))
        for (a, na), (b, nb) in zip(words[:15], words[15:30], strict=False)
    ]
    wanted = 80 - len(words[:50]) - len(pairs)
    step = max(1, len(others) // max(1, wanted))
    terms = [("", w, n) for w, n in words[:50] + pairs + others[::step][:wanted]]
    # Russian, in several grammatical forms: the words as written in the Russian releases
    # (the vector's names part), and each with another case ending.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat($$SELECT search_vector FROM releases_release "
            "WHERE language = 'ru' AND status = 'published'$$) ORDER BY ndoc DESC, word"
        )
        russian = [(w, n) for w, n in cursor.fetchall() if w.isalpha() and len(w) > 5][:10]
    for word, ndoc in russian:
        terms += [("/ru", word, ndoc), ("/ru", word[:-1] + ("и" if word[-1] != "и" else "ы"), ndoc)]
    client = Client()
    timings = {}
    for prefix, word, ndoc in terms:
        url = f"{prefix}/search/?q={word.replace(' ', '+')}"
        assert client.get(url).status_code == 200
        spent = []
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get(url)
            spent.append((time.perf_counter() - started) * 1000)
        timings[f"{prefix} {word}".strip()] = (statistics.median(spent), ndoc)
    values = sorted(t for t, _ in timings.values())
    median = statistics.median(values)
    p95 = values[int(len(values) * 0.95) - 1]
    print(
        f"{len(terms)} terms: median {median:.1f} ms, p95 {p95:.1f} ms, worst {values[-1]:.1f} ms"
    )
    slowest = sorted(timings.items(), key=lambda kv: -kv[1][0])[:10]
    for word, (ms, ndoc) in slowest:
        print(f"  {word:<20} {ms:7.1f} ms  (in {ndoc:,} releases)")
    worst = slowest[0][0]
    words_of_worst = worst.removeprefix("/ru ")
    with CaptureQueriesContext(connection) as captured:
        client.get(
            f"{'/ru' if worst.startswith('/ru ') else ''}/search/?q={words_of_worst.replace(' ', '+')}"
        )
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if "search_vector" not in sql:
                continue
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            plans.append(plan)
            print(f"\nEXPLAIN ANALYZE for “{worst}”:\n{plan}")
    from report import write_json  # bench/, the script's own folder

    write_json(
        "search-whole.json" if args.whole else "search.json",
        {
            "terms": len(terms),
            "median_ms": round(median, 1),
            "p95_ms": round(p95, 1),
            "worst_ms": round(values[-1], 1),
            "slowest": {w: {"ms": round(ms, 1), "releases": n} for w, (ms, n) in slowest},
            "worst_plans": plans,
        },
    )


if __name__ == "__main__":
    main()
