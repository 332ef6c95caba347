"""Related Content: editors' picks, then the articles sharing the most subjects.

Scoring at 100,000 articles costs 10-25 ms, so readers never do it: each
article's list of ids is stored (RelatedList) and a reader's page reads it in one
query. Lists are computed outside readers' requests: for the article itself when
an editor saves it, its tags, topics or picks (after the commit, in the desk's
request), and by `manage.py run_background` for every visible article whose list
is missing, forgotten or older than RELATED_REFRESH_SECONDS (so that newer
articles find their way into older lists), newest articles first, a bounded batch
per run. Until an article has a list (a new site, an article published by a
script), its page shows the editors' picks only. Visibility is checked at read
time by primary key, and more ids are stored than shown, so an article that is
unpublished drops out at once and a spare fills in.
"""

import logging
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from articles.models import Article, RelatedArticle, RelatedList, TaggedArticle
from publishing.models import visible_at
from web.prepared import PreparedQuery
from web.scopes import article_scope, scopes_changed

logger = logging.getLogger(__name__)

RELATED_LIMIT = 5
# Ids kept per article: twice what is shown, so unpublished ones have stand-ins.
STORED_IDS = 2 * RELATED_LIMIT
# Only the newest link rows of each kind (tag links, topic links) are scored: a
# busy topic can hold tens of thousands of articles, and related content should
# be recent anyway. 2,000 links is at least a few hundred articles per kind.
CANDIDATE_LINKS = 2000

# A stored list marked for recomputing (its article or subjects changed): still
# shown until then, and recomputed before lists that are merely old.
FORGOTTEN = datetime(1970, 1, 1, tzinfo=UTC)

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
    """Return up to `limit` visible related articles as last stored; never compute them.

    One query (expects `article` from `for_detail()`, which joins the stored list).
    Without a stored list, the editors' visible picks only, in their order.
    """
    ids = stored_ids(article)
    if ids is None:
        return _visible_picks(article, limit)
    if not ids:
        return []
    rows = _stored_articles(len(ids))(ids=ids, now=timezone.now())
    found = {row.pk: row for row in rows}  # as in_bulk() gives them
    return [found[pk] for pk in ids if pk in found][:limit]


def stored_ids(article: Article) -> list[int] | None:
    """Return the ids of `article`'s stored list, None if it has none (the editors'
    picks are shown): what `related_articles()` reads, for other readers of it (the
    article page's statement, articles/pages.py). No query after `for_detail()`."""
    try:
        return article.related_list.ids
    except RelatedList.DoesNotExist:
        return None


@cache
def _picks_query(limit: int) -> PreparedQuery:
    """The visible picks' query, its SQL made once per limit (web/prepared.py)."""
    return PreparedQuery(
        lambda article, now: (
            RelatedArticle.objects.filter(visible_at(now, through="related__"))
            .filter(article=article)
            .select_related("related__section")
            .order_by("position", "id")[:limit]
        ),
        article=int,
        now=datetime,
    )


@cache
def _stored_articles(count: int) -> PreparedQuery:
    """The visible articles among `count` stored ids, its SQL made once (web/prepared.py)."""
    return PreparedQuery(
        lambda ids, now: (
            Article.objects.published(now).select_related("section").filter(pk__in=ids)
        ),
        ids=(int, count),
        now=datetime,
    )


def _visible_picks(article: Article, limit: int) -> list[Article]:
    """Return the editors' picks readers may see, in the editors' order (one query).

    Read from the article's own links, joined to the picked articles: asking
    the articles table for those with a link (EXISTS) walked every visible
    article, 0.3 s at 100,000 articles.
    """
    links = _picks_query(limit)(article=article.pk, now=timezone.now())
    return [link.related for link in links]


def related_due(*, limit: int, now: datetime | None = None) -> list[int]:
    """Return the ids of up to `limit` visible articles whose lists need computing.

    Most urgent first: articles without a list or with a forgotten one, newest
    first; then lists older than RELATED_REFRESH_SECONDS, newest first. Two
    queries, each walking the visible articles by publication time.
    """
    now = now or timezone.now()
    visible = Article.objects.published(now).order_by("-publish_at", "-id")
    due = list(
        visible.filter(
            Q(related_list__isnull=True) | Q(related_list__computed_at=FORGOTTEN)
        ).values_list("pk", flat=True)[:limit]
    )
    if len(due) < limit:
        horizon = now - timedelta(seconds=settings.RELATED_REFRESH_SECONDS)
        due += visible.filter(
            related_list__computed_at__lt=horizon, related_list__computed_at__gt=FORGOTTEN
        ).values_list("pk", flat=True)[: limit - len(due)]
    return due


