"""Tag and topic lists kept as entries with their article's visibility (database triggers)."""

from django.db import models
from django.db.models import Q

from articles.models.filing import Topic


class ListEntry(models.Model):
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

    # Each kind names its article and target (the triggers delete a row with its
    # link, so Django's deletes need do nothing for it).
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=16)
    publish_at = models.DateTimeField(null=True)
    unpublish_at = models.DateTimeField(null=True)

    class Meta:
        abstract = True


class TagEntry(ListEntry):
    article = models.ForeignKey("Article", on_delete=models.DO_NOTHING, related_name="tag_entries")
    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.DO_NOTHING, related_name="+", db_index=False
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "article"], name="one_tag_entry")]
        indexes = [
            models.Index(
                fields=["tag", "language", "-publish_at", "-article"],
                include=["unpublish_at"],
                condition=Q(status="published"),
                name="tag_entry_latest",
            )
        ]

    def __str__(self):
        return f"{self.tag_id}: {self.article_id}"


class TopicEntry(ListEntry):
    article = models.ForeignKey(
        "Article", on_delete=models.DO_NOTHING, related_name="topic_entries"
    )
    topic = models.ForeignKey(Topic, on_delete=models.DO_NOTHING, related_name="+", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "article"], name="one_topic_entry")]
        indexes = [
            models.Index(
                fields=["topic", "language", "-publish_at", "-article"],
                include=["unpublish_at"],
                condition=Q(status="published"),
                name="topic_entry_latest",
            )
        ]

    def __str__(self):
        return f"{self.topic_id}: {self.article_id}"
