import pytest
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def search(client, query):
    return client.get(reverse("articles:search"), {"q": query})


def test_finds_articles_by_words_in_title_or_lead(client):
    by_title = make_article(title="Water talks resume", lead="Delegations met.")
    by_lead = make_article(title="Rivers", lead="The water level fell.")
    make_article(title="Metro opens", lead="A new line.")

    response = search(client, "  WATER  ")

    assert response.status_code == 200
    assert set(response.context["articles"]) == {by_title, by_lead}
    assert "2 articles match “WATER”." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word or two to search for."),
        ("   ", "Type a word or two to search for."),
        ("?!…—", "Type a word or two to search for."),
        ("\u202e\u200b", "Type a word or two to search for."),
        ("x" * 201, "Please shorten your search to 200 characters."),
        ("water\x00", "Null characters are not allowed."),
    ],
)
def test_bad_queries_get_a_calm_page_with_the_reason(client, query, message):
    response = search(client, query)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(response.context["articles"]) == []


def test_the_reader_keeps_what_they_typed(client):
    response = search(client, "x" * 201)

    assert f'value="{"x" * 201}"' in response.content.decode()


def test_search_page_without_query_shows_only_the_form(client):
    response = client.get(reverse("articles:search"))

    assert response.status_code == 200
    assert "field-error" not in response.content.decode()
