from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, RelatedList
from articles.related import (
    FORGOTTEN,
    related_articles,
    related_due,
    related_refresh,
    related_refresh_many,
)
from tests.factories import make_article, make_related, make_topic

pytestmark = pytest.mark.django_db


def detail(article):
    return Article.objects.for_detail().get(pk=article.pk)


def computed(article):
    """Return what readers see of `article`'s list once the background job stored it."""
    related_refresh_many(article_ids=[article.pk])
    return related_articles(detail(article))


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def test_editors_picks_come_first_in_their_order():
    article = make_article(tags=["Water"])
    first, second = make_article(title="Pick one"), make_article(title="Pick two")
    make_related(article, second, position=2)
    make_related(article, first, position=1)
    sharing = make_article(tags=["Water"])

    assert computed(article) == [first, second, sharing]


def test_automatic_ones_rank_by_shared_subjects_then_recency():
    topic = make_topic()
    article = make_article(tags=["Water", "Gulf"])
    article.topics.add(topic)
    one_shared_new = make_article(tags=["Water"], publish_at=hours_ago(1))
    one_shared_old = make_article(tags=["Gulf"], publish_at=hours_ago(5))
    two_shared_old = make_article(tags=["Water", "Gulf"], publish_at=hours_ago(9))
    three_shared = make_article(tags=["Water", "Gulf"], publish_at=hours_ago(20))
    three_shared.topics.add(topic)
    make_article(tags=["Energy"])

    assert computed(article) == [
        three_shared,
        two_shared_old,
        one_shared_new,
        one_shared_old,
    ]


def test_never_itself_never_hidden_never_more_than_five():
    article = make_article(tags=["Water"])
    hidden_pick = make_article(status=Article.Status.DRAFT, publish_at=None, tags=["Water"])
    make_related(article, hidden_pick)
    make_article(tags=["Water"], publish_at=timezone.now() + timedelta(hours=1))
    make_article(
        tags=["Water"], language="en", unpublish_at=hours_ago(0.5), publish_at=hours_ago(2)
    )
    visible = [make_article(tags=["Water"], publish_at=hours_ago(n + 1)) for n in range(7)]

    related = computed(article)

    assert related == visible[:5]


def test_picks_are_not_repeated_by_the_automatic_part():
    article = make_article(tags=["Water"])
    pick = make_article(tags=["Water"])
    make_related(article, pick)

    assert computed(article) == [pick]


def test_article_without_subjects_or_picks_has_no_related_content():
    make_article(tags=["Water"])

    assert computed(make_article()) == []


def test_readers_read_a_stored_list_in_one_query(django_assert_num_queries):
    article = make_article(tags=["Water", "Gulf"])
    pick = make_article()
    make_related(article, pick)
    sharing = {make_article(tags=["Water"]) for _ in range(20)}
    related_refresh_many(article_ids=[article.pk])

    page_view = detail(article)
    with django_assert_num_queries(1):  # fetching the visible ones by id
        related = related_articles(page_view)

    # The pick, then the automatic part tops the list up to five.
    assert related[0] == pick
    assert len(related) == 5 and set(related[1:]) <= sharing


def test_without_a_stored_list_readers_get_the_visible_picks_and_compute_nothing(
    django_assert_num_queries,
):
    article = make_article(tags=["Water"])
    first, second = make_article(title="Pick one"), make_article(title="Pick two")
    hidden = make_article(status=Article.Status.DRAFT, publish_at=None)
    make_related(article, second, position=2)
    make_related(article, hidden, position=3)
    make_related(article, first, position=1)
    make_article(tags=["Water"])  # would be scored in, but readers never score

    page_view = detail(article)
    with django_assert_num_queries(1) as captured:
        related = related_articles(page_view)

    assert related == [first, second]
    sql = captured.captured_queries[0]["sql"].lower()
    assert sql.startswith("select") and "count(" not in sql  # read, never scored
    assert not RelatedList.objects.filter(article=article).exists()


def test_computing_a_batch_costs_a_query_per_article_with_subjects(django_assert_num_queries):
    articles = [make_article(tags=["Water"]) for _ in range(6)]
    make_related(articles[0], articles[1])
    plain = make_article()

    # The articles, their tags, topics and visible picks; one scoring per article
    # with subjects; the lists stored before (which pages to make stale); one
    # statement storing them all.
    with django_assert_num_queries(4 + 6 + 1 + 1):
        stored = related_refresh_many(article_ids=[a.pk for a in [*articles, plain]])

    assert sorted(stored) == sorted(a.pk for a in [*articles, plain])
    assert RelatedList.objects.get(article=articles[0]).ids[0] == articles[1].pk
    assert RelatedList.objects.get(article=plain).ids == []


def test_an_old_list_is_shown_until_the_background_job_refreshes_it(settings):
    settings.RELATED_REFRESH_SECONDS = 3600
    article = make_article(tags=["Water"])
    older = make_article(tags=["Water"], publish_at=hours_ago(3))
    assert computed(article) == [older]

    newer = make_article(tags=["Water"], publish_at=hours_ago(0.5))
    RelatedList.objects.filter(article=article).update(computed_at=hours_ago(2))

    assert related_articles(detail(article)) == [older]  # readers never score
    assert article.pk in related_due(limit=10)
    assert computed(article) == [newer, older]
    assert article.pk not in related_due(limit=10)


