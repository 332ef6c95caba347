"""Related Content: editors' picks, then the articles sharing the most subjects.

Scoring at 100,000 articles costs 10-25 ms, so it is not done per view: each
article's list of ids is stored (RelatedList) when first needed, dropped when the
article, its tags, topics or picks change, and recomputed at most once per
RELATED_REFRESH_SECONDS so that newer articles find their way into older lists.
Visibility is checked at read time by primary key, and more ids are stored than
shown, so an article that is unpublished drops out at once and a spare fills in.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from articles.models import Article, RelatedArticle, RelatedList, TaggedArticle

RELATED_LIMIT = 5
# Ids kept per article: twice what is shown, so unpublished ones have stand-ins.
STORED_IDS = 2 * RELATED_LIMIT
# Only the newest link rows of each kind (tag links, topic links) are scored: a
# busy topic can hold tens of thousands of articles, and related content should
# be recent anyway. 2,000 links is at least a few hundred articles per kind.
CANDIDATE_LINKS = 2000

# Score candidates on the narrow link tables first (ids only), and join the
# visible-articles query by id; sorting full article rows of every article that
# shares a subject is what makes the naive ORM version ~13x slower at 100k.
_SCORED_IDS = """
    WITH links AS (
        (SELECT content_object_id AS article_id FROM {tagged} WHERE tag_id = ANY(%s)
         ORDER BY content_object_id DESC LIMIT %s)
        UNION ALL
        (SELECT article_id FROM {topics} WHERE topic_id = ANY(%s)
         ORDER BY article_id DESC LIMIT %s)
    ), scores AS (
        SELECT article_id, count(*) AS shared FROM links GROUP BY article_id
    )
    SELECT {article}.id
    FROM scores JOIN {article} ON {article}.id = scores.article_id
    WHERE {visible}
    ORDER BY scores.shared DESC, {article}.publish_at DESC, {article}.id DESC
    LIMIT %s
"""


def related_articles(article: Article, limit: int = RELATED_LIMIT) -> list[Article]:
    """Return up to `limit` visible related articles, in their stored order.

    One query when the stored list is fresh (expects `article` from `for_detail()`,
    which joins the list); otherwise the list is recomputed and stored first.
    """
    try:
        stored = article.related_list
    except RelatedList.DoesNotExist:
        stored = None
    horizon = timezone.now() - timedelta(seconds=settings.RELATED_REFRESH_SECONDS)
    if stored is None or stored.computed_at < horizon:
        ids = related_refresh(article=article)
    else:
        ids = stored.ids
    if not ids:
        return []
    found = Article.objects.published().select_related("section").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found][:limit]


def related_refresh(*, article: Article) -> list[int]:
    """Compute and store the related ids of `article`: picks first, then shared subjects.

    Picks come in the editors' order; the rest are the visible articles of the same
    edition sharing the most tags and topics, most recent first among equals.
    """
    visible = Article.objects.published()
    ids = list(
        article.related_links.filter(related__in=visible)
        .order_by("position", "id")
        .values_list("related_id", flat=True)[:STORED_IDS]
    )
    tag_ids = [tag.id for tag in article.tags.all()]
    topic_ids = [topic.id for topic in article.topics.all()]
    if len(ids) < STORED_IDS and (tag_ids or topic_ids):
        candidates = visible.in_language(article.language).exclude(pk__in=[article.pk, *ids])
        ids += _ids_sharing_subjects(candidates, tag_ids, topic_ids, STORED_IDS - len(ids))
    RelatedList.objects.bulk_create(
        [RelatedList(article_id=article.pk, ids=ids, computed_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["ids", "computed_at"],
    )
    return ids


def _ids_sharing_subjects(candidates, tag_ids, topic_ids, limit) -> list[int]:
    # The candidates' own WHERE clause (published(), edition, exclusions), applied
    # to the few scored rows by primary key rather than joined as a whole set.
    query = candidates.query
    compiler = query.get_compiler(connection=connection)
    visible_sql, visible_params = query.where.as_sql(compiler, connection)
    sql = _SCORED_IDS.format(
        tagged=TaggedArticle._meta.db_table,
        topics=Article.topics.through._meta.db_table,
        article=connection.ops.quote_name(Article._meta.db_table),
        visible=visible_sql,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [tag_ids, CANDIDATE_LINKS, topic_ids, CANDIDATE_LINKS, *visible_params, limit],
        )
        return [row[0] for row in cursor.fetchall()]


# -- keeping stored lists honest -----------------------------------------------------


def related_forget(*, article_ids) -> None:
    """Drop the stored lists of these articles; they are recomputed when next read."""
    RelatedList.objects.filter(article_id__in=list(article_ids)).delete()


def _article_saved(sender, instance, **kwargs):
    related_forget(article_ids=[instance.pk])


def _subjects_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        related_forget(article_ids=[instance.pk])
    elif pk_set:
        related_forget(article_ids=pk_set)
    elif action == "post_clear":  # topic.articles.clear(): which ones is gone already
        RelatedList.objects.all().delete()


def _pick_changed(sender, instance, **kwargs):
    related_forget(article_ids=[instance.article_id])


def connect_signals() -> None:
    """Forget stored lists when what they were computed from changes."""
    post_save.connect(_article_saved, sender=Article, dispatch_uid="related.article")
    for through in (TaggedArticle, Article.topics.through):
        m2m_changed.connect(_subjects_changed, sender=through, dispatch_uid=f"related.{through}")
    for signal in (post_save, post_delete):
        signal.connect(_pick_changed, sender=RelatedArticle, dispatch_uid=f"related.pick.{signal}")
