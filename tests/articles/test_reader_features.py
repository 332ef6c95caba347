"""What news readers expect on an article: author pages, sharing, reading time, next steps."""

import importlib
import re
from datetime import timedelta

import feedparser
import pytest
from django.apps import apps
from django.utils import timezone

from articles.models import Article, ArticleNote, Author
from articles.templatetags.article_tags import reading_minutes
from tests.factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db


def page_of(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_byline_links_to_the_author_page_with_photo_bio_articles_and_feed(client):
    author = make_author(name="Leila Haddad", bio="Covers water.", photo=make_photo())
    article = make_article(title="Dam deal", author=author)
    make_article(title="Not hers")

    html = page_of(client, article)
    assert f'<a href="{author.get_absolute_url()}" rel="author">Leila Haddad</a>' in html

    author_page = client.get(author.get_absolute_url()).content.decode()
    assert "Covers water." in author_page
    assert author.photo.alt_text in author_page
    assert "Dam deal" in author_page and "Not hers" not in author_page
    assert f"{author.get_absolute_url()}feed/" in author_page


def test_author_feed_lists_only_their_visible_articles(client):
    author = make_author(name="Omar Sadeghi")
    make_article(title="His story", author=author)
    make_article(title="Draft", author=author, status=Article.Status.DRAFT, publish_at=None)
    make_article(title="Someone else's")

    for suffix in ("feed/", "feed/atom/"):
        feed = feedparser.parse(client.get(author.get_absolute_url() + suffix).content)
        assert not feed.bozo
        assert [entry.title for entry in feed.entries] == ["His story"]
        assert feed.entries[0].author == "Omar Sadeghi"


def test_unknown_author_answers_404(client):
    assert client.get("/en/authors/nobody/").status_code == 404


def test_a_written_byline_overrides_the_author_name(client):
    author = make_author(name="Nadia Karim")
    article = make_article(author=author, byline="Nadia Karim and Omar Sadeghi")

    assert ">Nadia Karim and Omar Sadeghi</a>" in page_of(client, article)


def test_byline_without_author_still_shows(client):
    article = make_article(byline="Staff reporter")

    assert '<span class="article__byline">Staff reporter</span>' in page_of(client, article)


def test_bylines_become_authors_in_the_data_migration():
    migration = importlib.import_module("articles.migrations.0018_bylines_to_authors")
    first = make_article(byline="Staff reporter")
    second = make_article(byline="Staff reporter")
    other = make_article(byline="Ana Ruiz")
    unsigned = make_article(byline="")
    make_author(name="Taken", slug="staff-reporter")

    migration.bylines_to_authors(apps, None)

    for article in (first, second, other, unsigned):
        article.refresh_from_db()
    assert first.author == second.author
    assert first.author.name == "Staff reporter" and first.author.slug == "staff-reporter-2"
    assert other.author.name == "Ana Ruiz"
    assert unsigned.author is None
    assert first.byline == "Staff reporter"  # bylines stay as written
    assert Author.objects.count() == 3


def test_share_links_are_plain_addresses_and_nothing_loads_from_other_hosts(client):
    article = make_article(title="Talks & more")
    html = page_of(client, article)
    address = "http%3A%2F%2Ftestserver" + article.get_absolute_url().replace("/", "%2F")

    assert f"https://www.facebook.com/sharer/sharer.php?u={address}" in html
    assert f"mailto:?subject=Talks%20%26%20more&amp;body={address}" in html
    assert "data-share-copy" in html and "js/share.js" in html
    # Nothing is fetched from another host: scripts, styles, images, frames.
    loaded = re.findall(r'<(?:script|img|iframe|source)[^>]+(?:src|srcset)="([^"]+)"', html)
    loaded += re.findall(r'<link[^>]+rel="(?:stylesheet|icon)"[^>]+href="([^"]+)"', html)
    assert loaded and all(url.startswith("/") for url in loaded), loaded


def test_reading_time_counts_words_at_200_a_minute():
    assert reading_minutes("<p>" + "word " * 50 + "</p>") == 1
    assert reading_minutes("<p>" + "word " * 1000 + "</p>") == 5


def test_publication_time_carries_its_time_zone(client, settings):
    article = make_article()

    assert re.search(r"\d\d:\d\d UTC</time>", page_of(client, article))


def test_updated_line_shows_the_newest_note(client):
    article = make_article()
    ArticleNote.objects.create(article=article, text="Adds a figure.", noted_at=timezone.now())

    assert 'class="article__updated">Updated' in page_of(client, article)


def test_more_in_section_and_previous_next(client):
    section = make_section(name="Report")
    now = timezone.now()
    older = make_article(title="Older one", publish_at=now - timedelta(hours=3))
    article = make_article(title="This one", section=section, publish_at=now - timedelta(hours=2))
    sibling = make_article(
        title="Same section", section=section, publish_at=now - timedelta(days=2)
    )
    newer = make_article(title="Newer one", publish_at=now - timedelta(hours=1))
    make_article(title="Hidden newer", publish_at=now - timedelta(minutes=90), status="draft")

    html = page_of(client, article)

    more = html[html.index('id="more-heading"') :].split("</section>")[0]
    assert "More in Report" in more and "Same section" in more and "Older one" not in more
    pager = html[html.index('class="pager"') :].split("</nav>")[0]
    assert f'href="{older.get_absolute_url()}" rel="prev"' in pager
    assert f'href="{newer.get_absolute_url()}" rel="next"' in pager
    assert "Hidden newer" not in pager
    assert sibling.title not in pager


def test_demo_articles_show_authors_and_some_updates(client, media_root):
    from alwaght.demo.loader import load_demo_edition

    load_demo_edition()

    assert Author.objects.filter(photo__isnull=False, bio__gt="").count() >= 3
    updated = [
        article
        for article in Article.objects.for_detail()
        if 'class="article__updated"' in page_of(client, article)
    ]
    assert 1 <= len(updated) < Article.objects.count()
