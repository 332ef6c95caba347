from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, RelatedList
from articles.related import related_articles
from tests.factories import make_article, make_related, make_topic

pytestmark = pytest.mark.django_db


def detail(article):
    return Article.objects.for_detail().get(pk=article.pk)


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def test_editors_picks_come_first_in_their_order():
    article = make_article(tags=["Water"])
    first, second = make_article(title="Pick one"), make_article(title="Pick two")
    make_related(article, second, position=2)
    make_related(article, first, position=1)
    sharing = make_article(tags=["Water"])

    assert related_articles(detail(article)) == [first, second, sharing]


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

    assert related_articles(detail(article)) == [
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

    related = related_articles(detail(article))

    assert related == visible[:5]


def test_picks_are_not_repeated_by_the_automatic_part():
    article = make_article(tags=["Water"])
    pick = make_article(tags=["Water"])
    make_related(article, pick)

    assert related_articles(detail(article)) == [pick]


def test_article_without_subjects_or_picks_has_no_related_content():
    make_article(tags=["Water"])

    assert related_articles(detail(make_article())) == []


def test_stored_list_costs_one_query_and_computing_it_four(django_assert_num_queries):
    article = make_article(tags=["Water", "Gulf"])
    pick = make_article()
    make_related(article, pick)
    sharing = {make_article(tags=["Water"]) for _ in range(20)}

    first_view = detail(article)
    with django_assert_num_queries(4):  # picks, scoring, storing, fetching
        related_articles(first_view)

    second_view = detail(article)
    with django_assert_num_queries(1):  # fetching the visible ones by id
        related = related_articles(second_view)

    # The pick, then the automatic part tops the list up to five.
    assert related[0] == pick
    assert len(related) == 5 and set(related[1:]) <= sharing


def test_stored_list_is_reused_until_the_refresh_interval(settings):
    article = make_article(tags=["Water"])
    older = make_article(tags=["Water"], publish_at=hours_ago(3))
    assert related_articles(detail(article)) == [older]

    newer = make_article(tags=["Water"], publish_at=hours_ago(0.5))
    assert related_articles(detail(article)) == [older]  # not scored per view

    RelatedList.objects.filter(article=article).update(computed_at=hours_ago(2))
    settings.RELATED_REFRESH_SECONDS = 3600
    assert related_articles(detail(article)) == [newer, older]


@pytest.mark.parametrize(
    "change",
    [
        lambda article, topic: article.tags.add("Gulf"),
        lambda article, topic: article.topics.add(topic),
        lambda article, topic: topic.articles.add(article),
        lambda article, topic: make_related(article, make_article(title="Picked")),
        lambda article, topic: article.save(),
    ],
    ids=["tag added", "topic added", "topic given the article", "pick added", "article saved"],
)
def test_a_change_to_the_article_or_its_subjects_drops_its_stored_list(change):
    topic = make_topic()
    article = make_article(tags=["Water"])
    related_articles(detail(article))
    assert RelatedList.objects.filter(article=article).exists()

    change(Article.objects.get(pk=article.pk), topic)

    assert not RelatedList.objects.filter(article=article).exists()


def test_an_unpublished_article_drops_out_at_once_and_a_spare_fills_in():
    article = make_article(tags=["Water"])
    shown = [make_article(tags=["Water"], publish_at=hours_ago(n + 1)) for n in range(6)]
    assert related_articles(detail(article)) == shown[:5]

    Article.objects.filter(pk=shown[0].pk).update(status=Article.Status.DRAFT)

    assert related_articles(detail(article)) == shown[1:6]


def test_article_page_shows_related_content(client):
    article = make_article(tags=["Water"])
    make_article(title="Another water story", tags=["Water"])

    content = client.get(article.get_absolute_url()).content.decode()

    assert "Related Content" in content
    assert "Another water story" in content


def test_only_the_newest_links_of_a_busy_subject_are_scored(monkeypatch):
    # The bound counts link rows: two tags on each of the two newest articles.
    monkeypatch.setattr("articles.related.CANDIDATE_LINKS", 4)
    article = make_article(tags=["Water", "Gulf"])
    old_but_close = make_article(tags=["Water", "Gulf"], publish_at=hours_ago(50))
    newer = [make_article(tags=["Water", "Gulf"], publish_at=hours_ago(n + 1)) for n in range(2)]

    related = related_articles(detail(article))

    assert old_but_close not in related
    assert related == newer
