"""Cache backends that never take a page down.

FailSafeRedisCache: a Redis that does not answer is a cache that misses. Every
error is logged (at most once a minute per process, so an outage does not flood
the log) and treated as a miss: reads return the default, writes store nothing,
add() reports that nothing was added. The callers then read what was stored (Most
Viewed from its table; pictures fall back to the original photo) or, for the view
counter's repeat rule, do not count.

SharedFileCache: Django's file cache, the default without REDIS_URL because all
processes of a machine share it and a read costs no database query. Django's
version lists the whole directory on every write to decide whether to cull; this
one does that at most once a minute per process.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60
CULL_EVERY_SECONDS = 60


class FailSafeRedisCache(RedisCache):
    """Django's Redis cache, with errors logged and treated as misses."""

    _last_logged = 0.0

    def _failed(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - FailSafeRedisCache._last_logged >= LOG_EVERY_SECONDS:
            FailSafeRedisCache._last_logged = now
            logger.warning("Cache unavailable (%s), treated as a miss: %s", operation, error)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except Exception as error:  # noqa: BLE001 - any cache fault is a miss
            self._failed("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except Exception as error:  # noqa: BLE001
            self._failed("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except Exception as error:  # noqa: BLE001
            self._failed("has_key", error)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except Exception as error:  # noqa: BLE001
            self._failed("add", error)
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except Exception as error:  # noqa: BLE001
            self._failed("set", error)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except Exception as error:  # noqa: BLE001
            self._failed("set_many", error)
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except Exception as error:  # noqa: BLE001
            self._failed("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except Exception as error:  # noqa: BLE001
            self._failed("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except Exception as error:  # noqa: BLE001
            self._failed("delete_many", error)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except ValueError:
            raise  # a missing key, as Django's contract says
        except Exception as error:
            self._failed("incr", error)
            raise ValueError(f"Key {key!r} not found (cache unavailable)") from error

    def clear(self):
        try:
            return super().clear()
        except Exception as error:  # noqa: BLE001
            self._failed("clear", error)
            return False


class SharedFileCache(FileBasedCache):
    """Django's file cache, culling at most once a minute per process."""

    _last_cull = 0.0

    def _cull(self):
        now = time.monotonic()
        if now - self._last_cull < CULL_EVERY_SECONDS:
            return
        SharedFileCache._last_cull = now
        super()._cull()
