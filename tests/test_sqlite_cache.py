"""The cache without Redis: one SQLite file the machine's processes share (web/sqlite_cache.py)."""

import sqlite3

import pytest

from tests.hardening.test_shared_limits import start_worker
from web import sqlite_cache
from web.sqlite_cache import FILE_NAME, SQLiteCache


@pytest.fixture
def now(monkeypatch):
    """The backend's clock, moved by the test."""
    clock = [1_800_000_000.0]
    monkeypatch.setattr(sqlite_cache, "clock", lambda: clock[0])
    return clock


@pytest.fixture
def cache(tmp_path):
    return SQLiteCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 100}})


def test_values_come_back_as_stored(cache):
    cache.set("page", {"bodies": {"br": b"\x00\x01"}, "status": 200})
    cache.set_many({"a": 1, "b": [2]})

    assert cache.get("page") == {"bodies": {"br": b"\x00\x01"}, "status": 200}
    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": [2]}
    assert cache.get("missing", "default") == "default"
    assert cache.has_key("a") and not cache.has_key("missing")


def test_entries_expire_by_the_clock(cache, now):
    cache.set("short", "value", 10)
    cache.set("never", "value", None)
    cache.set("not-kept", "value", 0)

    now[0] += 9.9
    assert cache.get("short") == "value"
    now[0] += 0.2
    assert cache.get("short") is None
    assert cache.get_many(["short", "never"]) == {"never": "value"}
    assert cache.get("not-kept") is None
    assert cache.touch("never", 5) and not cache.touch("short", 5)
    now[0] += 6
    assert cache.get("never") is None


def test_add_stores_only_over_nothing_or_an_expired_entry(cache, now):
    assert cache.add("token", "first", 10)
    assert not cache.add("token", "second", 10)
    assert cache.get("token") == "first"

    now[0] += 11
    assert cache.add("token", "third", 10)
    assert cache.get("token") == "third"


def test_incr_counts_and_refuses_a_missing_key(cache):
    cache.set("views", 41)

    assert cache.incr("views") == 42
    assert cache.decr("views", 2) == 40
    with pytest.raises(ValueError):
        cache.incr("missing")


def test_delete_and_clear(cache):
    cache.set_many({"a": 1, "b": 2, "c": 3})

    assert cache.delete("a") and not cache.delete("a")
    cache.delete_many(["b"])
    assert cache.get_many(["a", "b", "c"]) == {"c": 3}
    cache.clear()
    assert cache.get("c") is None


def test_an_entry_the_code_cannot_read_is_a_miss(cache, tmp_path):
    cache.set("key", "value")
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        db.execute("UPDATE entries SET value = ?", (b"\x80\x05garbage",))

    assert cache.get("key", "missing") == "missing"
    assert cache.get_many(["key"]) == {}


def test_past_max_entries_the_oldest_stored_go_first(cache, now, monkeypatch):
    for number in range(100):
        cache.set(f"entry-{number}", number)
    cache.set("entry-0", "stored again")  # now the newest
    monkeypatch.setattr(sqlite_cache, "CULL_EVERY_SECONDS", 0)

    cache.set("one-more", True)  # culls first: a third of the 100 entries

    assert cache.get("entry-0") == "stored again"
    assert cache.get("entry-1") is None and cache.get("entry-33") is None
    assert cache.get("entry-34") == 34 and cache.get("one-more") is True


def test_culling_drops_expired_entries_before_live_ones(cache, now, monkeypatch):
    cache.set("expired", 1, 5)
    now[0] += 6
    monkeypatch.setattr(sqlite_cache, "CULL_EVERY_SECONDS", 0)

    cache.set("live", 2)

    with sqlite3.connect(cache._path) as db:
        assert db.execute("SELECT key FROM entries ORDER BY key").fetchall() == [(":1:live",)]


ADDER = """
import sys
from web.sqlite_cache import SQLiteCache
cache = SQLiteCache({folder!r}, {{}})
sys.stdin.readline()  # start together
added = sum(cache.add(f"token-{{n}}", {name!r}) for n in range(200))
for _ in range(200):
    cache.incr("counter")
print(added)
"""


def test_two_processes_share_the_file_and_neither_loses_a_write(cache, tmp_path):
    cache.set("counter", 0)
    workers = [
        start_worker(ADDER.format(folder=str(tmp_path), name=name)) for name in ("one", "two")
    ]
    outputs = [worker.communicate("go\n", timeout=120) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert sum(int(out) for out, _ in outputs) == 200  # each token added once
    assert cache.incr("counter", 0) == 400  # no increment lost
    assert {cache.get(f"token-{n}") for n in range(200)} <= {"one", "two"}


def test_the_folder_is_the_sites_own(tmp_path):
    cache = SQLiteCache(str(tmp_path / "new" / "cache"), {})
    cache.set("key", "value")

    assert (tmp_path / "new" / "cache").stat().st_mode & 0o777 == 0o700


def damage(folder):
    """Leave the cache's file as a disk fault might: not a database SQLite can read."""
    for path in folder.glob(f"{FILE_NAME}*"):
        path.unlink()
    (folder / FILE_NAME).write_bytes(b"not a database at all" * 400)


def test_a_damaged_file_is_a_miss_then_moved_aside_and_the_cache_works_again(tmp_path, caplog):
    damage(tmp_path)
    first, second = SQLiteCache(str(tmp_path), {}), SQLiteCache(str(tmp_path), {})

    assert first.get("key", "missing") == "missing"
    assert "treated as a miss" in caplog.text
    (aside,) = tmp_path.glob(f"{FILE_NAME}.damaged-*")
    first.set("key", "stored again")
    assert first.get("key") == "stored again"
    assert second.get("key") == "stored again"  # the other process opens the new file
    assert list(tmp_path.glob(f"{FILE_NAME}.damaged-*")) == [aside]


def test_a_process_that_met_the_damaged_file_leaves_the_new_one_alone(tmp_path):
    damage(tmp_path)
    late = SQLiteCache(str(tmp_path), {})
    with pytest.raises(sqlite3.DatabaseError):
        late._db()  # it opened the damaged file and failed there, as a request would
    damaged = late._local.__dict__.copy()
    other = SQLiteCache(str(tmp_path), {})
    other.set("key", "value")  # another process meets the damage and moves the file aside,
    other.set("key", "value")  # then stores in a new file
    late._local.__dict__.update(damaged)

    late._failed("get", sqlite3.DatabaseError("file is not a database"))

    assert SQLiteCache(str(tmp_path), {}).get("key") == "value"
    assert len(list(tmp_path.glob(f"{FILE_NAME}.damaged-*"))) == 1


def test_a_folder_that_cannot_be_made_is_a_miss_on_every_call(tmp_path):
    (tmp_path / "a-file").write_text("")
    cache = SQLiteCache(str(tmp_path / "a-file" / "cache"), {})

    cache.set("key", "value")
    assert cache.get("key", "missing") == "missing"
    assert cache.get_many(["key"]) == {}
    assert cache.add("key", "value") is False
    assert cache.set_many({"a": 1}) == ["a"]
    with pytest.raises(ValueError):
        cache.incr("key")
