"""When what readers see next changes by the clock alone.

Articles, Editor's Choice slots, galleries, films and maps appear and disappear
at scheduled times with no job running then: visibility is decided by the clock
at query time (publishing/models.py, `visible_at`). Whatever is cached from them
(whole pages, pagecache/transitions.py; the site-wide blocks and rendered
fragments, web/fragments.py) must expire at the next such moment. This is the one
place that asks when that is.

Asking costs a query of eleven parts (its building in the ORM most of it: about
3 ms of a 30 ms first render of an article, asked twice), and the answer only
moves when something is saved or when the moment passes. So readers ask
`next_change_remembered()`: the answer is kept in the scope tokens' cache under
the token every change renews (web/scopes.py, CHANGED_KEY), read with it in one
cache call, and looked up again only after a change or once its moment passed.
"""

import logging
from datetime import datetime

from django.conf import settings

from articles.models import Article, EditorsChoice
from media.models import Film, Map, PhotoGallery
from web.scopes import CHANGED_KEY, tokens_cache

logger = logging.getLogger(__name__)

NEXT_CHANGE_KEY = "pages:next-change"
# How long a stored answer is kept when nothing is scheduled (its change token,
# not this, is what makes it current).
REMEMBER_SECONDS = 3600


def next_scheduled_change(now: datetime) -> datetime | None:
    """Return when what readers see next changes by the clock (a publish or expiry time).

    One query, a UNION ALL of the earliest future time of each kind: a few index
    probes (0.02 ms at 100,000 articles). An article's publication is asked per
    edition, so the edition's partial index (language, -publish_at) is probed; its
    expiry by pagecache's partial index on unpublish_at; the other tables are small.
    """
    scheduled, visible = "publish_at", "unpublish_at"  # the next of each: when it changes
    timed = [
        *(
            (Article.objects.in_language(code).scheduled(now), scheduled)
            for code, _name in settings.LANGUAGES
        ),
        (Article.objects.published(now), visible),
        (EditorsChoice.objects.all(), "until"),
        *(
            query
            for model in (PhotoGallery, Film, Map)
            for query in (
                (model.objects.scheduled(now), scheduled),
                (model.objects.published(now), visible),
            )
        ),
    ]
    first_of_each = [
        queryset.filter(**{f"{field}__gt": now}).order_by(field).values_list(field)[:1]
        for queryset, field in timed
    ]
    times = first_of_each[0].union(*first_of_each[1:], all=True)
    return min((at for (at,) in times), default=None)


def next_change_stored(cache, known, change_token, now: datetime, horizon: float):
    """Return the next change after `now` as stored under `change_token`, else look it
    up and store it for at most `horizon` seconds (a datetime, or None).

    `known` is the stored (moment, token) pair, if any, and `change_token` the
    change token read with it, before the lookup: a change made during the
    lookup renews the token, so what this stores is never taken as current.
    """
    if type(known) is tuple and len(known) == 2:
        moment, token = known
        if token == change_token and (
            moment is None or (isinstance(moment, datetime) and moment > now)
        ):
            return moment
    moment = next_scheduled_change(now)
    left = horizon if moment is None else min(horizon, (moment - now).total_seconds())
    cache.set(NEXT_CHANGE_KEY, (moment, change_token), timeout=max(left, 1))
    return moment


def next_change_remembered(now: datetime) -> datetime | None:
    """Return `next_scheduled_change(now)`, asked once per change (one cache read)."""
    try:
        cache = tokens_cache()
        found = cache.get_many([NEXT_CHANGE_KEY, CHANGED_KEY])
        return next_change_stored(
            cache, found.get(NEXT_CHANGE_KEY), found.get(CHANGED_KEY), now, REMEMBER_SECONDS
        )
    except Exception:
        logger.debug("Next scheduled change not remembered", exc_info=True)
        return next_scheduled_change(now)
