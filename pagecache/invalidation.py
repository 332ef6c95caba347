"""What each write touches: one table, from a change to the scopes it touches.

Every cache layer follows the scopes named here (web/scopes.py has the names):
a write is turned once, from one snapshot of the row before it and the row
after, into a `Touched` (a set of scopes, and whether something was taken from
readers), and `scopes_changed()` then

- gives those scopes fresh tokens, which cached pages (pagecache/kinds.py says
  which scopes each page depends on) and rendered fragments (web/fragments.py)
  are keyed by, as are the masthead's sections (articles/navigation.py) and the
  Most Viewed lists each app server keeps (popularity/services.py);
- once committed, purges the same names from a CDN (cdn/apps.py): every page's
  surrogate keys are the scopes it depends on plus the ones it links to.

| write (save or delete)                            | scopes touched                        |
|---------------------------------------------------|---------------------------------------|
| an article readers see, saw, or will by the clock | its edition; and, if they see or saw  |
|                                                   | it, `article:<pk>`                    |
| ... that appears or disappears                    | and its counterparts' editions and    |
|                                                   | `article:<pk>`s (they link to it)     |
| ... moved to another section, or another byline   | and both sections' or authors' scopes |
| a visible article's notes, related picks, tag     | its edition and `article:<pk>`, and   |
| links, topics (from either side)                  | the tag's or topics' scopes           |
| an Editor's Choice slot                           | its article's edition                 |
| articles linked or unlinked as counterparts       | their editions and `article:<pk>`s    |
| a section                                         | everything, and `section:<slug>`s     |
| an author                                         | every edition, `author:<slug>`s       |
| a tag                                             | every edition, `tag:<slug>`s          |
| an In Focus topic                                 | `topics`, `topic:<slug>`s             |
| a standing page (About, Privacy...)               | `page:<slug>`s                        |
| a photo (not a new upload)                        | everything, `photo:<pk>`              |
| a gallery, its photos, a film, a map              | `media`                               |
| a comment becoming or ceasing to be approved      | `comments:<article pk>`               |
| the background job storing Most Viewed lists      | `most-viewed:<edition>`               |

Slugs are taken before and after the save, so a rename touches both. Saving a
draft touches nothing; a scheduled article touches its edition (what was cached
expires at the next scheduled change as known when it was stored, and this one
may come sooner). Deletes, and saves that take something away from readers (an
article hidden; a section, tag, topic, author or standing page moved to a new
slug, whose old address then answers 404), are "hard": no stale copy built before
them is served (pagecache/middleware.py). Bulk writes that skip model signals
send a signal of their own instead (`comments.signals.comments_moderated`,
`articles.signals.counterparts_changed`). Creating an author, tag, topic or
standing page touches its scope too: a reader (or a CDN, which keeps 404s) may
have been answered 404 at its address, and the pages and feeds of a section, tag,
topic or author are kept under its scope (pagecache/kinds.py), so that 404 is
stale at once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from articles.models import (
    Article,
    ArticleNote,
    EditorsChoice,
    RelatedArticle,
    TaggedArticle,
    Topic,
)
from articles.signals import counterparts_changed
from comments.models import Comment
from comments.signals import comments_moderated
from media.models import Film, GalleryPhoto, Map, Photo, PhotoGallery
from web.scopes import (
    MEDIA,
    TOPICS,
    article_scope,
    comments_scope,
    edition_scope,
    every_edition,
    every_scope,
    photo_scope,
    scopes_changed,
    slug_scope,
)

UID = "invalidation"
# alwaght.Page, named lazily: the site app sits beside this one, not below it.
STANDING_PAGE = "alwaght.Page"


@dataclass
class Touched:
    """What one write touched: scopes, and whether it took something from readers."""

    scopes: set[str] = field(default_factory=set)
    hard: bool = False


def apply(touched: Touched) -> None:
    """Feed what a write touched to every cache layer (web/scopes.py)."""
    if touched.scopes:
        scopes_changed(sorted(touched.scopes), hard=touched.hard)


# -- articles ------------------------------------------------------------------------
# One snapshot before the save (pre_save, one query), compared with the instance
# after it. Visibility is the model's own rule (Publishable.visibility_key).

_SNAPSHOT_FIELDS = (
    "language",
    "status",
    "publish_at",
    "unpublish_at",
    "translation_group",
    "section__slug",
    "author__slug",
)


def article_snapshot(pk) -> Article | None:
    """Return the article as stored: what readers saw of it, its section and byline."""
    return (
        Article.objects.filter(pk=pk)
        .select_related("section", "author")
        .only(*_SNAPSHOT_FIELDS)
        .first()
    )


def article_touches(before: Article | None, after: Article) -> Touched:
    """Return what saving `after` (stored as `before`, None if new) touched."""
    was = before is not None and before.is_live
    now = after.is_live
    touched = Touched(hard=was and not now)
    if now or after.visibility_key == "scheduled":
        touched.scopes.add(edition_scope(after.language))
    if was:
        touched.scopes |= {edition_scope(before.language), article_scope(before.pk)}
    if now:
        touched.scopes.add(article_scope(after.pk))
    if was != now:
        touched.scopes |= counterpart_scopes(after)
    elif was:  # stayed visible: its new section's and author's pages do not list it yet
        if before.section_id != after.section_id:
            touched.scopes |= _slugs("section", before.section, after.section)
        if before.author_id != after.author_id:
            touched.scopes |= _slugs("author", before.author, after.author)
    return touched


def counterpart_scopes(article: Article) -> set[str]:
    """Return the scopes of `article`'s counterparts, whose pages link to it (a query
    only when it has some)."""
    if article.translation_group is None:
        return set()
    group = Article.objects.filter(translation_group=article.translation_group).exclude(
        pk=article.pk
    )
    return {
        scope
        for pk, language in group.values_list("pk", "language")
        for scope in (article_scope(pk), edition_scope(language))
    }


def _slugs(kind: str, *rows) -> set[str]:
    return {slug_scope(kind, row.slug) for row in rows if row is not None and row.slug}


def article_saving(sender, instance, raw=False, **kwargs):
    instance._stored = None if raw or instance._state.adding else article_snapshot(instance.pk)


def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        apply(article_touches(getattr(instance, "_stored", None), instance))


def article_deleted(sender, instance, **kwargs):
    scopes = {edition_scope(instance.language), article_scope(instance.pk)}
    apply(Touched(scopes | counterpart_scopes(instance), hard=True))


def visible_article_touches(article_id, *extra: str, hard: bool = False) -> Touched:
    """Return what a change to a part of an article touched: nothing unless readers see it."""
    article = Article.objects.filter(pk=article_id).only(*_SNAPSHOT_FIELDS[:4]).first()
    if article is None or not article.is_live:
        return Touched()
    return Touched({edition_scope(article.language), article_scope(article_id), *extra}, hard)


def article_part_changed(sender, instance, raw=False, **kwargs):
    """A note, a related pick or a tag link: its article, if readers see it."""
    if raw:
        return
    deleted = kwargs["signal"] is post_delete
    if isinstance(instance, TaggedArticle):
        tag = slug_scope("tag", instance.tag.slug)
        apply(visible_article_touches(instance.content_object_id, tag, hard=deleted))
    else:
        apply(visible_article_touches(instance.article_id, hard=deleted))


def article_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Topics linked or unlinked, from either side: the visible articles and the topics."""
    if action == "pre_clear":  # post_clear's pk_set is None: remember what is linked
        linked = instance.articles if reverse else instance.topics
        instance._linked_before_clear = set(linked.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_linked_before_clear", set())
    hard = action != "post_add"
    if not reverse:  # article.topics.add(...)
        slugs = Topic.objects.filter(pk__in=pk_set or ()).values_list("slug", flat=True)
        topics = [slug_scope("topic", slug) for slug in slugs]
        apply(visible_article_touches(instance.pk, *topics, hard=hard))
    else:  # topic.articles.add(...)
        visible = Article.objects.published().filter(pk__in=pk_set or ())
        touched = Touched(hard=hard)
        for pk, language in visible.values_list("pk", "language"):
            touched.scopes |= {article_scope(pk), edition_scope(language)}
        if touched.scopes:
            touched.scopes.add(slug_scope("topic", instance.slug))
        apply(touched)


def editors_choice_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Remember the edition stored before this save: a slot given another edition's
    story leaves that edition's front page, which must not keep showing it. Only a save
    that may write its story asks: renumbering a list saves each slot's place alone."""
    instance._stored_language = None
    moves_story = update_fields is None or "article" in update_fields
    if not raw and not instance._state.adding and moves_story:
        stored = sender._default_manager.filter(pk=instance.pk).values_list("language", flat=True)
        instance._stored_language = stored.first()


def editors_choice_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # The slot carries its edition (articles/models/curation.py), and the one it had.
    editions = {instance.language, getattr(instance, "_stored_language", None)} - {None}
    apply(Touched({edition_scope(code) for code in editions}, hard=kwargs["signal"] is post_delete))


def counterparts_were_linked(sender, article_ids, **kwargs):
    """Linked or unlinked (an update that sends no model signals): their switchers."""
    rows = Article.objects.filter(pk__in=list(article_ids)).values_list("pk", "language")
    apply(Touched({s for pk, lang in rows for s in (article_scope(pk), edition_scope(lang))}))


# -- what every page shows: sections, bylines, tags, topics, standing pages, photos ---


def slug_saving(sender, instance, raw=False, **kwargs):
    """Remember the slug stored before this save, in case it changes."""
    instance._stored_slug = None
    if not raw and not instance._state.adding:
        stored = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True)
        instance._stored_slug = stored.first()


