"""The comment rate limit: exact across processes, one statement per attempt.

COMMENTS_RATE_LIMIT = (limit, window) lets `limit` comments through at once and
then one per window/limit seconds (the generic cell rate algorithm, GCRA). The
state is one row per client address, updated by a single INSERT ... ON CONFLICT,
so concurrent workers serialise on that row and never let more through than
the limit; the database's clock is the only clock.

Fails safe in the direction of keeping comments: the limit does not use the
cache, so a cache outage changes nothing; a database outage stops comments
anyway (the reader's text comes back on the 503 page, alwaght/outage.py).
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection

from comments.models import SendingAllowance

_TABLE = SendingAllowance._meta.db_table
# statement_timestamp() is one instant for the whole statement. In ON CONFLICT
# ... SET every expression sees the row as it was, so `refused` and `full_at`
# are both decided on the old `full_at`.
_ATTEMPT = f"""
    INSERT INTO {_TABLE} AS row (client, full_at, refused)
    VALUES (%(client)s, statement_timestamp() + %(interval)s, false)
    ON CONFLICT (client) DO UPDATE SET
        refused = greatest(row.full_at, statement_timestamp()) - statement_timestamp()
            > %(tolerance)s,
        full_at = CASE
            WHEN greatest(row.full_at, statement_timestamp()) - statement_timestamp()
                > %(tolerance)s
            THEN row.full_at
            ELSE greatest(row.full_at, statement_timestamp()) + %(interval)s
        END
    RETURNING refused, extract(epoch FROM full_at - statement_timestamp() - %(tolerance)s)
"""  # noqa: S608 - our table name; the values are parameters


def attempt(client: str) -> int | None:
    """Count one attempt by `client`; return the seconds to wait if it is refused."""
    limit, window = settings.COMMENTS_RATE_LIMIT
    interval = timedelta(seconds=window / limit)
    with connection.cursor() as cursor:
        cursor.execute(
            _ATTEMPT,
            {"client": client[:64], "interval": interval, "tolerance": interval * (limit - 1)},
        )
        refused, wait = cursor.fetchone()
    if not refused:
        return None
    return max(int(wait) + 1, 1)


def forget_old(*, older_than_seconds: int = 0) -> int:
    """Delete allowances that are full again (they hold a client address); return how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_TABLE} WHERE full_at < statement_timestamp() - %s",  # noqa: S608
            [timedelta(seconds=older_than_seconds)],
        )
        return cursor.rowcount
