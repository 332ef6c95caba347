"""Which change makes which pages stale (scopes are listed in pagecache/kinds.py).

The same scopes key the rendered fragments of web/fragments.py (the site menu,
an article's main column and comments, a list's cards, the site-wide blocks).

| change (save or delete)                          | scopes bumped                  |
|--------------------------------------------------|--------------------------------|
| article, its notes, related picks, tags, topics  | its edition                    |
| Editor's Choice slot                             | its article's edition          |
| a tag (rename)                                   | every edition                  |
| a section, a photo (not a new upload)            | everything (and the menu)      |
| an In Focus topic                                | topics                         |
| a gallery, its photos, a film, a map             | media                          |
| a comment becoming or ceasing to be approved     | its article's page only        |
| articles linked or unlinked as counterparts      | their editions                 |

Saving an article readers neither saw nor see nor will by the clock (a
draft) changes no page; a scheduled one bumps its edition (see article_saved).
Deletes, and saves that take an article or a gallery item away from readers,
are "hard": no stale copy built before them is served (see middleware.py).
Every change makes the next scheduled change be looked up again.
Bulk writes that skip model signals send a signal of their own instead
(`comments.signals.comments_moderated`, `articles.signals.counterparts_changed`).
"""

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone
from taggit.models import Tag

from articles.models import (
    Article,
    ArticleNote,
    Author,
    EditorsChoice,
    RelatedArticle,
    Section,
    TaggedArticle,
    Topic,
)
from articles.signals import counterparts_changed
from comments.models import Comment
from comments.signals import comments_moderated
from media.models import Film, GalleryPhoto, Map, Photo, PhotoGallery
from pagecache.kinds import MEDIA, TOPICS
from pagecache.versions import every_scope, pages_changed

UID = "pagecache"


def edition_scopes(article_ids) -> list[str]:
    """Return the edition scopes of `article_ids` (no query with a single edition)."""
    if len(settings.LANGUAGES) == 1:
        return [f"ed:{settings.LANGUAGES[0][0]}"]
    languages = Article.objects.filter(pk__in=list(article_ids)).values_list("language", flat=True)
    return [f"ed:{language}" for language in set(languages)]


def article_saving(sender, instance, raw=False, **kwargs):
    """Remember what readers saw of the article before this save (one query)."""
    instance._pagecache_before = None
    if raw or instance._state.adding:
        return
    instance._pagecache_before = (
        Article.objects.filter(pk=instance.pk)
        .values_list("language", "status", "publish_at", "unpublish_at")
        .first()
    )


def article_saved(sender, instance, raw=False, **kwargs):
    """Refresh its edition if readers saw it before, see it now, or will by the clock.

    Saving a draft changes no page. Saving a scheduled article changes no page
    yet, but it bumps its edition all the same: what was cached before (whole
    pages and rendered fragments, web/fragments.py) expires at the next
    scheduled change as known when it was stored, and this one may come sooner.
    """
    if raw:
        return
    before = getattr(instance, "_pagecache_before", None)
    was_live = before is not None and _live(*before[1:])
    is_live = instance.is_live
    scopes = []
    if is_live or _scheduled(instance):
        scopes.append(f"ed:{instance.language}")
    if was_live:
        scopes.append(f"ed:{before[0]}")
    pages_changed(scopes, hard=was_live and not is_live)


def _live(status, publish_at, unpublish_at) -> bool:
    now = timezone.now()
    return (
        status == Article.Status.PUBLISHED
        and publish_at is not None
        and publish_at <= now
        and (unpublish_at is None or unpublish_at > now)
    )


def _scheduled(article) -> bool:
    return (
        article.status == Article.Status.PUBLISHED
        and article.publish_at is not None
        and article.publish_at > timezone.now()
    )


def article_deleted(sender, instance, **kwargs):
    pages_changed([f"ed:{instance.language}"], hard=True)


