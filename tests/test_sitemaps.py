from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from articles.models import Article
from tests.factories import make_article, make_section, make_topic

# The news sitemap keeps the last two days: each test runs at both ends of a UTC day.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("either_end_of_the_day")]

SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "n": "http://www.google.com/schemas/sitemap-news/0.9",
}


def validated(response, schema_file):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / schema_file)))
    assert schema.validate(document), schema.error_log
    return document


@pytest.fixture
def site(media_root):
    from tests.factories import make_film, make_gallery, make_map

    make_gallery(photos=1)
    make_film()
    make_map()
    make_gallery(title="Hidden gallery", slug="hidden-gallery", status="draft", publish_at=None)
    return _articles()


def _articles():
    section = make_section(slug="report")
    topic = make_topic(slug="water-diplomacy")
    fresh = make_article(title="Fresh", section=section, tags=["Water"])
    fresh.topics.add(topic)
    old = make_article(title="Old", section=section, publish_at=timezone.now() - timedelta(days=5))
    draft = make_article(
        title="Draft", status=Article.Status.DRAFT, publish_at=None, tags=["Secret"]
    )
    return fresh, old, draft


def test_index_lists_every_sitemap_and_validates(client, site):
    document = validated(client.get("/sitemap.xml"), "siteindex.xsd")

    locations = document.xpath("//s:sitemap/s:loc/text()", namespaces=NS)
    names = ("articles", "sections", "topics", "tags", "galleries", "films", "maps")
    assert locations == [f"http://testserver/sitemap-{name}.xml" for name in names]


@pytest.mark.parametrize(
    "name", ["articles", "sections", "topics", "tags", "galleries", "films", "maps"]
)
def test_each_sitemap_validates_and_has_lastmod(client, site, name):
    document = validated(client.get(f"/sitemap-{name}.xml"), "sitemap.xsd")

    urls = document.xpath("//s:url", namespaces=NS)
    assert urls
    for url in urls:
        assert url.xpath("s:lastmod", namespaces=NS), etree.tostring(url)


def test_sitemaps_hold_only_visible_content(client, site):
    fresh, old, draft = site

    articles = client.get("/sitemap-articles.xml").content.decode()
    tags = client.get("/sitemap-tags.xml").content.decode()

    assert fresh.get_absolute_url() in articles and old.get_absolute_url() in articles
    assert draft.get_absolute_url() not in articles
    assert "/en/tags/water/" in tags
    assert "/en/tags/secret/" not in tags
    assert "hidden-gallery" not in client.get("/sitemap-galleries.xml").content.decode()


def test_news_sitemap_lists_the_last_48_hours_and_validates(client, site):
    fresh, old, draft = site

    document = validated(client.get("/sitemap-news.xml"), "news-urlset.xsd")

    urls = document.xpath("//s:url", namespaces=NS)
    assert [url.findtext("s:loc", namespaces=NS) for url in urls] == [
        f"http://testserver{fresh.get_absolute_url()}"
    ]
    assert urls[0].xpath("n:news/n:title/text()", namespaces=NS) == ["Fresh"]
    assert urls[0].xpath("n:news/n:publication/n:language/text()", namespaces=NS) == ["en"]


def test_each_news_item_names_the_publication_in_its_own_editions_language(client, site):
    make_article(language="fa", title="تازه", publish_at=timezone.now() - timedelta(hours=1))

    for asked in ("fa", "en"):  # whatever language the crawler asks for
        document = validated(
            client.get("/sitemap-news.xml", headers={"accept-language": asked}),
            "news-urlset.xsd",
        )
        names = {
            url.findtext("n:news/n:publication/n:language", namespaces=NS): url.findtext(
                "n:news/n:publication/n:name", namespaces=NS
            )
            for url in document.xpath("//s:url", namespaces=NS)
        }
        assert names == {"en": "Alwaght", "fa": "الوقت"}, asked


def test_robots_points_at_the_sitemaps_and_keeps_the_admin_out(client):
    response = client.get("/robots.txt")

    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/sitemap-news.xml" in text


@pytest.mark.parametrize("count", [5, 40])
def test_article_sitemap_query_count_is_fixed(client, django_assert_num_queries, count):
    for _ in range(count):
        make_article()

    # The count for pagination, the page, and the next scheduled change (no CDN keeps
    # the sitemap past it: pagecache/middleware.py; asked once per change).
    with django_assert_num_queries(3):
        response = client.get("/sitemap-articles.xml")

    assert response.status_code == 200
    assert response.content.count(b"<loc>") == count
