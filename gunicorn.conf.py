"""gunicorn settings for `make serve` and production; each can be overridden from the environment."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound. Not too often:
# serving cached pages to breaking-news traffic (about 300 requests a second a worker), 5,000
# requests recycled one of five workers every 4 s.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# Load the app once in the master; workers share its memory pages.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_fork(server, worker):
    # What the master loaded (Django and the app) lives as long as the workers: frozen before
    # each fork, the workers' collections never walk it, and the memory pages stay shared
    # (Python's advice for a server that forks without exec: the `gc.freeze()` documentation).
    gc.freeze()
