"""Read replicas: anonymous readers' page reads go to a replica, the rest to the primary.

With DATABASE_REPLICA_URLS set, `ReplicaMiddleware` picks, per request, where the
reads go, and `ReplicaRouter` follows that choice through a context variable.
Writes always go to the primary. A replica is used only for reads of
anonymous GET/HEAD requests to reader pages; these go to the primary instead:

* the admin and the desk, and any request carrying the session cookie (so staff
  read their own writes; web/readers.py: the session itself is never opened),
* every other method (the comment POST), and the view beacon, which counts on
  GET too (its writes pin nobody: a view count is nothing its sender looks for),
* a client that wrote a moment ago (pinned by its address in the shared cache for
  DATABASE_REPLICA_PIN_SECONDS, so no cookie is set on anonymous pages), and a
  page carrying `?comment=sent`, the comment form's redirect, in case the cache is
  per process and the redirect reaches another app server.

A just-published article reaches readers when the replica has replayed it (the
replication lag, normally well under a second); until then a replica answers as
before the publication. A replica that cannot be reached is skipped for
RETRY_DOWN_SECONDS, so readers fall back to the primary rather than an error.

A replica that falls behind by more than DATABASE_REPLICA_MAX_LAG_SECONDS is
skipped too, until it catches up: each process asks at most once every
LAG_CHECK_SECONDS per replica (two one-row queries, none on other requests):

* the primary's WAL position (`pg_current_wal_lsn()`), then whether the replica
  has replayed up to it. If it has, it lags by nothing, however old its last
  replayed commit: a quiet primary writes nothing to replay.
* If not, the lag is at most the age of the last commit it replayed
  (`now() - pg_last_xact_replay_timestamp()`), and at most the time since this
  process last saw it caught up; the smaller of the two is its lag. The second
  keeps a quiet primary's first new write (the replica's last replayed commit is
  then hours old, yet it is a few milliseconds behind) from counting as hours.
* A lag that cannot be told (no replayed commit since the replica started, and
  never seen caught up) counts as too much. A primary that does not answer the
  check leaves the last verdict standing: readers would gain nothing from it.
"""

import contextvars
import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from web.client_ip import client_ip
from web.readers import just_wrote, may_be_signed_in

logger = logging.getLogger(__name__)

clock: Callable[[], float] = time.monotonic  # tests move it instead of sleeping

# The alias reads go to in this request; None is the primary.
_read_alias: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "alwaght_read_alias", default=None
)

READ_METHODS = {"GET", "HEAD"}
# A replica that could not be reached is left alone this long (per process).
RETRY_DOWN_SECONDS = 30
_down_until: dict[str, float] = {}
# How often each process asks how far behind each replica is (see the docstring).
LAG_CHECK_SECONDS = 2


@dataclass
class _Lag:
    checked_at: float = -math.inf  # clock() of the last check
    caught_up_at: float | None = None  # when the replica had replayed all the primary had
    lagging: bool = False  # the last check's verdict
    seconds: float | None = None  # the last lag measured (None: unknown)


_lag: dict[str, _Lag] = {}

# Views that read from the primary on GET too, and whose writes pin nobody: the
# view beacon counts on GET (a no-script pixel); its sender never looks for the count.
PRIMARY_UNPINNED_VIEWS = {"beacon:view-beacon"}


def read_alias() -> str | None:
    """Return the database alias this request reads from (None: the primary)."""
    return _read_alias.get()


def _pin_key(request) -> str:
    return f"replica-pin:{client_ip(request)}"


def choose_read_alias(request) -> str | None:
    """Return a replica alias for this request's reads, or None for the primary."""
    replicas = settings.DATABASE_REPLICAS
    if not replicas or request.method not in READ_METHODS:
        return None
    match = getattr(request, "resolver_match", None)
    if match is None or "admin" in match.namespaces or match.view_name in PRIMARY_UNPINNED_VIEWS:
        return None
    # Decided from the cookie, never by opening the session: that would add
    # `Vary: Cookie` to every reader page, and no cache stores such a page.
    if just_wrote(request) or may_be_signed_in(request):
        return None
    try:
        if cache.get(_pin_key(request)):
            return None
    except Exception:  # a cache fault must not fail the page: read the primary
        logger.warning("Replica pin lookup failed; reading from the primary", exc_info=True)
        return None
    for alias in random.sample(replicas, len(replicas)):
        if _usable(alias):
            return alias
    return None  # every replica is down or behind: the primary serves readers too


