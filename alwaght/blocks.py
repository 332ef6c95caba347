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

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from articles.models import Article, EditorsChoice, Topic
from articles.schedule import next_change_remembered
from media.models import Film, Map, PhotoGallery
from popularity.services import most_viewed_tabs
from web.fragments import cached_fragment
from web.scopes import MEDIA, TOPICS, edition_scope, most_viewed_scope

EDITORS_CHOICE_LIMIT = 7
NEWS_LIMIT = 8
GALLERY_LIMIT = 4
# Beside an article, Editor's Choice and News leave out the article and the headlines
# its column already shows (Related Content, More in section, previous and next:
# at most 5 + 4 + 2), so they are rendered with this many more, marked, and each
# page keeps the first of its list that it does not show already (`leave_out`).
RAIL_SPARE = 12
_LIST = re.compile(r'(<ol class="(?:headlines|ranked)"(?: data-limit="(\d+)")?>)(.*?)(</ol>)', re.S)
_ITEM = re.compile(r'\s*<li class="(?:headlines|ranked)__item" data-article="(\d+)">.*?</li>', re.S)


def site_blocks(language: str, now: datetime | None = None, spare: int = 0) -> dict:
    """Return what the site-wide blocks show for one edition (a fixed number of queries).

    News leaves out the articles already in Editor's Choice; Exclusive is the
    newest exclusive photo gallery or film. With `spare`, Editor's Choice and News
    hold that many more, for `leave_out` to pick from.
    """
    now = now or timezone.now()
    slots = list(EditorsChoice.objects.current(language, now)[: EDITORS_CHOICE_LIMIT + spare])
    chosen_ids = [slot.article_id for slot in slots[:EDITORS_CHOICE_LIMIT]]
    news = list(
        Article.objects.for_listing()
        .in_language(language)
        .exclude(pk__in=chosen_ids)[: NEWS_LIMIT + spare]
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
        "rail_limits": {"editors_choice": EDITORS_CHOICE_LIMIT, "news": NEWS_LIMIT}
        if spare
        else {},
    }


def leave_out(html: str, shown: set[int], reading: int | None) -> str:
    """Return the rendered side blocks without what the page already shows.

    Lists rendered with a limit (Editor's Choice, News, with spares) lose the
    article being read and the headlines in `shown`, then keep their first
    `limit`; ranked lists (Most Viewed) lose only the article being read and keep
    their order. Pure string work on our own template's markup: no query.
    """

    on_page = set(shown)

    def one_list(match: re.Match) -> str:
        opening, limit, items, closing = match.groups()
        if not _ITEM.search(items):  # an empty list's message: as rendered
            return match.group(0)
        if limit is None:
            kept = [item for item in _ITEM.finditer(items) if int(item.group(1)) != reading]
        else:
            kept = [
                item
                for item in _ITEM.finditer(items)
                if int(item.group(1)) not in on_page and int(item.group(1)) != reading
            ][: int(limit)]
            on_page.update(int(item.group(1)) for item in kept)  # News repeats no choice
        return opening + "".join(item.group(0) for item in kept) + "\n" + closing

    return _LIST.sub(one_list, html)


def blocks_scopes(language: str) -> list[str]:
    """Return the scopes whose changes change the blocks (web/scopes.py).

    An edition's articles and Editor's Choice, the photo library (galleries,
    films, the map), the In Focus topics; sections and photos bump them all
    (pagecache/invalidation.py says which change bumps which). And the edition's
    Most Viewed lists, bumped by the background job when it stores new ones.
    """
    return [edition_scope(language), MEDIA, TOPICS, most_viewed_scope(language)]


def cached_blocks_html(
    language: str,
    render: Callable[[dict], str],
    *,
    name: str = "aside",
    off: bool = False,
    spare: int = 0,
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
        change = next_change_remembered(now)
        return refresh if change is None else min(change, refresh)

    return cached_fragment(
        f"blocks-{name}",
        [],
        blocks_scopes(language),
        lambda: render(site_blocks(language, spare=spare)),
        until=until,
        off=off,
    )
