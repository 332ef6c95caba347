"""Lists of headlines (Related Content, More in the section, the side blocks' lists),
written by the `headline_list` tag (articles/templatetags/article_tags.py)."""

from datetime import UTC, datetime

import lxml.html
import pytest
from django.utils import translation

from articles.models import Section
from articles.templatetags.article_tags import headline_list
from tests.factories import make_article

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 5, 29, 10, 5, tzinfo=UTC)  # 13:05 in Beirut, 13:35 in Tehran


def items(html):
    (listing,) = lxml.html.fragments_fromstring(str(html))
    return listing, listing.findall("li")


@pytest.mark.parametrize(
    ("language", "shown_date"),
    # Each edition's clock (UTC, Beirut, Tehran) and digits (Arabic's Western by default).
    [("en", "29 May, 10:05"), ("ar", "29 مايو، 13:05"), ("fa", "۸ خرداد، ۱۳:۳۵")],
)
def test_each_headline_names_its_section_links_its_article_and_dates_it(language, shown_date):
    section = Section.objects.create(name="News <&>", slug=f"news-{language}", language=language)
    article = make_article(
        title='A "quoted" <b>title</b>', section=section, language=language, publish_at=NOON
    )

    with translation.override(language):
        listing, (item,) = items(headline_list([article]))

    assert listing.get("class") == "headlines" and listing.get("data-limit") is None
    assert item.get("data-article") == str(article.pk)
    kicker = item.find("p/a")
    assert (kicker.text, kicker.get("href")) == ("News <&>", section.get_absolute_url())
    title = item.find("a")
    assert title.get("class") == "headlines__title"
    assert (title.text, title.get("href")) == (
        'A "quoted" <b>title</b>',
        article.get_absolute_url(),
    )
    time = item.find("span/time")
    assert time.text == shown_date
    assert datetime.fromisoformat(time.get("datetime")) == NOON


def test_a_quiet_list_names_the_section_after_the_date_and_keeps_its_limit():
    article = make_article(publish_at=NOON)

    listing, (item,) = items(headline_list([article], quiet_section=True, limit=4))

    assert listing.get("data-limit") == "4"
    assert item.find("p") is None
    assert item.find("span").text_content().endswith(f" · {article.section.name}")


@pytest.mark.parametrize(("language", "words"), [("en", "No news yet."), ("fa", "هنوز خبری نیست.")])
def test_an_empty_list_says_so_in_the_editions_words(language, words):
    with translation.override(language):
        _listing, (item,) = items(headline_list([]))

    assert (item.get("class"), item.text) == ("empty", words)
