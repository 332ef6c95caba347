"""Cache backends that never take a page down.

FailSafeRedisCache: a Redis that does not answer is a cache that misses. Every
error is logged (at most once a minute per process, so an outage does not flood
the log) and treated as a miss: reads return the default, writes store nothing,
add() reports that nothing was added. The callers then read what was stored (Most
Viewed from its table; pictures fall back to the original photo) or, for the view
counter's repeat rule, do not count. Every Redis-backed alias uses this class with
the same socket timeouts (settings.redis_cache).

A Redis that *hangs* (paused, swapping, a network that drops packets) costs each
call the whole socket timeout, and a page makes dozens of cache calls: 10 s for
the front page at 0.25 s each. So after a timeout the server is left alone for
HUNG_SECONDS (per process, for every alias on it): calls return at once as misses,
and a page costs one timeout at most. A refused connection (Redis stopped) costs
nothing and is retried at once. Writes that must not be lost (the scope tokens a
change bumps, web/scopes.py) are tried all the same, inside `even_if_hung()`.

Without REDIS_URL, every alias is an SQLite file instead (web/sqlite_cache.py).
"""

import logging
import socket
import time
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60
# How long a server that timed out is left alone: each process then pays one
# timeout per HUNG_SECONDS while it hangs (a 5 % slowdown at 0.25 s), never one per call.
HUNG_SECONDS = 5.0

clock: Callable[[], float] = time.monotonic  # tests move it instead of sleeping
_hung_until: dict[tuple[str, ...], float] = {}
_insist: ContextVar[bool] = ContextVar("cache_even_if_hung", default=False)


@contextmanager
def even_if_hung():
    """Try the server inside this block even if it hung a moment ago."""
    reset = _insist.set(True)
    try:
        yield
    finally:
        _insist.reset(reset)


def _timed_out(error: BaseException) -> bool:
    from redis.exceptions import TimeoutError as RedisTimeout

    return isinstance(error, RedisTimeout | socket.timeout)


class FailSafeRedisCache(RedisCache):
    """Django's Redis cache, with errors logged and treated as misses."""

    _last_logged = 0.0

    def _failed(self, operation: str, error: Exception) -> None:
        if _timed_out(error):
            _hung_until[tuple(self._servers)] = clock() + HUNG_SECONDS
        now = time.monotonic()
        if now - FailSafeRedisCache._last_logged >= LOG_EVERY_SECONDS:
            FailSafeRedisCache._last_logged = now
            logger.warning("Cache unavailable (%s), treated as a miss: %s", operation, error)

    def _hung(self) -> bool:
        """Return whether the server timed out less than HUNG_SECONDS ago (and may be skipped)."""
        until = _hung_until.get(tuple(self._servers))
        return until is not None and clock() < until and not _insist.get()

    def _try(self, operation: str, miss, call: Callable, *args):
        """Return `call(*args)`, or `miss` if the server hung a moment ago or fails now."""
        if self._hung():
            return miss
        try:
            return call(*args)
        except Exception as error:  # noqa: BLE001 - any cache fault is a miss
            self._failed(operation, error)
            return miss

    def get(self, key, default=None, version=None):
        return self._try("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._try("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._try("has_key", False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("add", False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._try("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("set_many", list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._try("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._try("delete_many", None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        if self._hung():
            raise ValueError(f"Key {key!r} not found (cache not answering)")
        try:
            return super().incr(key, delta, version)
        except ValueError:
            raise  # a missing key, as Django's contract says
        except Exception as error:
            self._failed("incr", error)
            raise ValueError(f"Key {key!r} not found (cache unavailable)") from error

    def clear(self):
        return self._try("clear", False, super().clear)
