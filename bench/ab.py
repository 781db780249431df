"""Two checkouts' cold path compared on one machine at the same moments: A and B take turns.

Usage (a second checkout of another commit beside this one, with the same .venv):

    git worktree add /tmp/before HEAD~1 && ln -s "$PWD/.venv" /tmp/before/.venv
    .venv/bin/python bench/ab.py --a /tmp/before --b . [--runs 300] [--pages "home,release detail"]

The machines here vary by up to twice in speed from one minute to the next (a shared host), so
two runs of `cold_path.py` one after the other cannot tell a change of half a millisecond from
that drift. This starts one process per checkout (each its own code, both on the same
database, with cold_path.py's settings: the public cache off), then asks them for each page in
turn, A then B then A..., so that what the machine does meanwhile weighs on both alike. It
prints each page's median and tenth percentile for A and B and B's median as a share of A's.

`--latency-ms 0.1` puts a relay in front of the database that holds each message at least
that long each way, as a database on another host does (loopback's round trip is a few
tens of microseconds): for changes that save round trips rather than work. The round trip the
relay gives, measured, is printed (a thread's sleep overshoots by some tens of microseconds).
"""

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

WORKER = r"""
import json, sys, time
sys.path.insert(0, "bench")
from cold_path import bench_pages, setup
setup(sys.argv[1])
from django.test import Client
pages, client = bench_pages(), Client()
print(json.dumps(list(pages)), flush=True)
for line in sys.stdin:
    url = pages[line.strip()]
    started = time.perf_counter()
    response = client.get(url)
    took = (time.perf_counter() - started) * 1000
    print(json.dumps([took, response.status_code]), flush=True)
"""


RELAY = r"""
import socket, sys, threading, time
delay, target_port = float(sys.argv[1]) / 1000, int(sys.argv[2])

def pipe(source, sink):
    try:
        while data := source.recv(65536):
            time.sleep(delay)  # a thread's sleep: finer than an event loop's millisecond timers
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

listener = socket.create_server(("127.0.0.1", 0))
print(listener.getsockname()[1], flush=True)
while True:
    client, _ = listener.accept()
    server = socket.create_connection(("127.0.0.1", target_port))
    for end in (client, server):
        end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    threading.Thread(target=pipe, args=(client, server), daemon=True).start()
    threading.Thread(target=pipe, args=(server, client), daemon=True).start()
"""


def relayed(database_url: str, latency_ms: float):
    """A relay process delaying each message to and from the database's port, and the URL
    that goes through it."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(database_url)
    relay = subprocess.Popen(
        [sys.executable, "-c", RELAY, str(latency_ms), str(parts.port or 5432)],
        stdout=subprocess.PIPE,
        text=True,
    )
    port = int(relay.stdout.readline())
    netloc = f"{parts.username}@" if parts.username else ""
    return relay, urlunsplit(parts._replace(netloc=f"{netloc}127.0.0.1:{port}"))


def round_trip(database_url: str) -> float:
    """The median time of `SELECT 1` on `database_url`, in ms."""
    import time

    import psycopg

    with psycopg.connect(database_url) as connection:
        times = []
        for _ in range(50):
            started = time.perf_counter()
            connection.execute("SELECT 1").fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


class Worker:
    def __init__(self, checkout: Path, database_url: str):
        self.process = subprocess.Popen(
            [str(checkout / ".venv" / "bin" / "python"), "-c", WORKER, database_url],
            cwd=checkout,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.pages = json.loads(self.process.stdout.readline())

    def get(self, page: str) -> float:
        self.process.stdin.write(page + "\n")
        self.process.stdin.flush()
        took, status = json.loads(self.process.stdout.readline())
        if status != 200:
            raise SystemExit(f"{page}: status {status}")
        return took

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def chosen(asked: str, known: list[str]) -> list[str]:
    """The pages named in `asked`, by commas; a name may hold a comma itself ("release list,
    filter")."""
    parts, names = [part.strip() for part in asked.split(",") if part.strip()], []
    while parts:
        for n in range(len(parts), 0, -1):
            if ", ".join(parts[:n]) in known:
                names.append(", ".join(parts[:n]))
                del parts[:n]
                break
        else:
            raise SystemExit(f"no page {parts[0]!r} in both checkouts: {'; '.join(known)}")
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", type=Path, required=True, help="the checkout measured first")
    parser.add_argument("--b", type=Path, required=True)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cica_bench")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--pages", default="", help="page names (cold_path.py's), by commas")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added each way")
    args = parser.parse_args()

    relay, url = None, args.database_url
    if args.latency_ms:
        relay, url = relayed(args.database_url, args.latency_ms)
        direct, through = round_trip(args.database_url), round_trip(url)
        print(f"a round trip to the database: {direct:.2f} ms direct, {through:.2f} ms relayed")
    a, b = Worker(args.a.resolve(), url), Worker(args.b.resolve(), url)
    known = [page for page in a.pages if page in b.pages]  # an older checkout may lack some
    pages = chosen(args.pages, known) if args.pages.strip() else known
    print(f"{'page':<22} {'A median':>9} {'A p10':>7} {'B median':>9} {'B p10':>7} {'B/A':>6}")
    for page in pages:
        times = {"a": [], "b": []}
        for _ in range(10):  # warm-up: each process compiles its statements, fills its caches
            a.get(page), b.get(page)
        for run in range(args.runs):
            first, second = (("a", a), ("b", b)) if run % 2 == 0 else (("b", b), ("a", a))
            for name, worker in (first, second):
                times[name].append(worker.get(page))
        med = {name: statistics.median(t) for name, t in times.items()}
        p10 = {name: sorted(t)[len(t) // 10] for name, t in times.items()}
        print(
            f"{page:<22} {med['a']:>9.2f} {p10['a']:>7.2f} {med['b']:>9.2f} {p10['b']:>7.2f}"
            f" {med['b'] / med['a']:>6.2f}",
            flush=True,
        )
    a.close()
    b.close()
    if relay:
        relay.terminate()


if __name__ == "__main__":
    sys.exit(main())
