"""A Redis cache whose loss slows the site but never stops it.

When Redis does not answer, every call goes to this process's own memory instead (the cache
named by the FALLBACK option, a LocMemCache), each entry kept there at most LOCAL_SECONDS: pages,
API rows and shared values are still reused within a process, and no process can show what
another changed (a withdrawal, a correction) for longer than that, since the purges that
tell every process of a change go through Redis. A process's own changes purge its memory at
once. One warning is logged per outage, and Redis is not asked again for `retry_seconds` (so
a dead server costs one short connect timeout, not one per call); after that the next call
tries it again.

On its return, before anything is read from it, a new content version is started: what it
holds from before the outage was not purged of the changes made meanwhile (a network blip
loses nothing on the server, but a withdrawal made during it purged nothing there).
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ResilientRedisCache(RedisCache):
    """django.core.cache.backends.redis.RedisCache that falls back to local memory instead of
    raising. OPTIONS: RETRY_SECONDS (5), FALLBACK (the alias of a local cache, "fallback"),
    LOCAL_SECONDS (1)."""

    def __init__(self, server, params):
        options = params.get("OPTIONS", {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        self.fallback_alias = options.pop("FALLBACK", "fallback")
        self.local_seconds = float(options.pop("LOCAL_SECONDS", 1))
        # Fail fast: a cache that takes seconds to time out is worse than none.
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._down_until = 0.0
        self._returning = False  # an outage was seen: start a new version on return
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        """False while a recent failure keeps Redis out of the way."""
        return time.monotonic() >= self._down_until

    @property
    def local(self):
        return caches[self.fallback_alias]

    def note_failure(self, error: Exception) -> None:
        with self._lock:
            was_up = self.available
            self._down_until = time.monotonic() + self.retry_seconds
            self._returning = True
        if was_up:
            logger.warning(
                "cache server unavailable (%s): serving from each process's memory, "
                "retrying in %ss",
                error,
                self.retry_seconds,
            )

    def _local_timeout(self, timeout):
        if timeout is DEFAULT_TIMEOUT or timeout is None:
            return self.local_seconds
        return min(timeout, self.local_seconds)

    def _call(self, name, *args, **kwargs):
        """Redis's `name`, else the local cache's (the same arguments, `timeout` bounded)."""
        if self.available:
            try:
                if self._returning:
                    self._start_anew()
                return getattr(super(), name)(*args, **kwargs)
            except (RedisError, OSError) as error:
                self.note_failure(error)
        if "timeout" in kwargs:
            kwargs["timeout"] = self._local_timeout(kwargs["timeout"])
        return getattr(self.local, name)(*args, **kwargs)

    def _start_anew(self) -> None:
        from .tags import VERSION_KEY

        super().delete(VERSION_KEY)
        self._returning = False
        logger.warning("cache server back: a new content version is started")

    def get(self, key, default=None, version=None):
        return self._call("get", key, default=default, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        return self._call("clear")

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def ping(self) -> bool:
        """Whether Redis answers now (for /healthz); a success ends a pause early."""
        try:
            super().has_key("healthz")  # RedisCache's own call: an error is not swallowed
        except (RedisError, OSError) as error:
            self.note_failure(error)
            return False
        self._down_until = 0.0
        return True


_counters = threading.local()


def _counter_client():
    """A redis-py client of our own for counters, on the cache's Redis (one per thread); None
    when the cache is not Redis. Django's cache API counts in two round trips (EXISTS, then
    INCRBY), and a counter needs neither its pickling nor its key versions."""
    from django.conf import settings

    if not isinstance(caches["default"], ResilientRedisCache):
        return None
    url = settings.CACHES["default"]["LOCATION"]
    if getattr(_counters, "url", None) != url:
        import redis

        _counters.client = redis.Redis.from_url(
            url, socket_connect_timeout=0.25, socket_timeout=0.5
        )
        _counters.url = url
    return _counters.client


def count(key: str, seconds: int) -> int:
    """Add one to the counter `key`, which lives `seconds` from its first count; its new value.
    On Redis one round trip (SET NX with the expiry, then INCR, pipelined: each command atomic,
    on any Redis version); while Redis is away, or with another cache, the cache's counting."""
    cache = caches["default"]
    client = _counter_client()
    if client is not None and cache.available:
        name = f"cica:count:{key}"
        try:
            pipe = client.pipeline(transaction=False)
            pipe.set(name, 0, ex=seconds, nx=True)
            pipe.incr(name)
            return pipe.execute()[1]
        except (RedisError, OSError) as error:
            cache.note_failure(error)  # the cache keeps away from Redis too
    try:
        return cache.incr(key)
    except ValueError:  # the window's first count (or the counter was evicted)
        if cache.add(key, 1, seconds):
            return 1
        return cache.incr(key)  # another request made it meanwhile
