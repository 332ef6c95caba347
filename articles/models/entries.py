"""Tag and topic lists, and what a search reads first, kept as entries with their
article's visibility (database triggers)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from articles.models.filing import Topic
from articles.models.indexes import newest_published


class CopiedVisibility(models.Model):
    """What decides whether readers see an article, copied beside it by triggers: its
    edition, status and publication window, under the article's own column names,
    so the articles' `published()` filters them as they are."""

    language = models.CharField(max_length=8)
    status = models.CharField(max_length=16)
    publish_at = models.DateTimeField(null=True)
    unpublish_at = models.DateTimeField(null=True)

    class Meta:
        abstract = True


class ListEntry(CopiedVisibility):
    """An article's place in a tag's or topic's list, with its visibility copied.

    A tag or topic page wants the newest twenty of its articles. Through the link
    tables alone that is a join and a sort over every article carrying the tag
    (the busiest tag at 100k articles: 6-10 ms a page); with each article's
    edition, status and times copied beside the link, one index walk finds them
    at any depth (`ArticleQuerySet.listed_under`).

    Derived data, written only by database triggers (migration 0023): a link
    added, moved or removed, and an article's edition, status or times changed,
    on any path (forms, actions, `update()`, restores, raw SQL). Never edited,
    never versioned. Pages still filter the articles by `published()`, so a row
    out of step could hide an article but never show one readers may not see.
    """

    # Each kind adds its article and target (the triggers delete a row with its
    # link, so Django's deletes need do nothing for it).

    class Meta:
        abstract = True


class TagEntry(ListEntry):
    article = models.ForeignKey("Article", on_delete=models.DO_NOTHING, related_name="tag_entries")
    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.DO_NOTHING, related_name="+", db_index=False
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "article"], name="one_tag_entry")]
        indexes = [newest_published("tag", key="article", name="tag_entry_latest")]

    def __str__(self):
        return f"{self.tag_id}: {self.article_id}"


class TopicEntry(ListEntry):
    article = models.ForeignKey(
        "Article", on_delete=models.DO_NOTHING, related_name="topic_entries"
    )
    topic = models.ForeignKey(Topic, on_delete=models.DO_NOTHING, related_name="+", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "article"], name="one_topic_entry")]
        indexes = [newest_published("topic", key="article", name="topic_entry_latest")]

    def __str__(self):
        return f"{self.topic_id}: {self.article_id}"


class SearchEntry(CopiedVisibility):
    """An article's search vector beside what decides whether readers see it, in the
    order articles were published: what a search reads first (articles/search.py).

    A search walks the edition's newest articles checking each one's words. Read from
    the articles' own table, each of the 2,000 rows a word in one article of ten needs
    lies on a page of its own (an article's row moves on most edits), wide with its
    body, and the walk waited on memory: 70 % of such a search's database time, more
    when the machine is busy. These rows hold only the columns the walk reads, under
    the articles' own column names (its filters are the articles' queryset's, stated
    once in `published()`), about eight to a page: an entry is written when its
    article is created and moves when the article is published (its status is in
    the indexes' condition), so the newest entries lie together. A
    search for a word in one article of ten went from 1.76 to 1.24 ms of the
    database's CPU, most shapes 20-40 % faster (docs/benchmarks.md, issue 24's
    eighth pass).

    Derived data, written only by database triggers (migration 0039) on every path
    that writes an article; never edited, never versioned.
    """

    article = models.OneToOneField(
        "Article",
        primary_key=True,
        db_column="id",  # as the articles' table names it: the walk's SQL is theirs
        on_delete=models.DO_NOTHING,  # the trigger deletes the entry with its article
        db_constraint=False,
        related_name="+",
    )
    section_id = models.BigIntegerField()
    search_vector = SearchVectorField(null=True)

    class Meta:
        indexes = [
            newest_published(key="article", name="search_entry_latest"),
            newest_published("section_id", key="article", name="search_entry_section_latest"),
        ]

    def __str__(self):
        return str(self.article_id)
