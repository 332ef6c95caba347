"""A cache in one SQLite file, shared by every worker process of a machine.

The default without REDIS_URL (settings.CACHES), for values, fragments and
whole pages alike. Django's file cache writes each entry as a new file (a
temporary file, renamed into place), and on this project's machines creating a
file costs 0.3–0.75 ms of CPU (ext4 on a virtual disk; 0.02 ms on tmpfs): a first
view of an article stores eight entries (its row, three fragments, two new scope
tokens, the page), so the files cost more than its render's templates. A row
written to SQLite costs about 0.04 ms. In process, on the benchmark's data, a
first view went from 11.4–15.0 to 8.2–9.4 ms of CPU (docs/benchmarks.md).

- Write-ahead log, `synchronous=NORMAL`: readers never wait for the writer, and a
  commit is not flushed to the disk. A power cut may lose the last entries (a
  miss: tokens lost count as changes, web/scopes.py), never the file's order.
- Values are pickled as Django's other backends do them, not compressed: pages
  are stored already compressed (pagecache/entries.py).
- Bounded by MAX_ENTRIES: at most once a minute per process (CULL_EVERY_SECONDS), the
  expired rows go, then, past the bound, the least recently stored
  1/CULL_FREQUENCY of the rest, as Django's own backends cull.
- `add()` and `incr()` are atomic across processes (one statement, or one
  write transaction), which the file cache's were not.
- It never takes a page down. An entry that cannot be read back (written by
  another version of the code) is a miss. A file that cannot be opened, read or
  written (a full disk, a folder the workers cannot write, a damaged file) makes
  every call a miss, logged at most once a minute per process, as a Redis that
  does not answer is (web/cache.py): reads return the default, writes store
  nothing, `add()` adds nothing, `incr()` finds nothing. A file SQLite finds
  damaged is moved aside (`cache.sqlite3.damaged-<time>`) by the first process
  that meets it, and the others open the new one.

Only this site's processes may write the folder (mode 0700): a cache that
unpickles what it reads must not read what others wrote.
"""

import functools
import json
import logging
import os
import pickle
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

FILE_NAME = "cache.sqlite3"
CULL_EVERY_SECONDS = 60
# How long a writer waits for another process's write to finish. Writes take
# tens of microseconds, so this is reached only by a stuck process.
BUSY_SECONDS = 2.0
LOG_EVERY_SECONDS = 60
# What SQLite says of a file that is not (or no longer) a database it can read.
DAMAGED = ("file is not a database", "database disk image is malformed")

logger = logging.getLogger(__name__)
clock: Callable[[], float] = time.time  # tests move it instead of sleeping

_SCHEMA = """
    CREATE TABLE IF NOT EXISTS entries (
        key TEXT NOT NULL UNIQUE,
        expires REAL,  -- seconds since the epoch; NULL: never
        value BLOB NOT NULL
    )
"""
# Each statement's text is fixed; the values are its parameters.
_READ = "SELECT value FROM entries WHERE key = ? AND (expires IS NULL OR expires > ?)"
_READ_MANY = (
    "SELECT key, value FROM entries WHERE key IN (SELECT value FROM json_each(?))"
    " AND (expires IS NULL OR expires > ?)"
)
_HAS = "SELECT 1 FROM entries WHERE key = ? AND (expires IS NULL OR expires > ?)"
_TOUCH = "UPDATE entries SET expires = ? WHERE key = ? AND (expires IS NULL OR expires > ?)"


def _fail_safe(miss):
    """Make a cache operation answer `miss(*args)` when the file fails it (see above)."""

    def decorate(operation):
        @functools.wraps(operation)
        def safely(self, *args, **kwargs):
            try:
                return operation(self, *args, **kwargs)
            except (sqlite3.DatabaseError, OSError) as error:
                self._failed(operation.__name__, error)
                return miss(*args, **kwargs)

        return safely

    return decorate