def article_part_changed(sender, instance, raw=False, **kwargs):
    """Notes, related picks, tag links, Editor's Choice slots: the article's edition."""
    if raw:
        return
    article_id = getattr(instance, "article_id", None) or instance.content_object_id
    pages_changed(edition_scopes([article_id]), hard=kwargs.get("signal") is post_delete)


def article_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        pages_changed(edition_scopes([instance.pk]))
    elif pk_set:
        pages_changed(edition_scopes(pk_set))
    else:  # topic.articles.clear(): the articles are gone from the link table
        pages_changed(every_scope())


def everything_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pages_changed(every_scope(), hard=kwargs.get("signal") is post_delete)


def photo_saved(sender, instance, created, raw=False, **kwargs):
    """A new upload is on no page yet; a changed caption or crop is on many."""
    if raw or created:
        return
    pages_changed(every_scope())


def tag_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pages_changed([f"ed:{code}" for code, _name in settings.LANGUAGES])


def topic_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pages_changed([TOPICS], hard=kwargs.get("signal") is post_delete)


def media_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    deleted = kwargs.get("signal") is post_delete
    visible = getattr(instance, "is_live", True)  # a gallery's photo: as its gallery
    pages_changed([MEDIA], hard=deleted or not visible)


def comment_saving(sender, instance, raw=False, **kwargs):
    """Remember whether a moderator's edit takes an approved comment down."""
    if raw or instance._state.adding:
        instance._pagecache_was_approved = False
        return
    old = Comment.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    instance._pagecache_was_approved = old == Comment.Status.APPROVED


def comment_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    was_approved = getattr(instance, "_pagecache_was_approved", False)
    is_approved = instance.status == Comment.Status.APPROVED
    if was_approved or is_approved:
        pages_changed([f"article:{instance.article_id}"], hard=was_approved and not is_approved)


def comment_deleted(sender, instance, **kwargs):
    if instance.status == Comment.Status.APPROVED:
        pages_changed([f"article:{instance.article_id}"], hard=True)


def comments_were_moderated(sender, article_ids, **kwargs):
    pages_changed([f"article:{pk}" for pk in article_ids], hard=True)


def counterparts_were_linked(sender, article_ids, **kwargs):
    """Their pages' edition switcher and hreflang links changed: their editions."""
    pages_changed(edition_scopes(article_ids))


def connect() -> None:
    """Connect every receiver (called once, from PageCacheConfig.ready)."""
    both = (post_save, post_delete)
    pre_save.connect(article_saving, sender=Article, dispatch_uid=UID)
    post_save.connect(article_saved, sender=Article, dispatch_uid=UID)
    post_delete.connect(article_deleted, sender=Article, dispatch_uid=UID)
    for model in (ArticleNote, RelatedArticle, TaggedArticle, EditorsChoice):
        for signal in both:
            signal.connect(article_part_changed, sender=model, dispatch_uid=UID)
    m2m_changed.connect(article_topics_changed, sender=Article.topics.through, dispatch_uid=UID)
    for signal in both:
        signal.connect(everything_changed, sender=Section, dispatch_uid=UID)
        signal.connect(everything_changed, sender=Author, dispatch_uid=UID)  # bylines
        signal.connect(tag_changed, sender=Tag, dispatch_uid=UID)
        signal.connect(topic_changed, sender=Topic, dispatch_uid=UID)
        for model in (PhotoGallery, GalleryPhoto, Film, Map):
            signal.connect(media_changed, sender=model, dispatch_uid=UID)
    post_save.connect(photo_saved, sender=Photo, dispatch_uid=UID)
    post_delete.connect(everything_changed, sender=Photo, dispatch_uid=UID)
    pre_save.connect(comment_saving, sender=Comment, dispatch_uid=UID)
    post_save.connect(comment_saved, sender=Comment, dispatch_uid=UID)
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid=UID)
    comments_moderated.connect(comments_were_moderated, dispatch_uid=UID)
    counterparts_changed.connect(counterparts_were_linked, dispatch_uid=UID)
