"""Scope versions: how a change makes exactly the affected pages stale, at once.

The tokens themselves are kept by web/scopes.py, which rendered fragments
(web/fragments.py) read too: one scheme for pages and fragments.

Every cached page records the version token of each scope it depends on (see
pagecache/kinds.py); a change sets a fresh random token on the scopes it touches,
so every page built under the old token is stale from the next request, without
deleting anything. Tokens are random rather than counters because a counter
bumped by two processes at once (get, then set, in the file backend) can lose a
bump; a token written last always differs from any token read before it.

A change is bumped twice: at once, and again when its transaction commits. A
page rendered between the two read the old rows, and the second bump makes it
stale too; outside a transaction the first bump is the only one.

A missing token (never set, culled, or the cache cleared) is replaced by a new
one and counts as a change, so an evicted token can never make an old page
current again.

Each process remembers the tokens it read for PAGE_CACHE_VERSION_MEMO_SECONDS
(a quarter of a second by default), so a hit reads one cache entry instead of
one per scope; its own changes it sees at once, another process's within that
time. A page that does not match the remembered tokens is checked against the
cache before it is rebuilt.
"""

from django.db import connection, transaction

from pagecache.kinds import MEDIA, TOPICS, editions
from web.scopes import (  # noqa: F401 - the middleware and tests read them from here
    CACHE_ALIAS,
    CHROME,
    current_versions,
    forget_versions,
    new_token,
    remember,
    remembered_versions,
    set_tokens,
    tokens_cache,
    version_key,
)

# Tokens changed with every change, and with every change that removed something
# from readers (no stale copy built before it may be served).
CHANGED_KEY = "pages:changed"
HARD_KEY = "pages:hard"


def pages_cache():
    return tokens_cache()


def every_scope() -> list[str]:
    """Return the scopes that together cover every cached page (and fragment)."""
    return [*(f"ed:{code}" for code in editions()), MEDIA, TOPICS, CHROME]


def pages_changed(scopes, *, hard: bool = False) -> None:
    """Make every cached page depending on `scopes` stale, now and on commit.

    With no scopes, only the next scheduled change is looked up again.
    `hard`: the change removed something from readers (unpublished, deleted), so
    no stale copy built before it may be served while the page is rebuilt.
    """
    scopes = tuple(dict.fromkeys(scopes))
    _bump(scopes, hard)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _bump(scopes, hard))


def pages_purge() -> None:
    """Make every cached page stale (the operator's purge; nothing is deleted)."""
    pages_changed(every_scope(), hard=True)


def _bump(scopes, hard: bool) -> None:
    values = {version_key(scope): new_token() for scope in scopes}
    values[CHANGED_KEY] = new_token()  # scheduled times may have moved
    if hard:
        values[HARD_KEY] = new_token()
    set_tokens(values)
