"""The next moment something appears or disappears by itself, for cached pages.

Articles, galleries, films and maps publish at a scheduled time and can end at
one, as can Editor's Choice slots, with no job running at that moment, so no
cached page may stay fresh past the next such moment. It is looked up with one
query (articles/schedule.py, shared with rendered fragments) and kept in the page
cache with the change token it was computed under (web/scopes.py): any change
since makes it be looked up again, as does its own passing.
"""

from articles.schedule import NEXT_CHANGE_KEY, next_change_stored, next_scheduled_change

__all__ = ["NEXT_CHANGE_KEY", "next_visibility_change", "next_visibility_change_asked"]


def next_visibility_change(cache, known, change_token, now, horizon: float) -> float | None:
    """Return the epoch time of the next change after `now` (a datetime), or None.

    `known` is the stored (moment, token) pair, if any; a fresh lookup is stored
    for at most `horizon` seconds under `change_token`, read before the lookup.
    """
    moment = next_change_stored(cache, known, change_token, now, horizon)
    return None if moment is None else moment.timestamp()


def next_visibility_change_asked(now) -> float | None:
    """Return the epoch time of the next change after `now`, asked of the database
    (one query: the cache that remembers it is down), or None."""
    moment = next_scheduled_change(now)
    return None if moment is None else moment.timestamp()
