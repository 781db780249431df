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
# Recycle workers now and then so a slow leak can never grow without bound. Not too often: a
# new worker opens its database connection and compiles its statements again, and serving
# cached pages to breaking-news traffic (about 300 requests a second a worker), 5,000 requests
# recycled one of five workers every 4 s (the after-publish throughput 91% of the before at
# 5,000, 94% at 50,000, two runs each).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# Load the app once in the master; workers share its memory pages.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


# What the master loads (Django, the app, its compiled statements and templates) lives as long as
# the workers do. Python's advice for a server that forks without exec: no collections in the
# master, freeze what it holds right before each fork, collect again in the worker. The frozen
# objects are then never walked by a worker's collections (in process, the API list's requests
# spent 4.4 ms each collecting, 1.5 ms once frozen), and workers stay smaller (96 MB, not 100).
gc.disable()


def pre_fork(server, worker):
    gc.freeze()


def post_fork(server, worker):
    gc.enable()
    _freezing["full collections"] = gc.get_stats()[2]["collections"]


# A worker, too, makes on its first requests what lasts as long as it does (compiled statements
# and templates, page addresses, the API's serializer fields), and each full collection walked it
# all again: about one request in fifty, 40 ms each on the API's release list, a tenth of that
# page's time on average and a stall for whoever waited. Once a full collection has run, what
# outlived it has lasted: after the request in which it ran (its answer sent), the young
# generations are collected (a millisecond or two; that request's garbage is not kept) and the
# rest is frozen. For a worker's first FREEZES full collections; by then its pages have made what
# they keep, and what it makes later is left to the collector.
FREEZES = 3
_freezing = {"left": FREEZES, "full collections": 0}


def post_request(worker, req, environ, resp):
    if not _freezing["left"]:
        return
    full = gc.get_stats()[2]["collections"]
    if full != _freezing["full collections"]:
        _freezing["full collections"] = full
        _freezing["left"] -= 1
        gc.collect(1)
        gc.freeze()
