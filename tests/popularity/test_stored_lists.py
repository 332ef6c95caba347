"""Most Viewed lists are computed by the background job and only read by readers."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone

from popularity.models import MostViewedList, Period
from popularity.services import (
    article_view_record,
    most_viewed_due,
    most_viewed_ids,
    most_viewed_refresh,
)
from tests.factories import make_article

pytestmark = pytest.mark.django_db

EMPTY = {period.value: [] for period in Period}


def test_readers_never_sum_view_counts(django_assert_num_queries):
    article = make_article()
    article_view_record(article_id=article.pk)

    with django_assert_num_queries(1) as captured:  # the stored lists: none yet
        assert most_viewed_ids("en") == EMPTY
    assert "popularity_viewcount" not in captured.captured_queries[0]["sql"]

    with django_assert_num_queries(0):  # and then from the cache
        assert most_viewed_ids("en") == EMPTY


def test_the_job_stores_each_window_of_each_edition(settings):
    english, arabic = make_article(language="en"), make_article(language="ar")
    for article in (english, english, arabic):
        article_view_record(article_id=article.pk)
    assert set(most_viewed_due()) == {code for code, _name in settings.LANGUAGES}

    for language in most_viewed_due():
        most_viewed_refresh(language=language)

    stored = {(row.language, row.period): row.ids for row in MostViewedList.objects.all()}
    assert stored[("en", "day")] == stored[("en", "month")] == [english.pk]
    assert stored[("ar", "week")] == [arabic.pk]
    assert stored[("fa", "day")] == []
    assert most_viewed_due() == []


def test_lists_are_due_again_after_the_refresh_interval(settings):
    settings.MOST_VIEWED_CACHE_SECONDS = 300
    now = timezone.now()
    for code, _name in settings.LANGUAGES:
        most_viewed_refresh(language=code, now=now - timedelta(seconds=299))
    assert most_viewed_due() == []

    MostViewedList.objects.filter(language="ar", period="week").update(
        computed_at=now - timedelta(seconds=301)
    )

    assert most_viewed_due() == ["ar"]


def test_a_new_store_replaces_what_readers_have_cached():
    quiet, popular = make_article(), make_article()
    article_view_record(article_id=quiet.pk)
    most_viewed_refresh(language="en")
    assert most_viewed_ids("en")["day"] == [quiet.pk]
    for _ in range(3):
        article_view_record(article_id=popular.pk)

    assert most_viewed_ids("en")["day"] == [quiet.pk]  # readers never recompute
    most_viewed_refresh(language="en")

    assert most_viewed_ids("en")["day"] == [popular.pk, quiet.pk]


def test_an_app_server_without_the_jobs_cache_reads_the_stored_lists():
    article = make_article()
    article_view_record(article_id=article.pk)
    stored = most_viewed_refresh(language="en")

    cache.clear()  # e.g. files on another machine, or an evicted entry

    assert most_viewed_ids("en") == stored


def test_lists_read_just_before_a_store_are_never_kept(monkeypatch):
    """A reader reads the stored lists, the job stores new ones, then the reader keeps
    what it read: the next readers must get the new lists (they got the old ones
    for MOST_VIEWED_CACHE_SECONDS when the copy had a key of its own)."""
    quiet, popular = make_article(), make_article()
    article_view_record(article_id=quiet.pk)
    most_viewed_refresh(language="en")
    for _ in range(3):
        article_view_record(article_id=popular.pk)
    from web.fragments import forget_fragments

    cache.clear()  # an app server whose copy expired, in a process that has read nothing
    forget_fragments()
    read = MostViewedList.objects.filter

    def read_then_store(*args, **kwargs):
        rows = list(read(*args, **kwargs))  # the reader's query: the old lists
        most_viewed_refresh(language="en")  # the job stores new ones meanwhile
        return SimpleNamespace(only=lambda *fields: rows)

    monkeypatch.setattr(MostViewedList.objects, "filter", read_then_store)
    assert most_viewed_ids("en")["day"] == [quiet.pk]  # as read
    monkeypatch.undo()
    forget_fragments()  # and the next reader, in yet another process

    assert most_viewed_ids("en")["day"] == [popular.pk, quiet.pk]