def _usable(alias: str) -> bool:
    """Return whether readers may read from `alias`: it answers and is not too far behind."""
    return _reachable(alias) and not _too_far_behind(alias)


def _reachable(alias: str) -> bool:
    """Return whether `alias` answers (connecting now if needed); remember if it did not."""
    if _down_until.get(alias, 0) > clock():
        return False
    try:
        connections[alias].ensure_connection()
    except DatabaseError:
        logger.warning("Replica %s is unreachable; readers use the primary", alias, exc_info=True)
        _down_until[alias] = clock() + RETRY_DOWN_SECONDS
        return False
    _down_until.pop(alias, None)
    return True


def _too_far_behind(alias: str) -> bool:
    """Return whether `alias` lags more than allowed, asking at most every LAG_CHECK_SECONDS."""
    limit = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
    if not limit or limit <= 0:
        return False  # no limit set: lag is not checked
    state = _lag.setdefault(alias, _Lag())
    now = clock()
    if now - state.checked_at < LAG_CHECK_SECONDS:
        return state.lagging
    state.checked_at = now
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")  # replica lag check
            primary_lsn = cursor.fetchone()[0]
    except DatabaseError:
        logger.warning("Primary did not answer the replica lag check", exc_info=True)
        return state.lagging
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn,"
                " extract(epoch FROM now() - pg_last_xact_replay_timestamp())",
                [primary_lsn],
            )
            caught_up, since_last_replayed = cursor.fetchone()
    except DatabaseError:
        logger.warning("Replica %s did not answer the lag check", alias, exc_info=True)
        _down_until[alias] = clock() + RETRY_DOWN_SECONDS
        return True
    was_lagging = state.lagging
    if caught_up:
        state.caught_up_at, state.seconds = now, 0.0
    else:
        bounds = [float(since_last_replayed)] if since_last_replayed is not None else []
        if state.caught_up_at is not None:
            bounds.append(now - state.caught_up_at)
        state.seconds = max(min(bounds), 0.0) if bounds else None
    state.lagging = state.seconds is None or state.seconds > limit
    if state.lagging and not was_lagging:
        logger.warning(
            "Replica %s is %s s behind (limit %s s); readers use the primary until it catches up",
            alias,
            "an unknown number of" if state.seconds is None else f"{state.seconds:.1f}",
            limit,
        )
    elif was_lagging and not state.lagging:
        logger.warning("Replica %s has caught up; readers use it again", alias)
    return state.lagging


def pin_writer(request) -> None:
    """Keep this client on the primary for a few seconds, until replicas have its write."""
    try:
        cache.set(_pin_key(request), True, settings.DATABASE_REPLICA_PIN_SECONDS)
    except Exception:  # the ?comment=sent marker still holds for the comment form
        logger.warning("Could not pin a writer to the primary", exc_info=True)


class ReplicaMiddleware:
    """Choose where each request reads from (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _read_alias.set(None)
        try:
            response = self.get_response(request)
        finally:
            _read_alias.reset(token)
        if (
            settings.DATABASE_REPLICAS
            and request.method not in READ_METHODS
            and getattr(request.resolver_match, "view_name", "") not in PRIMARY_UNPINNED_VIEWS
            and response.status_code < 400
        ):
            pin_writer(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After URL resolution, so the choice can depend on which view answers.
        alias = choose_read_alias(request)
        _read_alias.set(alias)
        # For the page cache, outside this middleware: it stores nothing read from a
        # replica that has not replayed the change it is keyed on (web/replay.py).
        request.reads_from = alias or DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Reads where the middleware chose, writes and migrations on the primary."""

    def db_for_read(self, model, **hints):
        return _read_alias.get()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def replica_lags() -> dict[str, float | None]:
    """Return each replica's lag in seconds as this process measures it (None: unknown, down).

    For the metrics and the System page (alwaght/site_state.py): measured as readers'
    requests do, at most every LAG_CHECK_SECONDS, and not at all (None) when
    ALWAGHT_REPLICA_MAX_LAG_SECONDS is 0.
    """
    lags = {}
    for alias in settings.DATABASE_REPLICAS:
        lags[alias] = None
        if _reachable(alias):
            _too_far_behind(alias)  # measures it, when due
            state = _lag.get(alias)
            lags[alias] = state.seconds if state is not None else None
    return lags
