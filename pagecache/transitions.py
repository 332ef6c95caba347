"""The next moment something appears or disappears by itself.

Articles, galleries, films and maps publish at a scheduled time and can end at
one, as can Editor's Choice slots, with no job running at that moment:
visibility is decided by the clock at query time. So no cached page may stay
fresh past the next such moment. It is looked up with one query (a few index
probes: 0.02 ms at 100k articles) and kept in the page cache with the change
token it was computed under (pagecache/versions.py): any change since makes it
be looked up again, as does its own passing.
"""

from django.db import connection

from articles.models import Article, EditorsChoice
from media.models import Film, Map, PhotoGallery
from pagecache.kinds import editions

NEXT_CHANGE_KEY = "pages:next-change"


# Our own table names are formatted in; every value is a parameter.
_NEXT_PUBLICATION = (
    "SELECT publish_at FROM {table} WHERE status = 'published'"
    " AND language = %s AND publish_at > %s ORDER BY publish_at LIMIT 1"
)
_NEXT_UNPUBLICATION = (
    "SELECT MIN(unpublish_at) FROM {table} WHERE status = 'published' AND unpublish_at > %s"
)
_NEXT_SLOT_END = "SELECT MIN(until) FROM {table} WHERE until > %s"
_NEXT_MEDIA = "SELECT MIN(publish_at) FROM {table} WHERE status = 'published' AND publish_at > %s"
_NEXT_MEDIA_END = (
    "SELECT MIN(unpublish_at) FROM {table} WHERE status = 'published' AND unpublish_at > %s"
)


def _query(now) -> tuple[str, list]:
    article = Article._meta.db_table
    # Per edition, so the edition's partial index (language, -publish_at) is probed.
    parts = [_NEXT_PUBLICATION.format(table=article) for _code in editions()]
    params = [value for code in editions() for value in (code, now)]
    # The partial index of pagecache's migration 0001.
    parts.append(_NEXT_UNPUBLICATION.format(table=article))
    parts.append(_NEXT_SLOT_END.format(table=EditorsChoice._meta.db_table))
    for model in (PhotoGallery, Film, Map):  # small tables
        parts += [_NEXT_MEDIA.format(table=model._meta.db_table)]
        parts += [_NEXT_MEDIA_END.format(table=model._meta.db_table)]
    params += [now] * (len(parts) - len(editions()))  # one `now` for each of the others
    return "SELECT LEAST(" + ", ".join(f"({part})" for part in parts) + ")", params


def next_visibility_change_from_db(now) -> float | None:
    """Return the epoch time of the next scheduled (un)publication after `now`, or None."""
    with connection.cursor() as cursor:
        cursor.execute(*_query(now))
        (moment,) = cursor.fetchone()
    return moment.timestamp() if moment else None


def next_visibility_change(cache, known, change_token, now, horizon: float) -> float | None:
    """Return the epoch time of the next change after `now` (a datetime), or None.

    `known` is the stored (moment, token) pair, if any; a fresh lookup is stored
    for at most `horizon` seconds under `change_token`, read before the lookup.
    """
    epoch = now.timestamp()
    if known is not None:
        moment, token = known
        if token == change_token and (moment is None or moment > epoch):
            return moment
    moment = next_visibility_change_from_db(now)
    timeout = horizon if moment is None else max(min(horizon, moment - epoch), 1)
    cache.set(NEXT_CHANGE_KEY, (moment, change_token), timeout=timeout)
    return moment
