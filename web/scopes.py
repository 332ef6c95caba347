"""Scope tokens: one version per scope of content, shared by cached pages and fragments.

A scope names what a change touches: an edition's articles and everything listing
them ("ed:en"), one article's comments ("article:12"), the photo library
("media"), the In Focus topics ("topics"), the site menu ("chrome"). Whatever is
cached from a scope's content (a whole page in pagecache/, a rendered fragment in
web/fragments.py) records the scope's token; a change sets a fresh random token,
so everything built under the old one is stale from the next read, without
deleting anything. Which change touches which scope is decided in one place,
pagecache/receivers.py.

Tokens are random rather than counters because a counter bumped by two processes
at once (get, then set, in the file backend) can lose a bump; a token written last
always differs from any token read before it. A missing token (never set, culled,
or the cache cleared) is replaced by a new one and counts as a change, so an
evicted token can never make an old copy current again.

Each process remembers the tokens it read for a short while (the page cache's
PAGE_CACHE_VERSION_MEMO_SECONDS, a quarter of a second by default), so a read
costs no cache round trip; its own changes it sees at once, another process's
within that time.
"""

import logging
import os
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction

from web.cache import even_if_hung
from web.replay import stamped, wal_position

logger = logging.getLogger(__name__)

# The tokens live in the page cache's store, beside the pages they version.
CACHE_ALIAS = "pages"
MEDIA = "media"  # galleries, films, maps
TOPICS = "topics"  # the In Focus topics
CHROME = "chrome"  # the site menu: bumped when a section changes (pagecache/receivers.py)
MEMO_LIMIT = 10_000  # scopes remembered per process (one per article read, at most)
_memo: dict[str, tuple[str, float]] = {}


def tokens_cache():
    return caches[CACHE_ALIAS]


def version_key(scope: str) -> str:
    return f"pages:v:{scope}"


def new_token() -> str:
    return os.urandom(8).hex()


def remembered_versions(keys, max_age: float) -> tuple[str, ...] | None:
    """Return the tokens of `keys` read by this process within `max_age` seconds, or None."""
    now = time.monotonic()
    tokens = []
    for key in keys:
        seen = _memo.get(key)
        if seen is None or now - seen[1] > max_age:
            return None
        tokens.append(seen[0])
    return tuple(tokens)


def remember(keys, tokens) -> None:
    if len(_memo) > MEMO_LIMIT:
        _memo.clear()
    now = time.monotonic()
    for key, token in zip(keys, tokens, strict=True):
        _memo[key] = (token, now)


def forget_versions() -> None:
    _memo.clear()


def current_versions(cache, keys: list[str], found: dict) -> tuple[str, ...]:
    """Return the tokens of `keys` from `found`, creating the missing ones."""
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        for key in missing:
            cache.add(key, new_token(), timeout=None)  # another process may win
        found = {**found, **cache.get_many(missing)}
    return tuple(found.get(key) or "" for key in keys)


def scope_tokens(scopes: Iterable[str]) -> tuple[str, ...]:
    """Return the current token of each scope (no cache round trip when remembered)."""
    keys = [version_key(scope) for scope in scopes]
    if not keys:
        return ()
    memo_age = settings.PAGE_CACHE_VERSION_MEMO_SECONDS
    tokens = remembered_versions(keys, memo_age) if memo_age else None
    if tokens is None:
        cache = tokens_cache()
        tokens = current_versions(cache, keys, cache.get_many(keys))
        remember(keys, tokens)
    return tokens


def set_tokens(values: dict[str, str]) -> None:
    """Store fresh tokens (version keys to tokens); a cache fault is logged, not raised."""
    # With read replicas, each token says which WAL position the change reached
    # (web/replay.py): nothing rendered from a replica behind it is stored.
    position = wal_position()
    values = {key: stamped(token, position) for key, token in values.items()}
    try:
        # A change must reach the cache even if it timed out a moment ago (web/cache.py).
        with even_if_hung():
            tokens_cache().set_many(values, timeout=None)
        remember(values.keys(), values.values())
    except Exception:  # a cache outage must not fail the editor's save
        logger.exception("Could not mark %s as changed", ", ".join(values))


def scopes_changed(scopes: Iterable[str]) -> None:
    """Give `scopes` fresh tokens, now and again when the transaction commits.

    A copy built between the two read the old rows; the second bump makes it
    stale too. Outside a transaction the first bump is the only one.
    """
    keys = [version_key(scope) for scope in dict.fromkeys(scopes)]
    set_tokens({key: new_token() for key in keys})
    if connection.in_atomic_block:
        transaction.on_commit(lambda: set_tokens({key: new_token() for key in keys}))
