"""Standing pages, authors and feeds speak each edition's language."""

import re

import feedparser
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import override

from alwaght.models import FOOTER_PAGES, Page
from articles.models import Article, Author

pytestmark = pytest.mark.django_db

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Latin that belongs in any edition: the demo's address and "IP".
ALLOWED_LATIN = {"newsroom", "example", "org"}


def latin_words(text: str) -> set[str]:
    return set(LATIN_WORD.findall(text)) - ALLOWED_LATIN


def test_each_edition_has_its_own_standing_pages_authors_and_feeds(client, media_root):
    call_command("load_demo", verbosity=0)  # one test: loading the demo is the slow part

    for edition in ("ar", "fa"):
        pages = Page.objects.filter(language=edition)
        assert sorted(pages.values_list("slug", flat=True)) == sorted(s for s, _n in FOOTER_PAGES)
        for page in pages:
            response = client.get(page.get_absolute_url())
            assert response.context["page"] == page
            assert latin_words(page.title + page.body) == set(), (edition, page.slug)

        writers = Author.objects.filter(articles__language=edition).distinct()
        assert writers.count() >= 2
        for author in writers:
            assert latin_words(author.name + author.bio) == set()
            assert not author.articles.exclude(language=edition).exists()
            with override(edition):
                content = client.get(author.get_absolute_url()).content.decode()
            for article in Article.objects.published().filter(author=author)[:3]:
                assert article.title in content
            assert f'<h1 dir="auto">{author.name}</h1>' in content

        with override(edition):
            feeds = [
                reverse("articles:feed"),
                reverse("articles:author-feed", args=[writers[0].slug]),
            ]
            section = Article.objects.filter(language=edition).first().section
            feeds.append(reverse("articles:section-feed", args=[section.slug]))
        for address in feeds:
            feed = feedparser.parse(client.get(address).content)
            assert not feed.bozo, address
            channel = feed.feed.title + " " + feed.feed.get("subtitle", "")
            assert latin_words(channel) == set(), (address, channel)


def test_the_english_about_page_no_longer_promises_the_other_editions(client, media_root):
    call_command("load_demo", verbosity=0)

    about = Page.objects.get(language="en", slug="about")

    assert "room for Arabic" not in about.body
    assert "English, Arabic and Persian" in about.body
