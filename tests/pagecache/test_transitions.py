"""The next scheduled change is found in one query, whatever kind of thing it is."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.schedule import next_scheduled_change
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