def slug_scopes(kind: str, instance) -> set[str]:
    """Return the scopes of `instance`'s slug and of its slug before this save."""
    slugs = {getattr(instance, "_stored_slug", None), instance.slug}
    return {slug_scope(kind, slug) for slug in slugs if slug}


_NAMED_ROWS = {
    # model: (its scopes' kind, the scopes every change to it touches)
    "articles.Section": ("section", every_scope),  # every page's menu and labels
    "articles.Author": ("author", every_edition),  # bylines
    "taggit.Tag": ("tag", every_edition),
    "articles.Topic": ("topic", lambda: [TOPICS]),
    # A standing page: its own address only (the footer's links to them are fixed).
    STANDING_PAGE: ("page", list),
}


def named_row_changed(sender, instance, raw=False, **kwargs):
    """A section, author, tag, topic or standing page: its slugs, and what shows it.

    Deleting one, or moving it to a new slug, takes its page (and feeds) from
    readers at the address they had: that is hard, so no copy from before is served
    while they are rebuilt (their kinds depend on its scope: pagecache/kinds.py).
    """
    if raw:
        return
    kind, shown_on = _NAMED_ROWS[sender._meta.label]
    stored_slug = getattr(instance, "_stored_slug", None)
    moved = stored_slug is not None and stored_slug != instance.slug
    hard = kwargs["signal"] is post_delete or moved
    touched = Touched(slug_scopes(kind, instance), hard=hard)
    # A new tag, topic or author is on no page yet but its own (and the articles
    # then linked to it touch their pages); a new section is in every menu.
    if not kwargs.get("created") or kind == "section":
        touched.scopes.update(shown_on())
    apply(touched)


