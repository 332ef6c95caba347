from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def hidden_articles():
    now = timezone.now()
    return {
        "draft": make_article(status=Article.Status.DRAFT, publish_at=None),
        "review": make_article(status=Article.Status.REVIEW, publish_at=now - HOUR),
        "scheduled": make_article(publish_at=now + HOUR),
        "expired": make_article(publish_at=now - 2 * HOUR, unpublish_at=now - HOUR),
    }


def test_published_includes_only_due_unexpired_published_articles():
    visible = make_article()
    still_running = make_article(unpublish_at=timezone.now() + HOUR)
    hidden_articles()

    assert set(Article.objects.published()) == {visible, still_running}


def test_scheduled_article_appears_by_itself_when_its_time_comes():
    now = timezone.now()
    scheduled = make_article(publish_at=now + HOUR)

    assert scheduled not in Article.objects.published(now)
    assert scheduled in Article.objects.published(now + 2 * HOUR)


def test_expired_article_disappears_by_itself():
    now = timezone.now()
    article = make_article(publish_at=now - HOUR, unpublish_at=now + HOUR)

    assert article in Article.objects.published(now)
    assert article not in Article.objects.published(now + 2 * HOUR)


@pytest.mark.parametrize("state", ["draft", "review", "scheduled", "expired"])
def test_readers_get_404_for_hidden_articles(client, state):
    article = hidden_articles()[state]
    url = reverse("articles:detail", kwargs={"pk": article.pk, "slug": article.slug})

    assert client.get(url).status_code == 404


def test_hidden_articles_stay_off_every_list(client):
    section = make_section(slug="report")
    visible = make_article(section=section, title="Visible story")
    for article in hidden_articles().values():
        article.section = section
        article.save()

    pages = [
        reverse("articles:front"),
        reverse("articles:archive"),
        reverse("articles:section", kwargs={"slug": "report"}),
        reverse("articles:search") + "?q=article",
    ]
    for url in pages:
        content = client.get(url).content.decode()
        for article in Article.objects.exclude(pk=visible.pk):
            assert article.title not in content, (url, article.status)
    assert visible.title in client.get(reverse("articles:archive")).content.decode()


def test_publishing_without_a_time_stamps_the_current_time():
    article = make_article(publish_at=None)

    assert article.publish_at is not None
    assert article.publish_at <= timezone.now()


def test_database_refuses_a_published_article_without_publish_time():
    article = make_article()

    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(publish_at=None)


def test_database_refuses_unpublishing_before_publishing():
    now = timezone.now()

    with pytest.raises(IntegrityError):
        make_article(publish_at=now, unpublish_at=now - HOUR)


@pytest.mark.parametrize(
    ("status", "publish_delta", "unpublish_delta", "expected"),
    [
        (Article.Status.DRAFT, None, None, "Draft"),
        (Article.Status.REVIEW, None, None, "In review"),
        (Article.Status.PUBLISHED, HOUR, None, "Scheduled"),
        (Article.Status.PUBLISHED, -2 * HOUR, -HOUR, "Expired"),
        (Article.Status.PUBLISHED, -HOUR, None, "Published"),
    ],
)
def test_visibility_label_and_liveness_agree_with_published(
    status, publish_delta, unpublish_delta, expected
):
    now = timezone.now()
    article = make_article(
        status=status,
        publish_at=now + publish_delta if publish_delta else None,
        unpublish_at=now + unpublish_delta if unpublish_delta else None,
    )

    assert article.visibility == expected
    assert article.is_live == (expected == "Published")
    assert article.is_live == Article.objects.published().filter(pk=article.pk).exists()
