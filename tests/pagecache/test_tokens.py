"""A scope's token is created the first time it is asked for, once, by whoever asks first."""

from django.core.cache import caches

from web.scopes import current_versions


class Counted:
    """A cache that counts its reads, and may have another process add a key first."""

    def __init__(self, cache, added_by_another=None):
        self.cache, self.added_by_another, self.reads = cache, added_by_another or {}, 0

    def add(self, key, value, timeout=None):
        if key in self.added_by_another:
            self.cache.set(key, self.added_by_another[key], timeout)
        return self.cache.add(key, value, timeout)

    def get_many(self, keys):
        self.reads += 1
        return self.cache.get_many(keys)


def test_a_missing_token_is_created_and_not_read_back():
    cache = Counted(caches["pages"])
    cache.cache.delete_many(["pages:v:test-a", "pages:v:test-b"])
    cache.cache.set("pages:v:test-b", "kept")

    tokens = current_versions(
        cache, ["pages:v:test-a", "pages:v:test-b"], {"pages:v:test-b": "kept"}
    )

    assert tokens[1] == "kept" and tokens[0] not in ("", "kept")
    assert cache.cache.get("pages:v:test-a") == tokens[0]
    assert cache.reads == 0


def test_a_token_another_process_created_first_is_the_one_used():
    cache = Counted(caches["pages"], added_by_another={"pages:v:test-c": "theirs"})
    cache.cache.delete("pages:v:test-c")

    assert current_versions(cache, ["pages:v:test-c"], {}) == ("theirs",)
    assert cache.reads == 1