def photo_changed(sender, instance, raw=False, created=False, **kwargs):
    """A new upload is on no page yet; a changed caption, credit or crop may be on any."""
    if raw or created:
        return
    deleted = kwargs["signal"] is post_delete
    apply(Touched({photo_scope(instance.pk), *every_scope()}, hard=deleted))


def media_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    deleted = kwargs["signal"] is post_delete
    visible = getattr(instance, "is_live", True)  # a gallery's photo: as its gallery
    apply(Touched({MEDIA}, hard=deleted or not visible))


# -- comments ------------------------------------------------------------------------


def comment_saving(sender, instance, raw=False, **kwargs):
    """Remember whether the stored comment is approved (a moderator may take it down)."""
    instance._stored_approved = False
    if not raw and not instance._state.adding:
        status = Comment.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        instance._stored_approved = status == Comment.Status.APPROVED


def comment_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    was = getattr(instance, "_stored_approved", False)
    now = instance.status == Comment.Status.APPROVED
    if was or now:
        apply(Touched({comments_scope(instance.article_id)}, hard=was and not now))


def comment_deleted(sender, instance, **kwargs):
    if instance.status == Comment.Status.APPROVED:
        apply(Touched({comments_scope(instance.article_id)}, hard=True))


def comments_were_moderated(sender, article_ids, **kwargs):
    """Bulk moderation (an update that sends no model signals)."""
    apply(Touched(set(map(comments_scope, article_ids)), hard=True))


# -- the table -----------------------------------------------------------------------

SAVED_OR_DELETED = (post_save, post_delete)

# (signal, sender, receiver): every write a cache layer follows, and nothing else.
RECEIVERS: list[tuple[object, object, Callable]] = [
    (pre_save, Article, article_saving),
    (post_save, Article, article_saved),
    (post_delete, Article, article_deleted),
    *(
        (signal, model, article_part_changed)
        for model in (ArticleNote, RelatedArticle, TaggedArticle)
        for signal in SAVED_OR_DELETED
    ),
    (m2m_changed, Article.topics.through, article_topics_changed),
    (pre_save, EditorsChoice, editors_choice_saving),
    *((signal, EditorsChoice, editors_choice_changed) for signal in SAVED_OR_DELETED),
    (counterparts_changed, None, counterparts_were_linked),
    *((pre_save, model, slug_saving) for model in _NAMED_ROWS),
    *((signal, model, named_row_changed) for model in _NAMED_ROWS for signal in SAVED_OR_DELETED),
    *((signal, Photo, photo_changed) for signal in SAVED_OR_DELETED),
    *(
        (signal, model, media_changed)
        for model in (PhotoGallery, GalleryPhoto, Film, Map)
        for signal in SAVED_OR_DELETED
    ),
    (pre_save, Comment, comment_saving),
    (post_save, Comment, comment_saved),
    (post_delete, Comment, comment_deleted),
    (comments_moderated, None, comments_were_moderated),
]


def connect() -> None:
    """Connect every receiver of the table (called once, from PageCacheConfig.ready)."""
    for signal, sender, receiver in RECEIVERS:
        signal.connect(receiver, sender=sender, dispatch_uid=f"{UID}.{receiver.__name__}")
