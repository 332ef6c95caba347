from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_tag_page_lists_visible_tagged_articles_newest_first(client):
    now = timezone.now()
    older = make_article(tags=["Water"], publish_at=now - timedelta(days=2))
    newer = make_article(tags=["Water"], publish_at=now - timedelta(days=1))
    make_article(tags=["Water"], status=Article.Status.DRAFT, publish_at=None)
    make_article(tags=["Energy"])

    response = client.get(reverse("articles:tag", args=["water"]))

    assert response.status_code == 200
    assert list(response.context["articles"]) == [newer, older]


def test_unknown_tag_is_404(client):
    assert client.get(reverse("articles:tag", args=["no-such-tag"])).status_code == 404


@pytest.mark.parametrize("page", ["0", "abc", "9999"])
def test_bad_tag_page_numbers_are_404(client, page):
    make_article(tags=["Water"])

    response = client.get(reverse("articles:tag", args=["water"]), {"page": page})

    assert response.status_code == 404


def test_article_page_links_each_tag(client):
    article = make_article(tags=["Water", "Gulf states"])

    content = client.get(article.get_absolute_url()).content.decode()

    assert '<a href="/en/tags/water/" rel="tag">Water</a>' in content
    assert '<a href="/en/tags/gulf-states/" rel="tag">Gulf states</a>' in content


def test_unicode_tags_get_readable_pages(client):
    make_article(tags=["الخليج"])

    response = client.get(reverse("articles:tag", args=["الخليج"]))

    assert response.status_code == 200


def test_tags_differing_only_by_case_are_one_tag():
    first = make_article(tags=["Iran"])
    second = make_article(tags=["iran"])
    second.tags.add("IRAN")

    assert Tag.objects.filter(name__iexact="iran").count() == 1
    assert list(first.tags.all()) == list(second.tags.all())


def test_database_refuses_a_second_tag_differing_only_by_case():
    Tag.objects.create(name="Iran", slug="iran")

    with pytest.raises(IntegrityError):
        Tag.objects.create(name="IRAN", slug="iran-2")
