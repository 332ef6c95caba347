"""Every reader page runs a fixed number of queries, whatever the amount of content."""

import pytest
from django.urls import reverse

from tests.factories import image_file, make_article, make_editors_choice, make_section

pytestmark = pytest.mark.django_db


def build_site(article_count):
    sections = [make_section(slug=f"s{number}") for number in range(5)]
    articles = [
        make_article(
            section=sections[number % 5],
            tags=[f"tag {number}", f"tag {number + 1}", "common"],
            image=image_file() if number % 2 else "",
        )
        for number in range(article_count)
    ]
    for position, article in enumerate(articles[:4], start=1):
        make_editors_choice(article, position=position)
    return articles


PAGES = {
    # name: (expected queries, url builder)
    "front page": (3, lambda articles: reverse("articles:front")),
    "archive": (3, lambda articles: reverse("articles:archive")),
    "section": (4, lambda articles: articles[0].section.get_absolute_url()),
    "article": (4, lambda articles: articles[0].get_absolute_url()),
    "search": (3, lambda articles: reverse("articles:search") + "?q=article"),
}


@pytest.mark.parametrize("article_count", [5, 50])
@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_fixed(client, django_assert_num_queries, page, article_count):
    expected, url_for = PAGES[page]
    url = url_for(build_site(article_count))

    with django_assert_num_queries(expected):
        response = client.get(url)

    assert response.status_code == 200
