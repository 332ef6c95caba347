"""Beside an article, the side blocks leave out the article and what its column shows."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from alwaght.blocks import EDITORS_CHOICE_LIMIT, NEWS_LIMIT, leave_out
from popularity.models import MostViewedList
from tests.factories import make_article, make_editors_choice, make_related, make_section

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def block(client, article, name) -> list[str]:
    """Return the headlines of one side block (choice, news, most-viewed) beside `article`."""
    html = client.get(article.get_absolute_url()).content.decode()
    aside = html[html.index('class="article-aside') :]
    section = aside[aside.index(f"block--{name}") :]
    section = section[: section.index("</section>")]
    return re.findall(r'class="(?:headlines|ranked)__title" href="[^"]*">([^<]*)</a>', section)


def test_the_article_being_read_is_not_in_its_own_side_blocks(client):
    stories = [make_article(title=f"Chosen {n}", publish_at=hours_ago(n)) for n in range(3)]
    for story in stories:
        make_editors_choice(story)
    MostViewedList.objects.create(
        language="en", period="day", ids=[s.pk for s in stories], computed_at=timezone.now()
    )

    choice = block(client, stories[1], "choice")
    ranked = block(client, stories[1], "most-viewed")

    assert "Chosen 1" not in choice and "Chosen 1" not in ranked
    assert ranked == ["Chosen 0", "Chosen 2"]  # Most Viewed keeps its order, less the article
    assert block(client, stories[0], "most-viewed") == ["Chosen 1", "Chosen 2"]  # each its own


def test_headlines_of_the_column_are_not_repeated_beside_it(client):
    section = make_section()
    article = make_article(title="Read now", section=section, publish_at=hours_ago(50))
    picked = make_article(title="Related pick", publish_at=hours_ago(40))
    make_related(article, picked)
    make_article(title="Same section", section=section, publish_at=hours_ago(30))
    for n in range(NEWS_LIMIT + 2):
        make_article(title=f"News {n}", publish_at=hours_ago(n))

    page = client.get(article.get_absolute_url()).content.decode()
    news = block(client, article, "news")

    assert "Related pick" in page and "Same section" in page  # in the column, once
    assert page.count(">Related pick<") == 1 and page.count(">Same section<") == 1
    assert len(news) == NEWS_LIMIT  # the spares fill what was left out
    assert "Read now" not in news and not {"Related pick", "Same section"} & set(news)


def test_more_in_section_repeats_no_related_story_nor_the_neighbours(client):
    section = make_section()
    older = make_article(title="Older one", section=section, publish_at=hours_ago(30))
    article = make_article(title="Read now", section=section, publish_at=hours_ago(20))
    newer = make_article(title="Newer one", section=section, publish_at=hours_ago(10))
    picked = make_article(title="Picked one", section=section, publish_at=hours_ago(5))
    other = make_article(title="Another one", section=section, publish_at=hours_ago(1))
    make_related(article, picked)

    page = client.get(article.get_absolute_url()).content.decode()
    more = page[page.index('class="more-in-section"') :]
    more = more[: more.index("</section>")]

    assert other.title in more
    assert not any(title in more for title in (older.title, newer.title, picked.title))


def test_spares_never_show_where_nothing_is_left_out():
    items = "".join(
        f'<li class="headlines__item" data-article="{n}"><a>{n}</a></li>' for n in range(1, 6)
    )
    html = f'<ol class="headlines" data-limit="3">{items}</ol><ol class="ranked">{items}</ol>'

    kept = leave_out(html, shown={2}, reading=4)

    first, second = kept.split('<ol class="ranked">')
    assert re.findall(r'data-article="(\d)"', first) == ["1", "3", "5"]
    assert re.findall(r'data-article="(\d)"', second) == ["1", "2", "3", "5"]
    assert EDITORS_CHOICE_LIMIT == 7
