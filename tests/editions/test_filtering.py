"""Each edition is its own newsroom: every reader page shows only its content."""

import feedparser
import pytest
from django.urls import reverse
from django.utils.translation import override
from lxml import etree

from tests.factories import (
    make_article,
    make_editors_choice,
    make_gallery,
    make_section,
    make_topic,
)

pytestmark = pytest.mark.django_db


def url(name, edition, *args):
    with override(edition):
        return reverse(name, args=args)


@pytest.fixture
def two_editions():
    """One English and one Persian article, sharing a tag, each in its own section and topic."""
    english_topic = make_topic(name="Sanctions", slug="sanctions", in_focus=True)
    persian_topic = make_topic(name="تحریم‌ها", slug="sanctions", in_focus=True, language="fa")
    english = make_article(title="Talks resume in Vienna", tags=["Vienna"])
    persian = make_article(title="گفتگوها در وین از سر گرفته شد", tags=["Vienna"], language="fa")
    english.topics.set([english_topic])
    persian.topics.set([persian_topic])
    make_editors_choice(english, position=1)
    make_editors_choice(persian, position=2)
    return english, persian


@pytest.mark.parametrize("path", ["/en/", "/ar/", "/fa/"])
def test_every_edition_has_a_front_page(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["Content-Language"] == path.strip("/")


@pytest.mark.parametrize(
    ("accept", "edition"), [("fa-IR,fa;q=0.9,en;q=0.5", "fa"), ("ar", "ar"), ("de, en;q=0.4", "en")]
)
def test_the_root_goes_to_the_browsers_first_edition(client, accept, edition):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/{edition}/"


def test_front_page_shows_only_its_editions_articles_topics_and_choices(client, two_editions):
    english, persian = two_editions

    page = client.get("/fa/").content.decode()

    assert persian.title in page
    assert "تحریم‌ها" in page
    assert english.title not in page
    assert "Sanctions" not in page


def test_sections_and_topics_belong_to_one_edition(client, two_editions):
    english, persian = two_editions

    assert client.get(persian.section.get_absolute_url()).status_code == 200
    # The English section's slug under the Persian prefix is not a Persian section.
    assert client.get(url("articles:section", "fa", english.section.slug)).status_code == 404
    topic_page = client.get(url("topics:detail", "fa", "sanctions")).content.decode()
    assert persian.title in topic_page
    assert english.title not in topic_page
    index = client.get(url("topics:index", "fa")).content.decode()
    assert "تحریم‌ها" in index and "Sanctions" not in index


def test_a_shared_tag_lists_only_the_editions_articles(client, two_editions):
    english, persian = two_editions

    page = client.get(url("articles:tag", "fa", "vienna")).content.decode()

    assert persian.title in page
    assert english.title not in page


def test_section_nav_lists_the_editions_sections(client, two_editions):
    english, persian = two_editions

    page = client.get("/fa/").content.decode()

    assert persian.section.name in page
    assert english.section.name not in page


def test_galleries_and_their_pages_belong_to_one_edition(client):
    english = make_gallery(title="Harbour at dawn", photos=1)
    arabic = make_gallery(title="الميناء عند الفجر", photos=1, language="ar")

    index = client.get(url("media:index", "ar")).content.decode()

    assert arabic.title in index and english.title not in index
    assert client.get(arabic.get_absolute_url()).status_code == 200
    assert client.get(url("media:gallery", "ar", english.slug)).status_code == 404


def test_feeds_carry_only_the_editions_articles(client, two_editions):
    english, persian = two_editions

    feed = feedparser.parse(client.get(url("articles:feed", "fa")).content)
    tag_feed = feedparser.parse(client.get(url("articles:tag-feed", "fa", "vienna")).content)
    section_feed = feedparser.parse(
        client.get(url("articles:section-feed", "en", english.section.slug)).content
    )

    assert [entry.title for entry in feed.entries] == [persian.title]
    assert [entry.title for entry in tag_feed.entries] == [persian.title]
    assert [entry.title for entry in section_feed.entries] == [english.title]


def test_search_finds_only_the_editions_articles(client, two_editions):
    english, persian = two_editions

    page = client.get(url("articles:search", "fa"), {"q": "Vienna"}).content.decode()

    assert persian.title in page
    assert english.title not in page


def test_sitemaps_list_each_editions_pages_under_its_prefix(client, two_editions):
    english, persian = two_editions
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

    def locations(name):
        body = client.get(f"/sitemap-{name}.xml").content
        return set(etree.fromstring(body).xpath("//s:loc/text()", namespaces=namespace))

    assert {
        "http://testserver/en/tags/vienna/",
        "http://testserver/fa/tags/vienna/",
    } == locations("tags")
    assert f"http://testserver{persian.section.get_absolute_url()}" in locations("sections")
    assert "http://testserver/fa/in-focus/sanctions/" in locations("topics")
    assert f"http://testserver{persian.get_absolute_url()}" in locations("articles")


def test_an_article_under_another_editions_prefix_redirects_to_its_own(client):
    arabic = make_article(title="مقال", language="ar", section=make_section(language="ar"))

    response = client.get(url("articles:detail", "en", arabic.pk, arabic.slug))

    assert response.status_code == 301
    assert response.headers["Location"].startswith("/ar/")
