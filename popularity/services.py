import random
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from articles.models import Article
from popularity.counting import live_ids, pending_views
from popularity.models import MostViewedList, Period, ViewCount, start_of_hour
from web.client_ip import sender_network
from web.fragments import cached_fragment
from web.scopes import most_viewed_scope, scopes_changed

SHARDS = 8

# Crawlers, link-preview fetchers, monitors and scripted clients announce
# themselves; an empty user agent is not a reader either.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|preview|facebookexternalhit|embedly|lighthouse|"
    r"headless|phantomjs|curl|wget|python-|httpclient|okhttp|go-http|java/|libwww|scrapy|"
    r"monitor|pingdom|uptime",
    re.IGNORECASE,
)

# The table name is ours; the values are parameters.
_UPSERT = f"""
    INSERT INTO {ViewCount._meta.db_table} (article_id, hour, shard, views)
    VALUES (%s, %s, %s, 1)
    ON CONFLICT (article_id, hour, shard) DO UPDATE
    SET views = {ViewCount._meta.db_table}.views + 1
"""  # noqa: S608


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(BOT_USER_AGENT.search(user_agent))


def first_view_in_a_while(ip: str, article_id: int) -> bool:
    """Return True once per reader's address (an IPv6 reader's /64) and article per
    VIEW_REPEAT_SECONDS.

    Reloads, and a script posting the beacon in a loop, count once; so does one
    taking another address of its IPv6 block for each post.
    """
    key = f"popularity:seen:{sender_network(ip)}:{article_id}"
    return cache.add(key, 1, timeout=settings.VIEW_REPEAT_SECONDS)


def article_is_countable(article_id: int) -> bool:
    """Return whether views of this id count: a visible article (no cache, no query)."""
    return article_id in live_ids


def article_view_count(*, article_id: int) -> None:
    """Count a reader's view of a visible article.

    Costs a dictionary increment: the count reaches the database with this
    process's next batch (popularity/counting.py).
    """
    pending_views.add(article_id)


def view_counts_flush() -> int:
    """Write this process's pending view counts now; return how many views."""
    return pending_views.flush()


def article_view_record(*, article_id: int, when: datetime | None = None) -> None:
    """Write one view of an article at once, in its hour bucket, on a random shard row."""
    hour = start_of_hour(when or timezone.now())
    with connection.cursor() as cursor:
        # Spreads writes over shard rows; nothing to guess.
        cursor.execute(_UPSERT, [article_id, hour, random.randrange(SHARDS)])  # noqa: S311


def most_viewed_ids(language: str) -> dict[str, list[int]]:
    """Return the article ids of each Most Viewed window as last stored; never compute them.

    Read from the cache, else from the stored lists (one query; an edition whose
    lists the background job has not stored yet gets empty ones). Summing a month
    of counts costs hundreds of milliseconds on a large site, so only
    `most_viewed_refresh()`, run by `manage.py run_background`, does it. Kept as a
    fragment is (web/fragments.py), under the token of the edition's Most Viewed
    scope, which storing new lists bumps: a reader who read the old lists just
    before stores them under a token nobody reads again. At most
    MOST_VIEWED_CACHE_SECONDS, so an app server whose cache the job does not reach
    (files on another machine) still follows the stored lists.
    """

    def stored():
        lists = {period.value: [] for period in Period}
        for row in MostViewedList.objects.filter(language=language).only("period", "ids"):
            lists[row.period] = row.ids
        return lists

    def until():
        return timezone.now() + timedelta(seconds=settings.MOST_VIEWED_CACHE_SECONDS)

    return cached_fragment(
        "most-viewed-ids", [language], [most_viewed_scope(language)], stored, until=until
    )


def most_viewed_due(*, now: datetime | None = None) -> list[str]:
    """Return the editions whose stored lists are missing or older than the refresh interval."""
    now = now or timezone.now()
    horizon = now - timedelta(seconds=settings.MOST_VIEWED_CACHE_SECONDS)
    fresh = set(
        MostViewedList.objects.filter(computed_at__gt=horizon)
        .values("language")
        .annotate(windows=Count("period"))
        .filter(windows=len(Period))
        .values_list("language", flat=True)
    )
    return [code for code, _name in settings.LANGUAGES if code not in fresh]


def most_viewed_refresh(*, language: str, now: datetime | None = None) -> dict[str, list[int]]:
    """Compute one edition's Most Viewed lists, store them, and put them where readers read.

    The background job's work (`manage.py run_background`), never a reader's.
    """
    now = now or timezone.now()
    lists = {
        period.value: ViewCount.objects.top_articles(
            since=period.since(now), language=language, limit=settings.MOST_VIEWED_LIMIT, now=now
        )
        for period in Period
    }
    MostViewedList.objects.bulk_create(
        [
            MostViewedList(language=language, period=period, ids=ids, computed_at=now)
            for period, ids in lists.items()
        ],
        update_conflicts=True,
        unique_fields=["language", "period"],
        update_fields=["ids", "computed_at"],
    )
    # Readers' copies and the blocks showing them are stale at once (web/scopes.py).
    scopes_changed([most_viewed_scope(language)])
    return lists


def most_viewed(language: str) -> dict[str, list[Article]]:
    """Return the visible articles of each window, in rank order (one query when cached)."""
    lists = most_viewed_ids(language)
    wanted = {article_id for ids in lists.values() for article_id in ids}
    # Of this edition still: a story moved to another since the lists were stored
    # would lead this edition's readers into that one until the next store.
    articles = Article.objects.for_listing().in_language(language).in_bulk(wanted) if wanted else {}
    return {
        period: [articles[article_id] for article_id in ids if article_id in articles]
        for period, ids in lists.items()
    }


def most_viewed_tabs(language: str) -> list[tuple[Period, list[Article]]]:
    """Return (period, articles) pairs in tab order: Day, Week, Month."""
    lists = most_viewed(language)
    return [(period, lists[period.value]) for period in Period]


@transaction.atomic
def view_counts_prune(*, now: datetime | None = None) -> tuple[int, int]:
    """Delete counts older than the month window and fold older shards into one row.

    Returns (rows deleted, rows folded). Rankings are unchanged: nothing inside the
    month window is lost, and folding keeps every hour's total.
    """
    now = now or timezone.now()
    deleted, _ = ViewCount.objects.filter(hour__lt=Period.MONTH.since(now)).delete()
    settled = start_of_hour(now) - timedelta(hours=1)
    table = ViewCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH folded AS (
                DELETE FROM {table} WHERE hour < %s AND shard > 0
                RETURNING article_id, hour, views
            )
            INSERT INTO {table} (article_id, hour, shard, views)
            SELECT article_id, hour, 0, SUM(views) FROM folded GROUP BY article_id, hour
            ON CONFLICT (article_id, hour, shard) DO UPDATE
            SET views = {table}.views + EXCLUDED.views
            """,  # noqa: S608 - our table name; the values are parameters
            [settled],
        )
        folded = cursor.rowcount
    return deleted, folded
