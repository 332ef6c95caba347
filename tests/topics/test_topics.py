from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


def test_index_lists_every_topic_with_its_description(client):
    make_topic(name="Water diplomacy", description="States sharing rivers.")
    make_topic(name="Elections", description="Campaigns and counts.", in_focus=True)

    content = client.get(reverse("topics:index")).content.decode()

    for text in ["Water diplomacy", "States sharing rivers.", "Elections", "Campaigns and counts."]:
        assert text in content


def test_topic_page_shows_body_and_visible_articles_newest_first(client):
    topic = make_topic(body='<p>Longer story.</p><script>alert("x")</script>')
    now = timezone.now()
    older = make_article(title="Older", publish_at=now - timedelta(days=2))
    newer = make_article(title="Newer", publish_at=now - timedelta(days=1))
    draft = make_article(title="Draft", status=Article.Status.DRAFT, publish_at=None)
    make_article(title="Unrelated")
    for article in (older, newer, draft):
        article.topics.add(topic)

    response = client.get(topic.get_absolute_url())

    assert list(response.context["articles"]) == [newer, older]
    content = response.content.decode()
    assert "<p>Longer story.</p>" in content
    assert "alert(" not in content


def test_unknown_topic_is_404(client):
    assert client.get(reverse("topics:detail", args=["nothing-here"])).status_code == 404


@pytest.mark.parametrize("page", ["0", "abc", "9999"])
def test_bad_topic_page_numbers_are_404(client, page):
    topic = make_topic()
    make_article().topics.add(topic)

    assert client.get(topic.get_absolute_url(), {"page": page}).status_code == 404


def test_front_page_in_focus_block_lists_flagged_topics_in_order(client):
    second = make_topic(name="Second", position=2, in_focus=True)
    first = make_topic(name="First", position=1, in_focus=True)
    make_topic(name="Not flagged", in_focus=False)

    response = client.get(reverse("articles:front"))

    assert list(response.context["in_focus"]) == [first, second]
    assert "Not flagged" not in response.content.decode()


def test_article_page_links_its_topics(client):
    topic = make_topic(name="Maritime security")
    article = make_article()
    article.topics.add(topic)

    content = client.get(article.get_absolute_url()).content.decode()

    assert f'<a href="{topic.get_absolute_url()}">Maritime security</a>' in content
