"""Whether a read replica has replayed the change that a scope's token stands for.

With read replicas (DATABASE_REPLICA_URLS), a change bumps its scopes' tokens at
once (web/scopes.py), but readers' replicas show it only once they have replayed
it. A page or fragment rendered from a replica in between would be stored under
the new token without the change, and served as current until
PAGE_CACHE_SECONDS: "publish → visible in a second" would become five minutes.

So each token a change writes carries the primary's WAL insert position at that
moment (`<random>@<lsn>`, read once per bump and only with replicas configured),
and a copy rendered from a replica is stored only if the replica has replayed up
to the highest position among the tokens it was rendered under. Otherwise it is
served to this reader and not kept; the next reader renders it again, until the
replica catches up. Replay positions only grow, so each process remembers the
highest it has seen per replica and asks again (one one-row query) only for a
token newer than that.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

_replayed: dict[str, int] = {}  # replica alias -> highest replay position seen


def wal_position() -> str | None:
    """Return the primary's WAL insert position if readers read replicas, else None."""
    if not settings.DATABASE_REPLICAS:
        return None
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_insert_lsn()")
            return str(cursor.fetchone()[0])
    except DatabaseError:
        logger.warning("Could not read the WAL position of a change", exc_info=True)
        return None


def stamped(token: str, position: str | None) -> str:
    """Return `token` carrying the WAL `position` of the change that set it."""
    return f"{token}@{position}" if position else token


def _lsn(position: str) -> int:
    high, _slash, low = position.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def position_of(tokens: Iterable[str]) -> int:
    """Return the highest WAL position carried by `tokens` (0 if none carries one)."""
    positions = [_lsn(token.partition("@")[2]) for token in tokens if "@" in token]
    return max(positions, default=0)


def replayed(tokens: Iterable[str], alias: str | None) -> bool:
    """Return whether database `alias` has replayed the changes that set `tokens`.

    The primary (or no alias: no replicas) always has; a replica that cannot be
    asked counts as not having replayed (what it rendered is served, not kept).
    """
    needed = position_of(tokens)
    if not needed or alias in (None, DEFAULT_DB_ALIAS) or _replayed.get(alias, 0) >= needed:
        return True
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
                " ELSE pg_current_wal_insert_lsn() END"
            )
            (position,) = cursor.fetchone()
    except DatabaseError:
        logger.warning("Replica %s did not say what it has replayed", alias, exc_info=True)
        return False
    if position is None:
        return False
    _replayed[alias] = max(_replayed.get(alias, 0), _lsn(str(position)))
    return _replayed[alias] >= needed


def forget_replayed() -> None:
    """Forget the replay positions seen (tests: a fresh process)."""
    _replayed.clear()
