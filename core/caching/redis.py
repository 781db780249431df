"""A Redis cache whose loss slows the site but never stops it.

When Redis does not answer, every cache call returns what a miss returns (None, the default,
False, nothing stored): pages and API answers are rendered uncached, throttles do not count,
the importer and the admin go on. One warning is logged per outage, and Redis is not asked
again for `retry_seconds` (so a dead server costs one short connect timeout, not one per call);
after that the next call tries it again, and the site picks it up as soon as it answers.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What each call returns while Redis is away: the same as a miss.
_MISS = {
    "get": lambda args, kwargs: kwargs.get("default", args[1] if len(args) > 1 else None),
    "get_many": lambda args, kwargs: {},
    "has_key": lambda args, kwargs: False,
    "add": lambda args, kwargs: False,
    "set": lambda args, kwargs: None,
    "set_many": lambda args, kwargs: list(args[0]) if args else [],
    "delete": lambda args, kwargs: False,
    "delete_many": lambda args, kwargs: None,
    "touch": lambda args, kwargs: False,
    "clear": lambda args, kwargs: None,
}


class ResilientRedisCache(RedisCache):
    """django.core.cache.backends.redis.RedisCache that degrades instead of raising."""

    def __init__(self, server, params):
        options = params.get("OPTIONS", {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        # Fail fast: a cache that takes seconds to time out is worse than none.
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        """False while a recent failure keeps Redis out of the way."""
        return time.monotonic() >= self._down_until

    def _failed(self, error: Exception) -> None:
        with self._lock:
            was_up = self.available
            self._down_until = time.monotonic() + self.retry_seconds
        if was_up:
            logger.warning(
                "cache server unavailable (%s): serving uncached, retrying in %ss",
                error,
                self.retry_seconds,
            )

    def _guarded(self, name, *args, **kwargs):
        if not self.available:
            return _MISS[name](args, kwargs)
        try:
            return getattr(super(), name)(*args, **kwargs)
        except (RedisError, OSError) as error:
            self._failed(error)
            return _MISS[name](args, kwargs)

    def get(self, *args, **kwargs):
        return self._guarded("get", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._guarded("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._guarded("has_key", *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._guarded("add", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._guarded("set", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._guarded("set_many", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guarded("delete", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._guarded("delete_many", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._guarded("touch", *args, **kwargs)

    def clear(self, *args, **kwargs):
        return self._guarded("clear", *args, **kwargs)

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read is a miss: Django's own incr raises ValueError for one.
        if not self.available:
            raise ValueError(f"Key {key!r} not found (cache server unavailable).")
        try:
            return super().incr(key, delta, version)
        except (RedisError, OSError) as error:
            self._failed(error)
            raise ValueError(f"Key {key!r} not found (cache server unavailable).") from error

    def ping(self) -> bool:
        """Whether Redis answers now (for /healthz); a success ends a pause early."""
        try:
            super().has_key("healthz")  # RedisCache's own call: an error is not swallowed
        except (RedisError, OSError) as error:
            self._failed(error)
            return False
        self._down_until = 0.0
        return True