def _not_found(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (cache unavailable)")


class SQLiteCache(BaseCache):
    """Django's cache API on one SQLite file in the folder LOCATION."""

    _last_logged = float("-inf")

    def __init__(self, location, params):
        super().__init__(params)
        self._path = Path(location) / FILE_NAME
        self._local = threading.local()
        self._last_cull = float("-inf")

    # -- the connection ----------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        """Return this thread's connection (a new one after a fork)."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            self._path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            connection = sqlite3.connect(self._path, timeout=BUSY_SECONDS, isolation_level=None)
            local.connection = connection
            local.inode = self._path.stat().st_ino  # the file a failure below is judged in
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(_SCHEMA)
            local.pid = os.getpid()
        return local.connection

    def _failed(self, operation: str, error: Exception) -> None:
        """Log the failure (once a minute), drop the connection, move a damaged file aside."""
        now = time.monotonic()
        if now - SQLiteCache._last_logged >= LOG_EVERY_SECONDS:
            SQLiteCache._last_logged = now
            logger.warning(
                "Cache file %s failed (%s), treated as a miss: %s", self._path, operation, error
            )
        local = self._local
        connection, inode = getattr(local, "connection", None), getattr(local, "inode", None)
        local.__dict__.clear()  # the next call opens the file afresh
        if connection is not None:
            connection.close()
        if any(words in str(error) for words in DAMAGED):
            try:
                if self._path.stat().st_ino == inode:  # not already replaced by another process
                    self._path.rename(self._path.with_name(f"{FILE_NAME}.damaged-{int(clock())}"))
            except OSError:
                pass  # gone already, or the folder cannot be written: each call stays a miss

    def _expiry(self, timeout=DEFAULT_TIMEOUT) -> float | None:
        """Return when an entry stored now with `timeout` expires (None: never)."""
        if timeout == DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        elif timeout == 0:
            timeout = -1  # stored already expired: a set with 0 means "do not keep"
        return None if timeout is None else clock() + timeout

    def get_backend_timeout(self, timeout=DEFAULT_TIMEOUT):
        return self._expiry(timeout)

    @staticmethod
    def _load(blob: bytes, default):
        try:
            return pickle.loads(blob)  # noqa: S301 - only this site's processes write the file
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return default  # written by another version of the code, or cut short

    def _dump(self, value) -> bytes:
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)

    # -- reads -------------------------------------------------------------------

    @_fail_safe(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        row = self._db().execute(_READ, (key, clock())).fetchone()
        return default if row is None else self._load(row[0], default)

    @_fail_safe(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        made = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not made:
            return {}
        rows = self._db().execute(_READ_MANY, (json.dumps(list(made)), clock()))
        missing = object()
        found = {made[key]: self._load(blob, missing) for key, blob in rows}
        return {key: value for key, value in found.items() if value is not missing}

    @_fail_safe(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._db().execute(_HAS, (key, clock())).fetchone() is not None

    # -- writes ------------------------------------------------------------------

    @_fail_safe(lambda *args, **kwargs: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._cull()
        # REPLACE gives the row a new rowid: the order of rowids is the order of storing.
        self._db().execute(
            "INSERT OR REPLACE INTO entries (key, expires, value) VALUES (?, ?, ?)",
            (key, self._expiry(timeout), self._dump(value)),
        )

    @_fail_safe(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        expires = self._expiry(timeout)
        rows = [
            (self.make_and_validate_key(key, version=version), expires, self._dump(value))
            for key, value in data.items()
        ]
        self._cull()
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(
                "INSERT OR REPLACE INTO entries (key, expires, value) VALUES (?, ?, ?)", rows
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return []

    @_fail_safe(lambda *args, **kwargs: False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._cull()
        # One statement: two processes adding the same key at once, one wins.
        cursor = self._db().execute(
            "INSERT INTO entries (key, expires, value) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET expires = excluded.expires, value = excluded.value "
            "WHERE entries.expires IS NOT NULL AND entries.expires <= ?",
            (key, self._expiry(timeout), self._dump(value), clock()),
        )
        return cursor.rowcount == 1

    @_fail_safe(lambda *args, **kwargs: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        cursor = self._db().execute(_TOUCH, (self._expiry(timeout), key, clock()))
        return cursor.rowcount == 1

    @_fail_safe(_not_found)
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = self._db()
        db.execute("BEGIN IMMEDIATE")  # read and write under one lock: no lost increment
        try:
            row = db.execute(_READ, (key, clock())).fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = self._load(row[0], None)
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            db.execute("UPDATE entries SET value = ? WHERE key = ?", (self._dump(value), key))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return value

    @_fail_safe(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._db().execute("DELETE FROM entries WHERE key = ?", (key,)).rowcount > 0

    @_fail_safe(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        made = [(self.make_and_validate_key(key, version=version),) for key in keys]
        self._db().executemany("DELETE FROM entries WHERE key = ?", made)

    @_fail_safe(lambda: None)
    def clear(self):
        self._db().execute("DELETE FROM entries")

    def _cull(self):
        """Drop expired rows, then the oldest stored past MAX_ENTRIES (once a minute)."""
        now = time.monotonic()
        if now - self._last_cull < CULL_EVERY_SECONDS:
            return
        self._last_cull = now
        db = self._db()
        db.execute("DELETE FROM entries WHERE expires <= ?", (clock(),))
        (count,) = db.execute("SELECT count(*) FROM entries").fetchone()
        if count < self._max_entries:
            return
        doomed = count // self._cull_frequency if self._cull_frequency else count
        db.execute(
            "DELETE FROM entries WHERE rowid IN (SELECT rowid FROM entries ORDER BY rowid LIMIT ?)",
            (doomed,),
        )
