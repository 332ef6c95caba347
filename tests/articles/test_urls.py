from urllib.parse import unquote

import pytest
from django.urls import reverse

from articles.models import unicode_slug
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_article_url_is_edition_id_and_slug():
    article = make_article(title="Moscow security meeting")

    assert article.get_absolute_url() == f"/en/news/{article.pk}/moscow-security-meeting/"


def test_canonical_url_answers_200(client):
    article = make_article()

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert f'rel="canonical" href="http://testserver{article.get_absolute_url()}"' in (
        response.content.decode()
    )


@pytest.mark.parametrize("wrong_slug", ["old-title", "moscow-securty-meeting", "x"])
def test_old_or_mistyped_slug_redirects_permanently(client, wrong_slug):
    article = make_article(title="Moscow security meeting")

    response = client.get(f"/en/news/{article.pk}/{wrong_slug}/")

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_address_without_slug_redirects_permanently(client):
    article = make_article()

    response = client.get(f"/en/news/{article.pk}/")

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_retitled_article_keeps_old_links_working(client):
    article = make_article(title="First headline")
    old_url = article.get_absolute_url()
    article.title, article.slug = "Better headline", "better-headline"
    article.save()

    response = client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == f"/en/news/{article.pk}/better-headline/"


def test_unknown_article_id_is_404(client):
    assert client.get("/en/news/999999/anything/").status_code == 404


@pytest.mark.parametrize("pk", ["9223372036854775808", "99999999999999999999999"])
@pytest.mark.parametrize("slug", ["", "anything/", "%D8%A7/"])
def test_an_id_past_bigint_is_404_not_a_database_error(client, pk, slug):
    # With a slug, the id reached PostgreSQL as text in a prepared statement: 500.
    assert client.get(f"/fa/news/{pk}/{slug}").status_code == 404


def test_site_root_redirects_into_the_english_edition(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/en/"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("مذاکرات آب میان سه کشور", "مذاکرات-آب-میان-سه-کشور"),
        ("اجتماع وزراء الخارجية في مسقط", "اجتماع-وزراء-الخارجية-في-مسقط"),
        ("!!!", "article"),
    ],
)
def test_slugs_keep_unicode_and_are_never_empty(title, expected):
    assert unicode_slug(title) == expected


def test_unicode_slug_article_is_reachable(client):
    article = make_article(title="اجتماع وزراء الخارجية في مسقط")

    url = article.get_absolute_url()
    response = client.get(url)

    assert unquote(url) == f"/en/news/{article.pk}/اجتماع-وزراء-الخارجية-في-مسقط/"
    assert response.status_code == 200
    assert "اجتماع وزراء الخارجية في مسقط" in response.content.decode()


def test_unknown_section_is_404(client):
    assert client.get(reverse("articles:section", kwargs={"slug": "nope"})).status_code == 404
