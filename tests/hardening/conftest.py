import pytest
from django.db import connection

from popularity.services import article_view_record
from tests.factories import (
    make_article,
    make_comment,
    make_editors_choice,
    make_film,
    make_gallery,
    make_map,
    make_photo,
    make_topic,
)


@pytest.fixture
def reader_pages():
    """Make one of everything; return the article and every reader page type's address."""
    topic = make_topic(slug="water-diplomacy", in_focus=True)
    article = make_article(
        title="Water talks resume", tags=["Water"], photo=make_photo(size=(640, 360))
    )
    article.topics.add(topic)
    make_editors_choice(article, position=1)
    make_comment(article=article, status="approved")
    article_view_record(article_id=article.pk)
    gallery = make_gallery(photos=2)
    film = make_film()
    make_map()
    urls = [
        "/en/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        "/en/news/",
        "/en/in-focus/",
        topic.get_absolute_url(),
        "/en/tags/water/",
        "/en/most-viewed/",
        "/en/most-viewed/week/",
        "/en/search/?q=water",
        "/en/gallery/",
        gallery.get_absolute_url(),
        "/en/gallery/films/",
        film.get_absolute_url(),
        "/en/maps/",
        "/en/feed/",
        "/en/feed/atom/",
        f"{topic.get_absolute_url()}feed/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
        "/robots.txt",
    ]
    return article, urls


@pytest.fixture
def database_down():
    """Point the connection at a port nobody listens on; put it back afterwards."""

    def stop():
        connection.close()
        connection.settings_dict["PORT"] = "1"

    def start():
        connection.close()
        connection.settings_dict["PORT"] = original

    original = connection.settings_dict["PORT"]
    yield stop, start
    start()