def test_due_lists_come_missing_or_forgotten_first_then_old_newest_first(settings):
    settings.RELATED_REFRESH_SECONDS = 3600
    fresh, old_new, old_old, forgotten, missing_old, missing_new = [
        make_article(publish_at=hours_ago(hours)) for hours in (1, 2, 9, 8, 7, 3)
    ]
    make_article(status=Article.Status.DRAFT, publish_at=None)  # not shown: never due
    related_refresh(article=fresh)
    for article in (old_new, old_old, forgotten):
        related_refresh(article=article)
    RelatedList.objects.filter(article__in=[old_new, old_old]).update(computed_at=hours_ago(2))
    RelatedList.objects.filter(article=forgotten).update(computed_at=FORGOTTEN)

    assert related_due(limit=10) == [
        missing_new.pk,
        missing_old.pk,
        forgotten.pk,
        old_new.pk,
        old_old.pk,
    ]
    assert related_due(limit=2) == [missing_new.pk, missing_old.pk]
    assert related_due(limit=4) == [missing_new.pk, missing_old.pk, forgotten.pk, old_new.pk]


@pytest.mark.parametrize(
    ("change", "first_shown"),
    [
        (lambda article, topic: article.tags.add("Gulf"), "Gulf story"),
        (lambda article, topic: article.topics.add(topic), "Gulf story"),
        (lambda article, topic: make_related(article, make_article(title="Picked")), "Picked"),
        (lambda article, topic: article.save(), "Water story"),
    ],
    ids=["tag added", "topic added", "pick added", "article saved"],
)
def test_an_editors_change_recomputes_the_articles_own_list_on_commit(
    change, first_shown, django_capture_on_commit_callbacks
):
    topic = make_topic()
    article = make_article(tags=["Water"])
    make_article(title="Water story", tags=["Water"], publish_at=hours_ago(3))
    related_refresh(article=article)
    make_article(title="Gulf story", tags=["Gulf"]).topics.add(topic)
    computed_before = RelatedList.objects.get(article=article).computed_at

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change(Article.objects.get(pk=article.pk), topic)
        # Until the commit, readers keep the old list; it is marked for the job.
        assert RelatedList.objects.get(article=article).computed_at == FORGOTTEN
    for callback in callbacks:
        callback()

    assert RelatedList.objects.get(article=article).computed_at > computed_before
    assert related_articles(detail(article))[0].title == first_shown


def test_one_save_with_several_changes_computes_the_list_once(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    article = make_article(tags=["Water"])
    pick = make_article()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article.save()
        article.tags.add("Gulf")
        make_related(article, pick)
    callbacks = [c for c in callbacks if "related_refresh_on_commit" in c.__qualname__]
    assert len(callbacks) == 3

    # The first computes (8 queries: is it done, the article, picks, tags, topics,
    # scoring, the list stored before, storing); the others find it done.
    with django_assert_num_queries(8 + 1 + 1) as captured:
        for callback in callbacks:
            callback()

    stores = [
        q
        for q in captured.captured_queries
        if q["sql"].startswith('INSERT INTO "articles_relatedlist"')
    ]
    assert len(stores) == 1


def test_a_topic_given_articles_marks_their_lists_for_the_job():
    topic = make_topic()
    article = make_article(tags=["Water"])
    shown = make_article(tags=["Water"])
    related_refresh(article=article)

    topic.articles.add(article)

    stored = RelatedList.objects.get(article=article)
    assert stored.computed_at == FORGOTTEN and stored.ids == [shown.pk]  # still shown
    assert article.pk in related_due(limit=5)


def test_an_unpublished_article_drops_out_at_once_and_a_spare_fills_in():
    article = make_article(tags=["Water"])
    shown = [make_article(tags=["Water"], publish_at=hours_ago(n + 1)) for n in range(6)]
    assert computed(article) == shown[:5]

    Article.objects.filter(pk=shown[0].pk).update(status=Article.Status.DRAFT)

    assert related_articles(detail(article)) == shown[1:6]


def test_article_page_shows_related_content_the_background_job_stored(client):
    article = make_article(tags=["Water"])
    make_article(title="Another water story", tags=["Water"])
    call_command("run_background", job=["related"], stdout=StringIO())

    content = client.get(article.get_absolute_url()).content.decode()

    assert "Related Content" in content
    assert "Another water story" in content


def test_only_the_newest_links_of_a_busy_subject_are_scored(monkeypatch):
    # The bound counts link rows: two tags on each of the two newest articles.
    monkeypatch.setattr("articles.related.CANDIDATE_LINKS", 4)
    article = make_article(tags=["Water", "Gulf"])
    old_but_close = make_article(tags=["Water", "Gulf"], publish_at=hours_ago(50))
    newer = [make_article(tags=["Water", "Gulf"], publish_at=hours_ago(n + 1)) for n in range(2)]

    related = computed(article)

    assert old_but_close not in related
    assert related == newer
