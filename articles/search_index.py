"""The search vectors of editions whose words Python stems (Persian).

PostgreSQL has no Persian stemmer, so the database's trigger indexes a Persian
article's words folded only and marks it `search_pending`; `stems_write` then
writes the vector of the words `articles.script.search_words` gives (the same
function the reader's query goes through) and clears the mark. It runs:

- in the request that saves the article, changes its tags or renames one (the
  signals below),
  so an editor's article is found by every form of its words at once;
- from the background job `search_stems` (alwaght/background.py) for whatever
  else left a mark: a section renamed (every article in it), bulk loads, raw SQL.

Until then the article is still found by its words as written. Each article costs
one statement; rows are locked (SKIP LOCKED) so two writers never race.
"""

import html
import re

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from taggit.models import Tag

from articles.models import Article, TaggedArticle
from articles.script import EDITIONS, search_words

BATCH = 500
TAG = re.compile(r"<[^>]*>")
# The weights of the trigger's vector: title A, lead and tags B, section C, body D.
_WRITE = """
    UPDATE articles_article SET search_vector =
        setweight(to_tsvector(articles_search_config(language), %(title)s), 'A')
        || setweight(to_tsvector(articles_search_config(language), %(lead)s), 'B')
        || setweight(to_tsvector(articles_search_config(language), %(tags)s), 'B')
        || setweight(to_tsvector(articles_search_config(language), %(section)s), 'C')
        || setweight(to_tsvector(articles_search_config(language), %(body)s), 'D'),
        search_pending = false
    WHERE id = %(id)s
"""


def python_stemmed_editions() -> list[str]:
    """Return the codes of the editions whose vectors Python writes."""
    return [code for code, language in EDITIONS.items() if language.python_stemmer]


def stems_write(*, article_ids=None, limit: int = BATCH) -> int:
    """Write the stemmed vectors of up to `limit` pending articles; return how many.

    With `article_ids`, only those (when pending); otherwise the oldest marks first.
    """
    with transaction.atomic():
        pending = Article.objects.filter(
            search_pending=True, language__in=python_stemmed_editions()
        )
        if article_ids is not None:
            pending = pending.filter(pk__in=article_ids)
        articles = list(
            pending.select_related("section")
            .only("id", "language", "title", "lead", "body", "section__name")
            .order_by("pk")
            .select_for_update(skip_locked=True, of=("self",))[:limit]
        )
        if not articles:
            return 0
        tags = {}
        for link in TaggedArticle.objects.filter(content_object__in=articles).select_related("tag"):
            tags.setdefault(link.content_object_id, []).append(link.tag.name)
        rows = [
            {
                "id": article.pk,
                "title": _words(article.title, article.language),
                "lead": _words(article.lead, article.language),
                "tags": _words(" ".join(tags.get(article.pk, [])), article.language),
                "section": _words(
                    article.section.name if article.section else "", article.language
                ),
                "body": _words(html.unescape(TAG.sub(" ", article.body)), article.language),
            }
            for article in articles
        ]
        with connection.cursor() as cursor:
            cursor.executemany(_WRITE, rows)
    return len(rows)


def _words(text: str, language: str) -> str:
    return " ".join(search_words(text, language))


def _article_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.language in python_stemmed_editions():
        stems_write(article_ids=[instance.pk])


def _tags_changed(sender, instance, **kwargs):
    # A tag link added, moved (a merge) or removed: the database's trigger indexed the
    # article afresh.
    stems_write(article_ids=[instance.content_object_id])


def _tag_saved(sender, instance, created=False, raw=False, **kwargs):
    # A tag renamed: the database's trigger indexed its articles afresh (migration 0044);
    # the first BATCH of them are stemmed here, any more by the background job.
    if not created and not raw:
        tagged = TaggedArticle.objects.filter(tag=instance).values("content_object_id")
        stems_write(article_ids=tagged)


def connect_signals() -> None:
    """Write the stems in the request that changed them (called from ArticlesConfig.ready)."""
    uid = "articles.search_index"
    post_save.connect(_article_saved, sender=Article, dispatch_uid=uid)
    post_save.connect(_tags_changed, sender=TaggedArticle, dispatch_uid=uid)
    post_delete.connect(_tags_changed, sender=TaggedArticle, dispatch_uid=uid)
    post_save.connect(_tag_saved, sender=Tag, dispatch_uid=uid)
