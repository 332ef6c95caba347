"""The recent search index: each edition's newest RECENT_ARTICLES, marked `search_recent`.

Search (articles/search.py) keeps the newest CANDIDATE_LIMIT matches of a query.
When the newest articles it walks hold fewer, it read them from the GIN index of
every article: at a million articles "officials capital" (two words each in one
article of ten, together in one of eighty) intersected two posting lists of about
110,000 articles, then read the 12,600 rows they share for their dates (29 ms,
36 at p95); a word in one article of a hundred read 10,780. The partial GIN indexes
`article_search_recent_<edition>` hold only the marked articles, and search asks its
edition's first; `article_search_older_<edition>` hold the unmarked ones, asked only
when fewer than CANDIDATE_LIMIT of the first's matches are newer than the edition's
newest unmarked article.

Every article newer than that one is marked, whatever the marks are, so the
matches found there are all the matches newer than it, and when there are
CANDIDATE_LIMIT of them they are the newest. Every article is in one index or
the other, so the newest matches of both are the newest of all. The marks decide
only how much the first finds (how often the second is still read), never which
results a reader gets: an article unmarked too early, or marked too long, costs
time only.

New articles are marked (the column's default). `search_recent_refresh`, run by the
background job `search_recent`, moves the marks toward each edition's newest
RECENT_ARTICLES: it marks the unmarked among them, newest first, then unmarks
older ones, a bounded batch a run, skipping rows an editor has locked. A mark is
a row update (not seen by readers: no trigger, signal or purge follows it).
"""

from django.conf import settings
from django.db import transaction

from articles.models import Article

# Enough for the candidates of any word in one article of 250 or more at the default
# 200 candidates (ALWAGHT_SEARCH_CANDIDATES; 50,000 / that in general); the index of
# every article is read only for rarer words (whose posting lists are short) and for
# words that seldom meet.
RECENT_ARTICLES = 50_000
BATCH = 5_000  # rows a run: about a second at 300,000 articles


def search_recent_refresh(*, limit: int = BATCH) -> int:
    """Mark or unmark up to `limit` articles toward each edition's newest RECENT_ARTICLES.

    Return how many marks moved: 0 once every edition's newest are marked and no
    older article is.
    """
    moved = 0
    for language, _name in settings.LANGUAGES:
        newest_first = (
            Article.objects.filter(language=language, publish_at__isnull=False)
            .order_by("-publish_at")
            .values_list("publish_at", flat=True)
        )
        # The publish time of the edition's RECENT_ARTICLES-th newest article, if it has so many.
        bound = next(iter(newest_first[RECENT_ARTICLES - 1 : RECENT_ARTICLES]), None)
        edition = Article.objects.filter(language=language, publish_at__isnull=False)
        newer = edition if bound is None else edition.filter(publish_at__gte=bound)
        moved += _marks_set(newer.filter(search_recent=False), True, limit - moved, "-publish_at")
        if bound is not None:
            older = edition.filter(search_recent=True, publish_at__lt=bound)
            moved += _marks_set(older, False, limit - moved, "publish_at")
    return moved


def _marks_set(articles, marked: bool, limit: int, order: str) -> int:
    if limit <= 0:
        return 0
    with transaction.atomic():
        ids = list(
            articles.order_by(order)
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        return Article.objects.filter(pk__in=ids).update(search_recent=marked)
