"""The site-wide blocks of the reference page, composed once for every page that shows them.

The front page lays them out around its lead story; the article page shows them
around the article. Both read them from `site_blocks()`, so what each block holds
is decided here only. On the article page they are the same for every article,
so they are rendered once per change (`cached_blocks_html()`, a fragment of
web/fragments.py): keyed by the tokens of the scopes they show (the edition, the
photo library, the topics), which every change to what they show bumps, and
expiring no later than the next scheduled change or the next Most Viewed
refresh. The article and front pages then pay one cache read for all the
blocks, at 5 or 50 000 articles alike.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from articles.models import Article, EditorsChoice, Topic
from articles.schedule import next_scheduled_change
from media.models import Film, Map, PhotoGallery
from popularity.services import most_viewed_tabs
from web.fragments import cached_fragment
from web.scopes import MEDIA, TOPICS, edition_scope, most_viewed_scope

EDITORS_CHOICE_LIMIT = 7
NEWS_LIMIT = 8
GALLERY_LIMIT = 4


def site_blocks(language: str, now: datetime | None = None) -> dict:
    """Return what the site-wide blocks show for one edition (a fixed number of queries).

    News leaves out the articles already in Editor's Choice; Exclusive is the
    newest exclusive photo gallery or film.
    """
    now = now or timezone.now()
    slots = list(EditorsChoice.objects.current(language, now)[:EDITORS_CHOICE_LIMIT])
    chosen_ids = [slot.article_id for slot in slots]
    news = list(
        Article.objects.for_listing().in_language(language).exclude(pk__in=chosen_ids)[:NEWS_LIMIT]
    )
    galleries = list(
        PhotoGallery.objects.published(now).in_language(language).with_photos()[:GALLERY_LIMIT]
    )
    films = list(
        Film.objects.published(now).in_language(language).select_related("poster")[:GALLERY_LIMIT]
    )
    exclusive_candidates = [
        PhotoGallery.objects.published(now)
        .in_language(language)
        .filter(exclusive=True)
        .with_photos()
        .first(),
        Film.objects.published(now)
        .in_language(language)
        .filter(exclusive=True)
        .select_related("poster")
        .first(),
    ]
    exclusive = max(
        filter(None, exclusive_candidates), key=lambda item: item.publish_at, default=None
    )
    return {
        "editors_choice": [slot.article for slot in slots],
        "news": news,
        "most_viewed": most_viewed_tabs(language),
        "in_focus": list(Topic.objects.in_focus(language)),
        "map": Map.objects.published(now).in_language(language).select_related("photo").first(),
        "galleries": galleries,
        "films": films,
        "exclusive": exclusive,
        "exclusive_is_film": isinstance(exclusive, Film),
    }


def blocks_scopes(language: str) -> list[str]:
    """Return the scopes whose changes change the blocks (web/scopes.py).

    An edition's articles and Editor's Choice, the photo library (galleries,
    films, the map), the In Focus topics; sections and photos bump them all
    (pagecache/invalidation.py says which change bumps which). And the edition's
    Most Viewed lists, bumped by the background job when it stores new ones.
    """
    return [edition_scope(language), MEDIA, TOPICS, most_viewed_scope(language)]


def cached_blocks_html(
    language: str, render: Callable[[dict], str], *, name: str = "aside", off: bool = False
) -> str:
    """Return the blocks as `render(site_blocks(...))` made them, from cache when current.

    `name` tells layouts apart (the article page's side column, the front page).
    The key carries the edition and the tokens of `blocks_scopes()`; the entry
    expires at the next scheduled change and at least as often as Most Viewed is
    recomputed (so that block lags by at most MOST_VIEWED_CACHE_SECONDS).
    """

    def until():
        now = timezone.now()
        refresh = now + timedelta(seconds=settings.MOST_VIEWED_CACHE_SECONDS)
        change = next_scheduled_change(now)
        return refresh if change is None else min(change, refresh)

    return cached_fragment(
        f"blocks-{name}",
        [],
        blocks_scopes(language),
        lambda: render(site_blocks(language)),
        until=until,
        off=off,
    )
