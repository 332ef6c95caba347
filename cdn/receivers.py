"""Which change purges which surrogate keys (see cdn/keys.py for the keys).

| change                                         | keys purged                         |
|------------------------------------------------|-------------------------------------|
| an article appears or disappears (publish,     | its edition (it enters or leaves    |
| unpublish, delete)                             | every list)                         |
| a live article edited (text, photo)            | `article-<pk>`                      |
| a live article's tags or topics changed        | `article-<pk>`, `tag-`/`topic-` key |
| a comment becomes or stops being approved      | `comments-<article pk>`             |
| Editor's Choice slot                           | its article's edition               |
| a section (in every page's navigation)         | everything                          |
| a tag or topic                                 | its `tag-`/`topic-` key             |
| a photo edited (not a new upload)              | `photo-<pk>`                        |
| a gallery, a film, a map                       | `media`                             |

Edits of drafts and scheduled articles purge nothing: readers never saw them. A
scheduled article appears on cached pages within their s-maxage.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from articles.models import Article, EditorsChoice, Section, TaggedArticle
from cdn.keys import (
    SITE_KEY,
    article_key,
    comments_key,
    edition_key,
    photo_key,
    slug_key,
)
from cdn.purge import purge_keys
from comments.models import Comment
from comments.signals import comments_moderated as comments_moderated_signal
from media.models import Film, GalleryPhoto, Map, Photo, PhotoGallery
from topics.models import Topic

UID = "cdn"


def _was_live(instance) -> bool:
    return getattr(instance, "_cdn_was_live", False)


def article_saving(sender, instance, raw=False, **kwargs):
    """Remember whether readers could see the article before this save."""
    instance._cdn_was_live = False
    if raw or instance._state.adding:
        return
    before = Article.objects.filter(pk=instance.pk).select_related("section").first()
    instance._cdn_was_live = bool(before and before.is_live)
    instance._cdn_section_before = before.section if before else None


def article_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    was, now = _was_live(instance), instance.is_live
    if was != now:
        purge_keys([edition_key(instance.language)])  # it enters or leaves every list
    elif now:
        keys = [article_key(instance.pk)]
        before = getattr(instance, "_cdn_section_before", None)
        if before is not None and before.pk != instance.section_id:
            # Moved: its new section's pages do not carry its key yet.
            keys += [slug_key("section", before.slug), slug_key("section", instance.section.slug)]
        purge_keys(keys)


def article_deleted(sender, instance, **kwargs):
    purge_keys([edition_key(instance.language)])


def tagging_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    article = Article.objects.filter(pk=instance.content_object_id).first()
    if article is not None and article.is_live:
        purge_keys([article_key(article.pk), slug_key("tag", instance.tag.slug)])


def topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    if isinstance(instance, Article) and instance.is_live:
        slugs = Topic.objects.filter(pk__in=pk_set or ()).values_list("slug", flat=True)
        purge_keys([article_key(instance.pk), *(slug_key("topic", slug) for slug in slugs)])


def comment_saving(sender, instance, raw=False, **kwargs):
    instance._cdn_was_approved = False
    if not raw and not instance._state.adding:
        status = Comment.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        instance._cdn_was_approved = status == Comment.Status.APPROVED


def comment_saved(sender, instance, raw=False, **kwargs):
    approved = instance.status == Comment.Status.APPROVED
    if not raw and approved != getattr(instance, "_cdn_was_approved", False):
        purge_keys([comments_key(instance.article_id)])


def comment_deleted(sender, instance, **kwargs):
    if instance.status == Comment.Status.APPROVED:
        purge_keys([comments_key(instance.article_id)])


def comments_moderated(sender, article_ids, **kwargs):
    """Bulk moderation (an update that sends no model signals)."""
    purge_keys([comments_key(pk) for pk in article_ids])


def editors_choice_changed(sender, instance=None, raw=False, article_ids=(), **kwargs):
    if raw:
        return
    ids = [instance.article_id] if instance is not None else list(article_ids)
    languages = Article.objects.filter(pk__in=ids).values_list("language", flat=True)
    purge_keys([edition_key(language) for language in set(languages)])


def section_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        purge_keys([SITE_KEY])


def tag_or_topic_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        kind = "topic" if isinstance(instance, Topic) else "tag"
        purge_keys([slug_key(kind, instance.slug)])


def photo_changed(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        purge_keys([photo_key(instance.pk)])


def media_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        purge_keys(["media"])


def connect() -> None:
    """Connect every receiver (called once, from CdnConfig.ready)."""
    from taggit.models import Tag

    pre_save.connect(article_saving, sender=Article, dispatch_uid=UID)
    post_save.connect(article_saved, sender=Article, dispatch_uid=UID)
    post_delete.connect(article_deleted, sender=Article, dispatch_uid=UID)
    for signal in (post_save, post_delete):
        signal.connect(tagging_changed, sender=TaggedArticle, dispatch_uid=UID)
        signal.connect(editors_choice_changed, sender=EditorsChoice, dispatch_uid=UID)
        signal.connect(section_changed, sender=Section, dispatch_uid=UID)
        signal.connect(tag_or_topic_changed, sender=Tag, dispatch_uid=UID)
        signal.connect(tag_or_topic_changed, sender=Topic, dispatch_uid=UID)
        signal.connect(photo_changed, sender=Photo, dispatch_uid=UID)
        for model in (PhotoGallery, GalleryPhoto, Film, Map):
            signal.connect(media_changed, sender=model, dispatch_uid=UID)
    m2m_changed.connect(topics_changed, sender=Article.topics.through, dispatch_uid=UID)
    pre_save.connect(comment_saving, sender=Comment, dispatch_uid=UID)
    post_save.connect(comment_saved, sender=Comment, dispatch_uid=UID)
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid=UID)
    comments_moderated_signal.connect(comments_moderated, dispatch_uid=UID)
