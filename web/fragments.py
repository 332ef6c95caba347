"""Rendered HTML shared by every reader, cached until what it shows changes.

A cold page (one the full-page cache passes by, e.g. after a publish) costs what
its template renders and its queries compile: at 100,000 articles 15–20 ms of
Python per article or front page, against 1.5 ms for a one-query page. Most of
that output is the same for every reader and changes only when the content does:
the site menu, the article's main column, its comments, a list page's articles.
So each such piece is rendered once and kept, under a key made of:

- what it is and which one (`name`, `parts`: an article's id and updated_at, a
  list's address and page...) and the edition (the active language);
- the token of every scope whose changes it shows (web/scopes.py: the same
  tokens the full-page cache keys on, bumped by pagecache/invalidation.py), so a
  publish, edit or unpublish makes it stale at once, without deleting anything.

Each process also keeps the fragments it read last (MEMO_LIMIT of them, HTML
and dicts of HTML only) with their expiry, so a page that shows seven
fragments does not open, decompress and unpickle seven cache entries per view:
a process-local copy of an entry whose key names its content's version is as
current as the shared one.

It is kept as long as those tokens are current, not for a fixed time: an old
article's column rendered a week ago is still the column, as long as nothing it
shows has changed (and a view of it then costs what a fragment-served page
does, not a full render). What bounds the store is memory: Redis evicts the
least recently used keys (`maxmemory-policy allkeys-lru`, deploy/compose.yaml),
the file cache culls at DJANGO_CACHE_MAX_ENTRIES; and, so that nothing is
kept for ever, FRAGMENT_SECONDS (a week). The code that rendered it is part of
the key too (web/release.py): a deploy never serves the last release's HTML.

It never outlives its content's visibility window: the caller says when the next
scheduled (un)publication is (`until`, looked up only when the fragment is
rendered), and the entry is not served from that moment on (to the
microsecond: the cache backend's own timeout is only whole seconds). What
changes by the clock alone says so the same way: the side blocks end when
Most Viewed is next recomputed (alwaght/blocks.py). A cache
that does not answer (the tokens' or the fragments') is logged once a minute
and the fragment is rendered in full, as without a cache. A fragment holds nothing of one reader:
the CSRF-free comment form's token, the "comment sent" notice and anything for
staff stay outside it. Previews and tests that compare pages render with
fragments off (`fragments_off()`, or `off=True`): nothing is read or written;
so do requests that read the primary while other readers read replicas (staff,
a reader who just commented). A reader whose replica lags renders from what it
has, and what it renders is not kept until the replica has replayed the change
that bumped its tokens (web/replay.py).
"""

import hashlib
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, router
from django.utils.translation import get_language

from web import metrics
from web.release import code_release
from web.replay import replayed
from web.scopes import scope_tokens

CACHE_ALIAS = "default"

LOG_EVERY_SECONDS = 60
MEMO_LIMIT = 500  # fragments kept per process (an article's column is ~10 KB)
ASKED_LIMIT = 10_000  # keys of fragments asked for once, per process (_asked_again)

logger = logging.getLogger(__name__)
_last_outage_log = float("-inf")
_off: ContextVar[bool] = ContextVar("fragments_off", default=False)
_memo: OrderedDict[str, tuple[float, object]] = OrderedDict()
_asked: OrderedDict[str, float] = OrderedDict()


@contextmanager
def fragments_off():
    """Render every fragment afresh inside this block, reading and storing nothing."""
    reset = _off.set(True)
    try:
        yield
    finally:
        _off.reset(reset)


def fragment_key(name: str, parts: Iterable, scopes: Iterable[str]) -> tuple[str | None, tuple]:
    """Return the cache key of a fragment (its name, parts, edition, scope tokens and
    the code's release) and the tokens.

    The key is None when a token could not be read (the tokens' cache does not
    answer): a copy stored under it would outlive the changes whose bumps are
    failing too.
    """
    scopes = tuple(scopes)
    tokens = scope_tokens(scopes)
    if "" in tokens:
        return None, tokens
    text = repr((get_language(), tuple(parts), scopes, tokens, code_release()))
    return f"fragment:{name}:{hashlib.blake2b(text.encode(), digest_size=16).hexdigest()}", tokens


