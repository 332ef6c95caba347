import json

import pytest
from lxml import html

from tests.factories import make_article, make_photo, make_section

pytestmark = pytest.mark.django_db


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.fromstring(response.content)


def meta(document, key):
    values = document.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content')
    assert len(values) == 1, (key, values)
    return values[0]


@pytest.fixture
def article():
    return make_article(
        title="Talks resume",
        lead="Delegations met again.",
        byline="Staff reporter",
        tags=["Water"],
        photo=make_photo(size=(160, 90), alt_text="Delegates"),
    )


def test_article_json_ld_is_a_complete_news_article(client, article):
    document = head_of(client, article.get_absolute_url())

    scripts = document.xpath('//script[@type="application/ld+json"]/text()')
    data = json.loads(scripts[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Talks resume"
    assert data["image"] == [f"http://testserver{article.photo.image.url}"]
    assert data["datePublished"].startswith(article.publish_at.date().isoformat())
    assert data["dateModified"]
    assert data["author"] == {"@type": "Person", "name": "Staff reporter"}
    assert data["publisher"]["name"] == "Alwaght"
    assert data["publisher"]["logo"]["url"] == "http://testserver/static/img/logo.png"
    assert data["mainEntityOfPage"]["@id"] == f"http://testserver{article.get_absolute_url()}"


def test_json_ld_cannot_be_broken_out_of(client):
    article = make_article(title="</script><script>alert(1)</script>")

    content = client.get(article.get_absolute_url()).content.decode()

    assert "</script><script>alert(1)" not in content
    assert "\\u003C/script\\u003E" in content


def test_article_open_graph_and_twitter_cards(client, article):
    document = head_of(client, article.get_absolute_url())

    canonical = f"http://testserver{article.get_absolute_url()}"
    assert document.xpath('//link[@rel="canonical"]/@href') == [canonical]
    assert meta(document, "description") == "Delegations met again."
    assert meta(document, "og:type") == "article"
    assert meta(document, "og:title") == "Talks resume"
    assert meta(document, "og:url") == canonical
    assert meta(document, "og:image") == f"http://testserver{article.photo.image.url}"
    assert meta(document, "og:image:width") == "160"
    assert meta(document, "twitter:card") == "summary_large_image"


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/news/",
        "/en/section/report/",
        "/en/in-focus/",
        "/en/tags/water/",
        "/en/most-viewed/",
    ],
)
def test_every_public_page_has_canonical_description_and_cards(client, url):
    make_article(section=make_section(slug="report"), tags=["Water"])

    document = head_of(client, url)

    assert document.xpath("/html/@lang") == ["en"]
    assert document.xpath("/html/@dir") == ["ltr"]
    assert document.xpath('//link[@rel="canonical"]/@href')[0].startswith("http://testserver/en/")
    assert meta(document, "description")
    assert meta(document, "og:title")
    assert meta(document, "twitter:card")


def test_canonical_of_a_later_page_keeps_its_number(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    make_article()
    make_article()

    document = head_of(client, "/en/news/?page=2&utm_source=x")

    assert document.xpath('//link[@rel="canonical"]/@href') == ["http://testserver/en/news/?page=2"]
