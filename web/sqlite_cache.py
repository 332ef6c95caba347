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
- An entry that cannot be read back (written by another version of the code,
  cut short) is a miss. A file that cannot be opened or written is an error for
  the caller, as the file cache's was: the fragments and the page cache render
  in full without a cache (web/fragments.py, pagecache/middleware.py).

Only this site's processes may write the folder (mode 0700): a cache that
unpickles what it reads must not read what others wrote.
"""

import json
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


class SQLiteCache(BaseCache):
    """Django's cache API on one SQLite file in the folder LOCATION."""

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
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(_SCHEMA)
            local.connection, local.pid = connection, os.getpid()
        return local.connection

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

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        row = self._db().execute(_READ, (key, clock())).fetchone()
        return default if row is None else self._load(row[0], default)

    def get_many(self, keys, version=None):
        made = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not made:
            return {}
        rows = self._db().execute(_READ_MANY, (json.dumps(list(made)), clock()))
        missing = object()
        found = {made[key]: self._load(blob, missing) for key, blob in rows}
        return {key: value for key, value in found.items() if value is not missing}

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._db().execute(_HAS, (key, clock())).fetchone() is not None

    # -- writes ------------------------------------------------------------------

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        self._cull()
        # REPLACE gives the row a new rowid: the order of rowids is the order of storing.
        self._db().execute(
            "INSERT OR REPLACE INTO entries (key, expires, value) VALUES (?, ?, ?)",
            (key, self._expiry(timeout), self._dump(value)),
        )

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

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        cursor = self._db().execute(_TOUCH, (self._expiry(timeout), key, clock()))
        return cursor.rowcount == 1

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

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._db().execute("DELETE FROM entries WHERE key = ?", (key,)).rowcount > 0

    def delete_many(self, keys, version=None):
        made = [(self.make_and_validate_key(key, version=version),) for key in keys]
        self._db().executemany("DELETE FROM entries WHERE key = ?", made)

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