def cached_fragment(
    name: str,
    parts: Iterable,
    scopes: Iterable[str],
    render: Callable[[], object],
    *,
    until: Callable[[], datetime | None] | None = None,
    off: bool = False,
    repeated_within: float | None = None,
):
    """Return `render()` from cache while the scopes' tokens are unchanged.

    `render` may return any picklable value (usually a str of HTML); None is
    never stored (it is rendered again next time). `until` returns the next
    scheduled change of what it shows, or None; it is called only when
    rendering, and the entry expires no later than that. With `repeated_within`
    (seconds), what is rendered is stored only when this process was asked for
    the same key that recently (_asked_again).
    """
    if off or _off.get() or _reads_the_primary_beside_replicas():
        return render()
    try:
        key, tokens = fragment_key(name, parts, scopes)
        if key is not None:
            remembered = _memo.get(key)
            if remembered is not None and remembered[0] > time.time():
                metrics.fragment(name, "hit")
                return remembered[1]
            cache = caches[CACHE_ALIAS]
            stored = cache.get(key)  # (expires at, value): the backend's timeout is whole seconds
    except Exception:  # noqa: BLE001 - a cache that does not answer: render, as without one
        _log_outage()
        return render()
    if key is None:
        return render()
    if stored is not None and stored[0] > time.time():
        _remember(key, stored)
        metrics.fragment(name, "hit")
        return stored[1]
    metrics.fragment(name, "miss")
    now = time.time()
    value = render()
    if value is not None and repeated_within is not None:
        if not _asked_again(key, repeated_within):
            return value
    change = until() if value is not None and until is not None else None
    # Until its tokens move (a new key) or `until`; FRAGMENT_SECONDS only bounds
    # how long an entry nobody evicted can sit in the store.
    longest = now + settings.FRAGMENT_SECONDS
    expires = longest if change is None else min(longest, change.timestamp())
    if value is None or expires <= now:
        return value
    if not replayed(tokens, router.db_for_read(None)):
        return value  # read from a replica that has not replayed the change yet: not kept
    stored = (expires, value)
    try:
        cache.set(key, stored, math.ceil(expires - now))
    except Exception:  # noqa: BLE001
        _log_outage()
        return value
    _remember(key, stored)
    return value


def _asked_again(key: str, within: float) -> bool:
    """Return whether this process was asked for `key` in the last `within` seconds;
    note this ask.

    A fragment whose address any reader can make up (a search's words) is stored only
    when asked for again: one asked once, as most are, costs the shared cache nothing,
    and a flood of made-up ones cannot evict the fragments every reader's pages are
    served from (the file cache culls by count, Redis by memory). The asks are noted
    in this process only (ASKED_LIMIT of them, oldest out first): a shared note would
    be a write per ask again. So a search repeated on another worker is stored a few
    asks later; once stored, every worker reads it. The key holds the fragment's
    tokens, so a change of what it shows starts the count again.
    """
    now = time.time()
    asked = _asked.pop(key, None)
    if asked is not None and now - asked <= within:
        return True
    _asked[key] = now
    if len(_asked) > ASKED_LIMIT:
        _asked.popitem(last=False)
    return False


def _reads_the_primary_beside_replicas() -> bool:
    """Return whether this request reads the primary while readers read replicas.

    Staff and a reader who just wrote read the primary (alwaght/replicas.py):
    what they render may be ahead of what other readers' replica has, and what
    is stored may be behind what they must see. They neither read nor store.
    """
    return bool(settings.DATABASE_REPLICAS) and router.db_for_read(None) == DEFAULT_DB_ALIAS


def _log_outage() -> None:
    global _last_outage_log
    if time.monotonic() - _last_outage_log >= LOG_EVERY_SECONDS:
        _last_outage_log = time.monotonic()
        logger.warning("Fragment cache unavailable; rendering in full", exc_info=True)


def _remember(key: str, stored: tuple[float, object]) -> None:
    if not isinstance(stored[1], str | dict):
        return  # model instances may be changed by their reader: each gets its own
    _memo[key] = stored
    _memo.move_to_end(key)
    if len(_memo) > MEMO_LIMIT:
        _memo.popitem(last=False)


def forget_fragments() -> None:
    """Drop this process's copies and notes of asks (the shared cache keeps its entries)."""
    _memo.clear()
    _asked.clear()
