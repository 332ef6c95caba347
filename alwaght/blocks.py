"""The site-wide blocks of the reference page, composed once for every page that shows them.

The front page lays them out around its lead story; the article page shows them
around the article. Both read them from `site_blocks()`, so what each block holds
is decided here only. On the article page they are the same for every article,
so they are rendered once per change (`cached_blocks_html()`): a version number
bumped by every save or delete of what they show, and an expiry no later than the
next scheduled change or the next Most Viewed refresh. The article page then pays
one cache read for all seven blocks, at 5 or 50 000 articles alike.
"""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from articles.models import Article, EditorsChoice, Section
from media.models import Film, GalleryPhoto, Map, Photo, PhotoGallery
from popularity.services import most_viewed_tabs
from topics.models import Topic

EDITORS_CHOICE_LIMIT = 7
NEWS_LIMIT = 8
GALLERY_LIMIT = 4
VERSION_KEY = "alwaght:blocks:version"

# Saving or deleting any of these can change what a block shows.
SHOWN_MODELS = (
    Article,
    EditorsChoice,
    Section,
    Topic,
    Photo,
    PhotoGallery,
    GalleryPhoto,
    Film,
    Map,
)


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


def next_scheduled_change(now: datetime) -> datetime | None:
    """Return when the blocks next change by the clock alone (a publish or expiry time).

    One query: the earliest future time of each kind, in a UNION ALL.
    """
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    timed = [
        (published, "publish_at"),
        (published, "unpublish_at"),
        (EditorsChoice.objects.all(), "until"),
        *(
            (model.objects.filter(status=model.Status.PUBLISHED), field)
            for model in (PhotoGallery, Film, Map)
            for field in ("publish_at", "unpublish_at")
        ),
    ]
    first_of_each = [
        queryset.filter(**{f"{field}__gt": now}).order_by(field).values_list(field)[:1]
        for queryset, field in timed
    ]
    times = first_of_each[0].union(*first_of_each[1:], all=True)
    return min((at for (at,) in times), default=None)


def blocks_version() -> int:
    """Return the current version of the blocks' content (0 before any change)."""
    return cache.get_or_set(VERSION_KEY, 0, timeout=None)


def blocks_changed(**kwargs) -> None:
    """Make every cached rendering of the blocks stale (a signal receiver)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted: any new value differs from the old keys
        cache.set(VERSION_KEY, int(timezone.now().timestamp()), timeout=None)


def cached_blocks_html(language: str, render: Callable[[dict], str]) -> str:
    """Return the blocks as `render(site_blocks(...))` made them, from cache when current.

    The key carries the edition and the content version; the entry expires at
    the next scheduled change and at least as often as Most Viewed is recomputed.
    """
    key = f"alwaght:blocks:html:{language}:{blocks_version()}"
    html = cache.get(key)
    if html is None:
        now = timezone.now()
        html = render(site_blocks(language, now))
        timeout = settings.MOST_VIEWED_CACHE_SECONDS
        change = next_scheduled_change(now)
        if change is not None:
            timeout = max(1, min(timeout, int((change - now).total_seconds()) + 1))
        cache.set(key, html, timeout)
    return html


def connect_receivers() -> None:
    """Bump the blocks' version whenever something they show is saved or deleted."""
    for model in SHOWN_MODELS:
        uid = f"alwaght.blocks.{model._meta.label_lower}"
        post_save.connect(blocks_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(blocks_changed, sender=model, dispatch_uid=f"{uid}.delete")
