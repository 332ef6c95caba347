"""The next scheduled change is found in one query, whatever kind of thing it is."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.schedule import next_change_remembered, next_scheduled_change
from tests.factories import make_article, make_editors_choice, make_gallery

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def test_nothing_scheduled(django_assert_num_queries):
    make_article()
    with django_assert_num_queries(1):
        assert next_scheduled_change(timezone.now()) is None


@pytest.mark.parametrize(
    "kind", ["publish", "unpublish", "editors-choice", "gallery", "gallery-end"]
)
def test_the_soonest_change_of_any_kind_is_found(kind, django_assert_num_queries):
    now = timezone.now()
    later = make_article(publish_at=now + 3 * HOUR)  # a later change, to be beaten
    soon = now + HOUR
    if kind == "publish":
        make_article(publish_at=soon)
    elif kind == "unpublish":
        make_article(unpublish_at=soon)
    elif kind == "editors-choice":
        make_editors_choice(make_article(), until=soon)
    elif kind == "gallery":
        make_gallery(publish_at=soon)
    else:
        make_gallery(unpublish_at=soon)
    make_article(status=Article.Status.DRAFT, publish_at=now + HOUR / 2)  # not published

    with django_assert_num_queries(1):
        moment = next_scheduled_change(now)

    assert moment == soon
    assert later.publish_at > moment


def test_readers_ask_once_per_change_or_until_the_moment_passes(
    stopped_clock, django_assert_num_queries
):
    """Rendered fragments and pages ask the remembered answer: no query per render."""
    soon = timezone.now() + HOUR
    make_article(publish_at=soon)
    with django_assert_num_queries(1):
        assert next_change_remembered(timezone.now()) == soon
    with django_assert_num_queries(0):
        assert next_change_remembered(timezone.now()) == soon

    later = make_article(publish_at=soon - HOUR / 2)  # a change: asked again
    with django_assert_num_queries(1):
        assert next_change_remembered(timezone.now()) == later.publish_at

    stopped_clock.move_to(later.publish_at)  # its moment passed: asked again
    with django_assert_num_queries(1):
        assert next_change_remembered(timezone.now()) == soon
