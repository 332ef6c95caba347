"""Scopes: the names of what a change touches, and one token per name.

One vocabulary for every cache layer. A scope names content a change can touch:

| scope                  | what it covers                                          |
|------------------------|---------------------------------------------------------|
| `ed:en`                | the English edition: its articles and every page or     |
|                        | fragment listing them                                   |
| `article:12`           | article 12, wherever it is shown or linked              |
| `comments:12`          | article 12's approved comments                          |
| `section:news`, `tag:gulf`, `topic:nato`, `author:jane-doe`, `page:about` | that |
|                        | section, tag, topic, author or standing page (by slug)  |
| `photo:7`              | photo 7, wherever it is shown                           |
| `media`                | galleries, films and maps                               |
| `topics`               | the In Focus topics                                     |
| `chrome`               | the masthead's menu (sections)                          |
| `most-viewed:en`       | an edition's stored Most Viewed lists                   |

What each write touches is decided once, in pagecache/invalidation.py, which
calls `scopes_changed()`. That gives every touched scope a fresh token, which is
what the page cache (pagecache/) and rendered fragments (web/fragments.py) are
keyed by, and tells `scopes_touched` receivers (the CDN purge, cdn/apps.py: a
page's surrogate keys are these names) once the change is committed.

Tokens are random rather than counters because a counter bumped by two processes
at once (get, then set, in the file backend) can lose a bump; a token written last
always differs from any token read before it. A missing token (never set, culled,
expired, or the cache cleared) is replaced by a new one and counts as a change, so
an evicted token can never make an old copy current again; that is also why tokens
may expire (TOKEN_SECONDS): scopes no page reads (`tag:gulf`) do not pile up.

Each process remembers the tokens it read for a short while (the page cache's
PAGE_CACHE_VERSION_MEMO_SECONDS, a quarter of a second by default), so a read
costs no cache round trip; its own changes it sees at once, another process's
within that time.
"""

import logging
import os
import time
from collections.abc import Callable, Iterable
from urllib.parse import quote

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.dispatch import Signal

from web.cache import even_if_hung
from web.replay import stamped, wal_position

logger = logging.getLogger(__name__)

# The tokens live in the page cache's store, beside the pages they version.
CACHE_ALIAS = "pages"
MEDIA = "media"
TOPICS = "topics"
CHROME = "chrome"
# Tokens changed with every change (the next scheduled change is looked up again),
# and with every change that removed something from readers (no stale copy built
# before it may be served): pagecache/middleware.py reads both.
CHANGED_KEY = "pages:changed"
HARD_KEY = "pages:hard"
# A token outlives anything stored under it (a page and its stale copy: at most
# PAGE_CACHE_SECONDS + PAGE_CACHE_STALE_SECONDS; a rendered fragment: as long as
# its tokens are current, at most FRAGMENT_SECONDS, a week). A token expiring
# while its scope is unchanged costs one render of what was kept under it: after
# a day, every old article of a quiet edition, so it lasts longer than a week.
TOKEN_SECONDS = 8 * 24 * 3600
MEMO_LIMIT = 10_000  # scopes remembered per process (one per article read, at most)

# Sent once a change is committed (at once outside a transaction), with the
# scopes it touched and whether it removed something from readers.
scopes_touched = Signal()

clock: Callable[[], float] = time.monotonic  # tests move it instead of sleeping
_memo: dict[str, tuple[str, float]] = {}


# -- the vocabulary ------------------------------------------------------------------


def edition_scope(language: str) -> str:
    return f"ed:{language}"


def article_scope(pk: int) -> str:
    return f"article:{int(pk)}"


def comments_scope(pk: int) -> str:
    return f"comments:{int(pk)}"


def photo_scope(pk: int) -> str:
    return f"photo:{int(pk)}"


def slug_scope(kind: str, slug: str) -> str:
    """Return the scope of a section, tag, topic, author or standing page, its slug as
    in URLs (non-ASCII percent-encoded: scopes are also surrogate keys, ASCII)."""
    return f"{kind}:{quote(slug, safe='-_').lower()}"


def most_viewed_scope(language: str) -> str:
    return f"most-viewed:{language}"


def every_edition() -> list[str]:
    return [edition_scope(code) for code, _name in settings.LANGUAGES]


def every_scope() -> list[str]:
    """Return the scopes that together cover every cached page and fragment."""
    return [*every_edition(), MEDIA, TOPICS, CHROME]


# -- tokens --------------------------------------------------------------------------


def tokens_cache():
    return caches[CACHE_ALIAS]


def version_key(scope: str) -> str:
    return f"pages:v:{scope}"


def new_token() -> str:
    return os.urandom(8).hex()


def remembered_versions(keys, max_age: float) -> tuple[str, ...] | None:
    """Return the tokens of `keys` read by this process within `max_age` seconds, or None."""
    now = clock()
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
    now = clock()
    for key, token in zip(keys, tokens, strict=True):
        _memo[key] = (token, now)


def forget_versions() -> None:
    _memo.clear()


def current_versions(cache, keys: list[str], found: dict) -> tuple[str, ...]:
    """Return the tokens of `keys` from `found`, creating the missing ones."""
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        found, lost = dict(found), []
        for key in missing:
            token = new_token()
            if cache.add(key, token, timeout=TOKEN_SECONDS):
                found[key] = token  # what the cache now holds: no need to read it back
            else:
                lost.append(key)  # another process added one first (or the cache failed)
        if lost:
            found.update(cache.get_many(lost))
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
            tokens_cache().set_many(values, timeout=TOKEN_SECONDS)
        remember(values.keys(), values.values())
    except Exception:  # a cache outage must not fail the editor's save
        logger.exception("Could not mark %s as changed", ", ".join(values))


# -- the one bump --------------------------------------------------------------------


def scopes_changed(scopes: Iterable[str], *, hard: bool = False) -> None:
    """Give `scopes` fresh tokens, now and again when the transaction commits; then
    send `scopes_touched` (the CDN purge).

    A copy built between the two bumps read the old rows; the second makes it
    stale too. Outside a transaction the first bump is the only one. With no
    scopes, only the next scheduled change is looked up again. `hard`: the change
    removed something from readers (unpublished, deleted, a comment taken down),
    so no stale copy built before it may be served while a page is rebuilt.
    """
    scopes = tuple(dict.fromkeys(scopes))
    _bump(scopes, hard)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _committed(scopes, hard))
    else:
        _tell(scopes, hard)


def _committed(scopes: tuple[str, ...], hard: bool) -> None:
    _bump(scopes, hard)
    _tell(scopes, hard)


def _bump(scopes: tuple[str, ...], hard: bool) -> None:
    values = {version_key(scope): new_token() for scope in scopes}
    values[CHANGED_KEY] = new_token()  # scheduled times may have moved
    if hard:
        values[HARD_KEY] = new_token()
    set_tokens(values)


def _tell(scopes: tuple[str, ...], hard: bool) -> None:
    if scopes:
        scopes_touched.send(sender=None, scopes=scopes, hard=hard)
