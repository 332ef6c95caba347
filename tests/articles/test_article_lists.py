"""The article column's lists in one statement (articles/pages.py `article_lists`):
previous and next, Related Content and More in the section, with the leave-out rules
of the three queries they were."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, RelatedList
from articles.pages import article_lists
from articles.related import related_articles, related_refresh
from articles.templatetags.article_tags import headline_list
from tests.factories import make_article, make_related, make_section

pytestmark = pytest.mark.django_db

EDITIONS = ["en", "ar", "fa"]


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def detail(article):
    return Article.objects.with_detail().get(pk=article.pk)  # a draft's too, as in preview


def lists_of(article, given_related=None):
    with CaptureQueriesContext(connection) as queries:
        lists = article_lists(article, detail(article), given_related)
    assert len(queries) == 2  # the article's detail (the test's), then one statement
    return lists


def pks(items):
    return [item.pk for item in items]


def neighbours(lists):
    return [item and item.pk for item in (lists.older, lists.newer)]


@pytest.mark.parametrize("language", EDITIONS)
def test_neighbours_are_the_editions_visible_articles_just_before_and_after(language):
    section = make_section(language=language)
    when = hours_ago(5)

    def story(**fields):
        return make_article(language=language, section=section, **fields)

    story(publish_at=when - timedelta(hours=2))
    older = story(publish_at=when - timedelta(hours=1))
    article = story(publish_at=when)
    newer = story(publish_at=when + timedelta(hours=1))
    story(publish_at=when + timedelta(hours=2))
    # Nearer, but not visible or not of the edition.
    story(publish_at=when - timedelta(minutes=10), status=Article.Status.DRAFT)
    story(publish_at=when + timedelta(minutes=10), unpublish_at=hours_ago(1))
    make_article(language="en" if language != "en" else "ar", publish_at=when)

    assert neighbours(lists_of(article)) == [older.pk, newer.pk]


def test_articles_published_at_the_same_moment_are_ordered_by_id():
    when = hours_ago(3)
    first, second, third = (make_article(publish_at=when) for _ in range(3))

    assert neighbours(lists_of(second)) == [first.pk, third.pk]
    assert neighbours(lists_of(first)) == [None, second.pk]
    assert neighbours(lists_of(third)) == [second.pk, None]


def test_a_scheduled_neighbour_is_not_shown_before_its_time():
    article = make_article(publish_at=hours_ago(2))
    make_article(publish_at=timezone.now() + timedelta(hours=1))

    assert neighbours(lists_of(article)) == [None, None]


def test_a_draft_in_preview_has_no_neighbours_but_its_section_lists():
    section = make_section()
    listed = make_article(section=section, publish_at=hours_ago(2))
    draft = make_article(section=section, status=Article.Status.DRAFT, publish_at=None)

    lists = lists_of(draft)

    assert neighbours(lists) == [None, None]
    assert pks(lists.more_in_section) == [listed.pk]


@pytest.mark.parametrize("language", EDITIONS)
def test_more_in_section_is_the_newest_four_leaving_out_what_the_column_shows(language):
    section = make_section(language=language)

    def story(hours, **fields):
        return make_article(
            language=language, section=section, publish_at=hours_ago(hours), **fields
        )

    older, article, newer = story(30), story(20), story(10)
    picked = story(5)
    make_related(article, picked)
    others = [story(hours) for hours in (1, 2, 3, 4, 40)]
    story(0.5, status=Article.Status.DRAFT)
    make_article(language=language, publish_at=hours_ago(0.2))  # another section

    lists = lists_of(article)

    assert pks(lists.related) == [picked.pk]
    assert neighbours(lists) == [older.pk, newer.pk]
    assert pks(lists.more_in_section) == pks(others[:4])


def test_only_the_related_content_shown_is_left_out_of_more_in_the_section():
    section = make_section()
    article = make_article(section=section, tags=["Water"], publish_at=hours_ago(100))
    make_article(publish_at=hours_ago(99))  # its neighbour, in another section
    shared = [
        make_article(section=section, tags=["Water"], publish_at=hours_ago(n + 1)) for n in range(6)
    ]
    related_refresh(article=article)
    Article.objects.filter(pk=shared[0].pk).update(status=Article.Status.DRAFT)

    lists = lists_of(article)

    # The first stored id is hidden: the next five are shown, the sixth is not.
    assert pks(lists.related) == pks(shared[1:6])
    assert pks(lists.more_in_section) == []  # nothing else in the section
    RelatedList.objects.filter(article=article).update(ids=[s.pk for s in shared[:3]])
    lists = lists_of(article)
    assert pks(lists.related) == pks(shared[1:3])
    assert pks(lists.more_in_section) == pks(shared[3:6])


@pytest.mark.parametrize("stored", ["stored list", "picks only", "empty list"])
def test_related_content_is_what_related_articles_gives(stored):
    article = make_article(tags=["Water"])
    picks = [make_article(title=f"Pick {n}", publish_at=hours_ago(n)) for n in range(7)]
    for position, pick in zip([3, 1, 2, 1, 5, 6, 7], picks, strict=True):
        make_related(article, pick, position=position)
    Article.objects.filter(pk=picks[2].pk).update(status=Article.Status.DRAFT)
    for n in range(3):
        make_article(tags=["Water"], publish_at=hours_ago(n + 0.5))
    if stored == "stored list":
        related_refresh(article=article)
    elif stored == "empty list":
        RelatedList.objects.create(article=article, ids=[], computed_at=timezone.now())

    lists = lists_of(article)

    assert pks(lists.related) == pks(related_articles(detail(article)))
    assert len(lists.related) == (0 if stored == "empty list" else 5)


def test_a_previews_own_related_content_is_left_out_not_read():
    section = make_section()
    article = make_article(section=section, publish_at=hours_ago(20))
    make_article(publish_at=hours_ago(19))  # its neighbour, in another section
    held = make_article(section=section, publish_at=hours_ago(1))  # a held pick
    live = make_article(section=section, publish_at=hours_ago(2))
    make_related(article, live)

    lists = lists_of(article, given_related=[held])

    assert lists.related == []  # the page shows the preview's own list
    assert pks(lists.more_in_section) == [live.pk]


@pytest.mark.parametrize("language", EDITIONS)
def test_a_headline_is_written_as_its_article_is(language):
    section = make_section(language=language, name="News <&>", slug=f"news-{language}")
    picked = make_article(language=language, section=section, title='A "quoted" <b>title</b>')
    article = make_article(language=language)
    make_related(article, picked)

    (headline,) = lists_of(article).related

    assert headline_list([headline]) == headline_list([picked])
    assert headline_list([headline], quiet_section=True) == headline_list(
        [picked], quiet_section=True
    )
