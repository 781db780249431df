"""Alert delivery: N subscribers, one release published, every mail handed to a local SMTP sink.

Usage: .venv/bin/python bench/alerts_bench.py [--subscribers 10000] [--database-url URL]

A fresh SQLite file by default (or the database URL given, migrated and emptied of alerts).
Prints and writes to bench/results/alerts.json:
- the publish action's response time in the admin (approve and publish, through the form)
  with 0, 1,000 and N subscribers: it queues one task and must not grow with them;
- the worker (`db_worker --batch`, in this process) from start until the sink has received
  the last mail: seconds, messages per second, and the worker's peak memory (max RSS).
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class CountingSink:
    """Counts what it receives into shared memory: it runs in a process of its own, as a mail
    relay would, so it does not take the worker's interpreter lock."""

    def __init__(self, count, last_at):
        self.count, self.last_at = count, last_at

    async def handle_DATA(self, server, session, envelope):
        with self.count.get_lock():
            self.count.value += 1
            self.last_at.value = time.time()
        return "250 OK"


def run_sink(port, count, last_at, stop):
    from aiosmtpd.controller import Controller

    controller = Controller(CountingSink(count, last_at), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", action="store_true", help="cProfile the worker's run")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="cica-alerts-bench-")
    import multiprocessing
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    count, last_at = multiprocessing.Value("i", 0), multiprocessing.Value("d", 0.0)
    stop = multiprocessing.Event()
    sink = multiprocessing.Process(target=run_sink, args=(port, count, last_at, stop))
    sink.start()
    for _ in range(100):  # until it answers
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    os.environ.update(
        {
            "DATABASE_URL": args.database_url or f"sqlite:///{folder}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "cica_portal.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "benchmark-only-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_LOG_LEVEL": "WARNING",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "EMAIL_USE_TLS": "false",
            "PUBLIC_BASE_URL": "https://press.example.org",
        }
    )
    import django

    django.setup()
    from django.conf import settings

    # Admin pages without a collectstatic manifest (this measures the publish, not the CSS).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from alerts.models import Delivery, Subscriber
    from editorial.models import Status
    from releases.models import Release
    from tests.workspace import form_data  # the change form as a browser posts it

    call_command("migrate", verbosity=0)
    Subscriber.objects.all().delete()
    DBTaskResult.objects.all().delete()
    User = get_user_model()
    User.objects.filter(username="bench-publisher").delete()
    User.objects.create_superuser("bench-publisher", "b@example.org", "x" * 20)
    client = Client()
    client.force_login(User.objects.get(username="bench-publisher"))

    def add_subscribers(total):
        have = Subscriber.objects.count()
        now = timezone.now()
        Subscriber.objects.bulk_create(
            [
                Subscriber(
                    email=f"reader{n}@example.org",
                    status=Subscriber.Status.ACTIVE,
                    confirmed_at=now,
                    language="ru" if n % 3 == 0 else "en",
                )
                for n in range(have, total)
            ],
            batch_size=2000,
        )

    def publish_time(n):
        """Median of 5 publishes through the admin form's Approve-and-publish button."""
        times = []
        for i in range(5):
            release = Release.objects.create(
                title=f"Bench release {n}-{i}",
                slug=f"bench-release-{n}-{i}-{time.time_ns()}",
                status=Status.DRAFT,
                date=timezone.localdate(),
                body="The text.",
            )
            data = form_data(release, force_reason="Benchmark: published by its author.")
            data["_transition"] = "published"
            started = time.perf_counter()
            response = client.post(f"/admin/releases/release/{release.pk}/change/", data)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.content[:2000]
            assert Release.objects.get(pk=release.pk).status == Status.PUBLISHED
        return statistics.median(times)

    results = {"subscribers": args.subscribers, "publish_ms": {}}
    for n in (0, 1000, args.subscribers):
        add_subscribers(n)
        results["publish_ms"][n] = round(publish_time(n), 1)
        print(f"publish action with {n:>6} subscribers: {results['publish_ms'][n]:7.1f} ms median")
    # Only the last release is the one measured: the earlier ones' mail is dropped.
    DBTaskResult.objects.all().delete()
    last = Release.objects.filter(status=Status.PUBLISHED).order_by("-pk").first()
    from alerts.tasks import announce_release

    announce_release.enqueue(last.pk, last.publish_at.isoformat())
    count.value = 0
    started = time.time()
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    call_command("db_worker", batch=True, startup_delay=False, interval=0, verbosity=0)
    ended = time.time()
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    deadline = time.time() + 30
    while count.value < args.subscribers and time.time() < deadline:
        time.sleep(0.05)
    seconds = (last_at.value or ended) - started
    sent = Delivery.objects.filter(status=Delivery.Status.SENT).count()
    results.update(
        {
            "messages_received": count.value,
            "deliveries_sent": sent,
            "seconds_to_last_mail": round(seconds, 2),
            "messages_per_second": round(count.value / seconds, 1) if seconds else None,
            "worker_max_rss_mb": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
            ),
            "database": "postgresql" if args.database_url.startswith("postgres") else "sqlite",
        }
    )
    print(
        f"{count.value} mails received ({sent} deliveries marked sent) in "
        f"{results['seconds_to_last_mail']} s: {results['messages_per_second']} messages/s; "
        f"worker max RSS {results['worker_max_rss_mb']} MB"
    )
    stop.set()
    sink.join()
    from report import write_json  # bench/, the script's own folder

    write_json("alerts.json", results)


if __name__ == "__main__":
    main()