def related_refresh_many(*, article_ids) -> list[int]:
    """Compute and store the lists of these articles (four queries, one per article with
    subjects, two to store them).

    Returns the ids of the articles whose lists were stored.
    """
    visible_picks = RelatedArticle.objects.filter(related__in=Article.objects.published()).order_by(
        "position", "id"
    )
    articles = Article.objects.filter(pk__in=list(article_ids)).prefetch_related(
        "tags", "topics", Prefetch("related_links", queryset=visible_picks, to_attr="picks")
    )
    now = timezone.now()
    articles = list(articles)
    lists = [
        RelatedList(
            article_id=article.pk,
            ids=_compute_ids(article, [pick.related_id for pick in article.picks]),
            computed_at=now,
        )
        for article in articles
    ]
    _store(lists, live={article.pk for article in articles if article.is_live})
    return [stored.article_id for stored in lists]


def related_refresh(*, article: Article) -> list[int]:
    """Compute and store the related ids of `article`: picks first, then shared subjects.

    Picks come in the editors' order; the rest are the visible articles of the same
    edition sharing the most tags and topics, most recent first among equals.
    """
    picks = list(
        article.related_links.filter(related__in=Article.objects.published())
        .order_by("position", "id")
        .values_list("related_id", flat=True)
    )
    ids = _compute_ids(article, picks)
    stored = RelatedList(article_id=article.pk, ids=ids, computed_at=timezone.now())
    _store([stored], live={article.pk} if article.is_live else set())
    return ids


def _compute_ids(article: Article, picks: list[int]) -> list[int]:
    ids = picks[:STORED_IDS]
    tag_ids = [tag.id for tag in article.tags.all()]
    topic_ids = [topic.id for topic in article.topics.all()]
    if len(ids) < STORED_IDS and (tag_ids or topic_ids):
        candidates = (
            Article.objects.published()
            .in_language(article.language)
            .exclude(pk__in=[article.pk, *ids])
        )
        ids += _ids_sharing_subjects(candidates, tag_ids, topic_ids, STORED_IDS - len(ids))
    return ids


def _store(lists: list[RelatedList], *, live: set[int]) -> None:
    """Store `lists`; the pages of the `live` articles whose list changed are stale at once.

    The article's rendered column is kept until something it shows changes
    (web/fragments.py), and a list computed by the job (or after an editor's
    commit) changes nothing else: its own `article:<pk>` scope says so. A
    draft's list is on no page readers get (nor a CDN keeps).
    """
    if not lists:
        return
    before = dict(
        RelatedList.objects.filter(
            article_id__in=[stored.article_id for stored in lists]
        ).values_list("article_id", "ids")
    )
    RelatedList.objects.bulk_create(
        lists,
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["ids", "computed_at"],
    )
    changed = [
        stored.article_id
        for stored in lists
        if stored.article_id in live and before.get(stored.article_id) != stored.ids
    ]
    if changed:
        scopes_changed(map(article_scope, changed))


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
    """Mark these articles' lists for recomputing by the next background run.

    Readers keep the old list until then (at most a run's interval).
    """
    RelatedList.objects.filter(article_id__in=list(article_ids)).update(computed_at=FORGOTTEN)


def related_refresh_on_commit(*, article_id: int) -> None:
    """Recompute an article's own list once the editor's change is committed.

    The desk's request pays for it (10-25 ms at 100k), so the article's page shows
    the new list at once. Several changes in one save (the article, then its tags)
    compute it once; a failure is logged, and the list stays forgotten for the
    background job.
    """
    related_forget(article_ids=[article_id])
    requested_at = timezone.now()
    transaction.on_commit(lambda: _refresh_since(article_id, requested_at), robust=True)


def _refresh_since(article_id: int, requested_at: datetime) -> None:
    if RelatedList.objects.filter(article_id=article_id, computed_at__gte=requested_at).exists():
        return
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        related_refresh(article=article)


def _article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        related_refresh_on_commit(article_id=instance.pk)


def _subjects_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        related_refresh_on_commit(article_id=instance.pk)
    elif pk_set:
        related_forget(article_ids=pk_set)
    elif action == "post_clear":  # topic.articles.clear(): which ones is gone already
        RelatedList.objects.update(computed_at=FORGOTTEN)


def _pick_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        related_refresh_on_commit(article_id=instance.article_id)


def connect_signals() -> None:
    """Recompute or mark stored lists when what they were computed from changes."""
    post_save.connect(_article_saved, sender=Article, dispatch_uid="related.article")
    for through in (TaggedArticle, Article.topics.through):
        m2m_changed.connect(_subjects_changed, sender=through, dispatch_uid=f"related.{through}")
    for signal in (post_save, post_delete):
        signal.connect(_pick_changed, sender=RelatedArticle, dispatch_uid=f"related.pick.{signal}")
