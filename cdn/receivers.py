"""Which change purges which surrogate keys (see cdn/keys.py for the keys).

| change                                         | keys purged                         |
|------------------------------------------------|-------------------------------------|
| an article appears or disappears (publish,     | its edition (it enters or leaves    |
| unpublish, delete)                             | every list); with counterparts, its |
|                                                | and their `article-<pk>`            |
| counterparts linked or unlinked                | their `article-<pk>`                |
| a live article edited (text, photo)            | `article-<pk>`                      |
| ... moved to another section, or author        | and both sections' or authors' keys |
| a live article's notes or related picks        | `article-<pk>`                      |
| a live article's tags or topics changed        | `article-<pk>`, `tag-`/`topic-` key |
| (from either side: topic.articles.add() too)   |                                     |
| a comment becomes or stops being approved      | `comments-<article pk>`             |
| Editor's Choice slot                           | its article's edition               |
| a section (in every page's navigation)         | everything                          |
| a tag or topic (renamed: old and new slug)     | its `tag-`/`topic-` keys            |
| an author (name, bio, photo, slug; deleted)    | `author-<slug>` (old and new): their |
|                                                | page, feeds and bylines; and the     |
|                                                | `article-<pk>` of their latest       |
|                                                | FEED_LENGTH live articles (feeds     |
|                                                | name authors without linking them)   |
| a standing page (About, Privacy...)            | `page-<slug>` (old and new)         |
| a photo edited (not a new upload)              | `photo-<pk>`                        |
| a gallery, a film, a map                       | `media`                             |

Edits of drafts and scheduled articles purge nothing: readers never saw them. A
scheduled article appears on cached pages within their s-maxage. Creating an
author, tag, topic or standing page purges its key too: a reader may have been
answered 404 at its address, and a CDN keeps 404s.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from articles.feeds import FEED_LENGTH
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
from articles.signals import counterparts_changed as counterparts_changed_signal
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

UID = "cdn"
# alwaght.Page, named lazily: the site app sits beside this one, not below it.
STANDING_PAGE = "alwaght.Page"


def _was_live(instance) -> bool:
    return getattr(instance, "_cdn_was_live", False)


def article_saving(sender, instance, raw=False, **kwargs):
    """Remember whether readers could see the article before this save."""
    instance._cdn_was_live = False
    if raw or instance._state.adding:
        return
    before = Article.objects.filter(pk=instance.pk).select_related("section", "author").first()
    instance._cdn_was_live = bool(before and before.is_live)
    instance._cdn_section_before = before.section if before else None
    instance._cdn_author_before = before.author if before else None


def article_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    was, now = _was_live(instance), instance.is_live
    if was != now:
        # It enters or leaves every list; its counterparts' pages gain or lose a link.
        purge_keys([edition_key(instance.language), *_counterpart_keys(instance)])
    elif now:
        keys = [article_key(instance.pk)]
        before = getattr(instance, "_cdn_section_before", None)
        if before is not None and before.pk != instance.section_id:
            # Moved: its new section's pages do not carry its key yet.
            keys += [slug_key("section", before.slug), slug_key("section", instance.section.slug)]
        author_before = getattr(instance, "_cdn_author_before", None)
        if getattr(author_before, "pk", None) != instance.author_id:
            # A new byline: its new author's page and feeds do not carry its key yet.
            keys += [
                slug_key("author", author.slug)
                for author in (author_before, instance.author)
                if author is not None
            ]
        purge_keys(keys)


def article_deleted(sender, instance, **kwargs):
    purge_keys([edition_key(instance.language), *_counterpart_keys(instance)])


def _counterpart_keys(article) -> list[str]:
    """Return the keys of `article` and its counterparts, whose pages link to one another."""
    if article.translation_group is None:
        return []  # most articles: no query
    group = Article.objects.filter(translation_group=article.translation_group)
    return [article_key(article.pk), *map(article_key, group.values_list("pk", flat=True))]


def counterparts_changed(sender, article_ids, **kwargs):
    """Counterparts linked or unlinked (an update that sends no model signals)."""
    purge_keys([article_key(pk) for pk in article_ids])


def tagging_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    article = Article.objects.filter(pk=instance.content_object_id).first()
    if article is not None and article.is_live:
        purge_keys([article_key(article.pk), slug_key("tag", instance.tag.slug)])


def article_part_changed(sender, instance, raw=False, **kwargs):
    """A note or a related pick: shown on its article's page only."""
    if raw:
        return
    if Article.objects.published().filter(pk=instance.article_id).exists():
        purge_keys([article_key(instance.article_id)])


def topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear":  # remember what is linked: post_clear's pk_set is None
        linked = instance.articles if reverse else instance.topics
        instance._cdn_cleared = list(linked.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_cdn_cleared", ())
    if not reverse:  # article.topics.add(...)
        if instance.is_live:
            slugs = Topic.objects.filter(pk__in=pk_set or ()).values_list("slug", flat=True)
            purge_keys([article_key(instance.pk), *(slug_key("topic", slug) for slug in slugs)])
    else:  # topic.articles.add(...)
        live = Article.objects.published().filter(pk__in=pk_set or ()).values_list("pk", flat=True)
        if live:
            purge_keys([slug_key("topic", instance.slug), *map(article_key, live)])


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


def slug_saving(sender, instance, raw=False, **kwargs):
    """Remember the slug a tag, topic, author or standing page had, in case it changes."""
    instance._cdn_slug_before = None
    if not raw and not instance._state.adding:
        before = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True)
        instance._cdn_slug_before = before.first()


def _slug_keys(kind: str, instance) -> list[str]:
    """Return the keys of `instance`'s slug, and of its slug before this save."""
    return [
        slug_key(kind, slug)
        for slug in {getattr(instance, "_cdn_slug_before", None), instance.slug}
        if slug
    ]


def tag_or_topic_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        purge_keys(_slug_keys("topic" if isinstance(instance, Topic) else "tag", instance))


def author_changed(sender, instance, raw=False, **kwargs):
    """Purge the author's page, feeds and bylines (its key), and the feeds naming them."""
    if raw:
        return
    latest = (
        Article.objects.published()
        .filter(author=instance.pk)
        .order_by("-publish_at")
        .values_list("pk", flat=True)[:FEED_LENGTH]
    )
    purge_keys([*_slug_keys("author", instance), *map(article_key, latest)])


def page_changed(sender, instance, raw=False, **kwargs):
    """A standing page: shown on its own address, in its edition and those without one."""
    if not raw:
        purge_keys(_slug_keys("page", instance))


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
        signal.connect(page_changed, sender=STANDING_PAGE, dispatch_uid=UID)
        for model in (ArticleNote, RelatedArticle):
            signal.connect(article_part_changed, sender=model, dispatch_uid=UID)
        signal.connect(photo_changed, sender=Photo, dispatch_uid=UID)
        for model in (PhotoGallery, GalleryPhoto, Film, Map):
            signal.connect(media_changed, sender=model, dispatch_uid=UID)
    for model in (Tag, Topic, Author, STANDING_PAGE):
        pre_save.connect(slug_saving, sender=model, dispatch_uid=UID)
    post_save.connect(author_changed, sender=Author, dispatch_uid=UID)
    # Before the delete: its articles' bylines are unset (SET_NULL) by then.
    pre_delete.connect(author_changed, sender=Author, dispatch_uid=UID)
    m2m_changed.connect(topics_changed, sender=Article.topics.through, dispatch_uid=UID)
    pre_save.connect(comment_saving, sender=Comment, dispatch_uid=UID)
    post_save.connect(comment_saved, sender=Comment, dispatch_uid=UID)
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid=UID)
    comments_moderated_signal.connect(comments_moderated, dispatch_uid=UID)
    counterparts_changed_signal.connect(counterparts_changed, dispatch_uid=UID)
