"""Scope versions: how a change makes exactly the affected pages stale, at once.

The tokens, and the one function that bumps them, are web/scopes.py's: rendered
fragments (web/fragments.py) and the CDN purge (cdn/) follow the same tokens and
names. Which write touches which scopes is decided in pagecache/invalidation.py.

Every cached page records the version token of each scope it depends on (see
pagecache/kinds.py); a change sets a fresh random token on the scopes it touches,
so every page built under the old token is stale from the next request, without
deleting anything. A change is bumped twice: at once, and again when its
transaction commits. A page rendered between the two read the old rows, and the
second bump makes it stale too; outside a transaction the first bump is the only
one.

Each process remembers the tokens it read for PAGE_CACHE_VERSION_MEMO_SECONDS
(a quarter of a second by default), so a hit reads one cache entry instead of
one per scope; its own changes it sees at once, another process's within that
time. A page that does not match the remembered tokens is checked against the
cache before it is rebuilt.
"""

from web.scopes import (  # noqa: F401 - the middleware and tests read them from here
    CACHE_ALIAS,
    CHANGED_KEY,
    HARD_KEY,
    current_versions,
    every_scope,
    forget_versions,
    new_token,
    remember,
    remembered_versions,
    scopes_changed,
    tokens_cache,
    version_key,
)


def pages_cache():
    return tokens_cache()


def pages_purge() -> None:
    """Make every cached page stale (the operator's purge; nothing is deleted)."""
    scopes_changed(every_scope(), hard=True)
