import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

# "²" and "①" are digits to str.isdigit() but not to int(): they answered 500.
BAD_PAGES = ["0", "-1", "9999", "abc", "1.5", "%00", "99999999999999999999999", "²", "①"]


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
        assert client.get(url, {"page": page}, follow=True).status_code == 200


def test_pages_link_to_each_other(client, section_with_three_pages):
    content = client.get(reverse("articles:archive"), {"page": "2"}).content.decode()

    assert 'rel="prev" href="?page=1"' in content
    assert 'rel="next" href="?page=3"' in content
    assert '<a href="?page=1">1</a>' in content
    assert 'aria-current="page">Page 2</span>' in content
    assert '<a href="?page=3">3</a>' in content


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


# --- Deep pages: addressed by article, never counted or OFFSET ---------------------


@pytest.fixture
def three_numbered_pages(monkeypatch):
    monkeypatch.setattr("web.pagination.NUMBERED_PAGES", 3)
    for _ in range(11):
        make_article()
    return list(Article.objects.for_listing().values_list("pk", flat=True))


def pks(response):
    return [article.pk for article in response.context["articles"]]


def test_past_the_numbered_pages_older_links_walk_by_article(client, three_numbered_pages):
    expected = three_numbered_pages
    seen, query, queries = [], {"page": "1"}, []
    for _ in range(6):
        queries.append(query)
        response = client.get(reverse("articles:archive"), query)
        assert response.status_code == 200
        seen += pks(response)
        page = response.context["page_obj"]
        if not page.has_next:
            break
        key, value = page.next_query.split("=")
        query = {key: value}

    assert seen == expected
    assert queries == [
        {"page": "1"},
        {"page": "2"},
        {"page": "3"},
        {"before": str(expected[5])},
        {"before": str(expected[7])},
        {"before": str(expected[9])},
    ]


def test_newer_links_walk_back_to_page_one(client, three_numbered_pages):
    expected = three_numbered_pages
    response = client.get(reverse("articles:archive"), {"before": expected[7]})
    assert pks(response) == expected[8:10]
    previous = response.context["page_obj"].previous_query
    assert previous == f"after={expected[8]}"

    response = client.get(reverse("articles:archive"), {"after": expected[8]})
    assert pks(response) == expected[6:8]

    response = client.get(reverse("articles:archive"), {"after": expected[1]})
    assert response.status_code == 301
    assert response["Location"] == reverse("articles:archive")


def test_old_deep_page_numbers_redirect_to_their_article_address(client, three_numbered_pages):
    expected = three_numbered_pages

    response = client.get(reverse("articles:archive"), {"page": "5"})

    assert response.status_code == 301
    assert response["Location"] == reverse("articles:archive") + f"?before={expected[7]}"
    assert pks(client.get(response["Location"])) == expected[8:10]
    assert client.get(reverse("articles:archive"), {"page": "9"}).status_code == 404


def test_the_last_page_of_a_long_archive_is_its_oldest_articles(client, three_numbered_pages):
    response = client.get(reverse("articles:archive"), {"page": "last"})

    assert pks(response) == three_numbered_pages[-2:]
    assert response.context["page_obj"].previous_query == f"after={three_numbered_pages[-2]}"


@pytest.mark.parametrize("value", ["abc", "-1", "99999999", "1" * 30, "", "²", "1²"])
def test_bad_or_unknown_article_addresses_answer_404(client, three_numbered_pages, value):
    for key in ("before", "after"):
        assert client.get(reverse("articles:archive"), {key: value}).status_code == 404


def test_an_article_of_another_list_or_unpublished_is_no_address(client, three_numbered_pages):
    other = make_article(section=make_section(slug="elsewhere"))
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    section_url = reverse("articles:section", kwargs={"slug": "elsewhere"})

    assert client.get(reverse("articles:archive"), {"before": draft.pk}).status_code == 404
    assert client.get(section_url, {"before": three_numbered_pages[0]}).status_code == 404
    assert client.get(section_url, {"before": other.pk}).status_code == 404  # nothing older


@pytest.mark.parametrize("count", [5, 50])
def test_pages_by_article_run_fixed_queries_and_no_count(client, django_assert_num_queries, count):
    for _ in range(count):
        make_article()
    newest = list(Article.objects.for_listing().values_list("pk", flat=True))
    client.get(reverse("articles:archive"))  # caches the navigation's sections

    # The cursor article and the rows (the next scheduled change, when the
    # rendered list expires, is remembered since the first page: articles/schedule.py);
    # a later view reads the list.
    with django_assert_num_queries(2) as queries:
        client.get(reverse("articles:archive"), {"before": newest[2]})
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)
    with django_assert_num_queries(0):
        client.get(reverse("articles:archive"), {"before": newest[2]})


def test_numbered_pages_run_no_count(client, django_assert_num_queries):
    for _ in range(5):
        make_article()
    client.get(reverse("articles:archive"))

    # The rows (one more than shown); the next scheduled change is remembered.
    with django_assert_num_queries(1) as queries:
        response = client.get(reverse("articles:archive"), {"page": "2"})
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)
    assert response.context["page_obj"].nearby == [1, 2, 3]
