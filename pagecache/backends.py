"""A file cache for whole pages, shared by every worker process of one machine.

Django's FileBasedCache zlib-compresses every value, so each hit would pay to
inflate a page whose bodies are already gzip and brotli. This one stores the
pickle as it is, and culls at most once a minute per process like the default
cache (web/cache.py), with its own clock so neither cache's culling delays the
other's.
"""

import pickle
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

from web.cache import CULL_EVERY_SECONDS, SharedFileCache


class PageFileCache(SharedFileCache):
    _last_cull = 0.0

    def get(self, key, default=None, version=None):
        fname = self._key_to_file(key, version)
        try:
            with open(fname, "rb") as f:
                if not self._is_expired(f):
                    # Only this site's processes write this folder (mode 0700).
                    return pickle.load(f)  # noqa: S301
        except FileNotFoundError:
            pass
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            pass  # written by another version of the code, or cut short: a miss
        return default

    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        # FileBasedCache.touch inflates the value; rewrite it through get/set instead.
        value = self.get(key, version=version)
        if value is None:
            return False
        self.set(key, value, timeout, version=version)
        return True

    def _cull(self):
        now = time.monotonic()
        if now - PageFileCache._last_cull < CULL_EVERY_SECONDS:
            return
        PageFileCache._last_cull = now
        FileBasedCache._cull(self)
