import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

BAD_PAGES = ["0", "-1", "9999", "abc", "1.5", "%00", "99999999999999999999999"]


@pytest.fixture
def section_with_three_pages():
    section = make_section(slug="news")
    for _ in range(5):
        make_article(section=section)
    return section


@pytest.fixture(autouse=True)
def two_per_page(settings):
    settings.ARTICLES_PER_PAGE = 2


def list_urls():
    return [reverse("articles:archive"), reverse("articles:section", kwargs={"slug": "news"})]


@pytest.mark.parametrize("page", BAD_PAGES)
def test_bad_page_numbers_answer_404(client, section_with_three_pages, page):
    for url in list_urls():
        response = client.get(url, {"page": page})

        assert response.status_code == 404, (url, page)


@pytest.mark.parametrize("page", ["", "1", "2", "3", "last"])
def test_real_pages_answer_200(client, section_with_three_pages, page):
    for url in list_urls():
        assert client.get(url, {"page": page}).status_code == 200


def test_pages_link_to_each_other(client, section_with_three_pages):
    content = client.get(reverse("articles:archive"), {"page": "2"}).content.decode()

    assert 'rel="prev" href="?page=1"' in content
    assert 'rel="next" href="?page=3"' in content
    assert "Page 2 of 3" in content


def test_empty_archive_page_one_is_fine(client):
    response = client.get(reverse("articles:archive"))

    assert response.status_code == 200
    assert "No articles here yet." in response.content.decode()


def test_pages_walk_the_whole_archive_in_order_without_repeats(client):
    for _ in range(7):
        make_article()
    expected = list(Article.objects.for_listing().values_list("pk", flat=True))

    seen = []
    for number in (1, 2, 3, 4):
        response = client.get(reverse("articles:archive"), {"page": number})
        seen += [article.pk for article in response.context["articles"]]

    assert seen == expected
