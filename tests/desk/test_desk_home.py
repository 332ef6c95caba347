"""The desk's home page: drafts, review, schedule, latest and comments, in fixed queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.desk.test_desk import member_of
from tests.factories import make_article, make_comment

# The schedule is grouped by day: each test runs at both ends of a UTC day.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("either_end_of_the_day")]


def home(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    return response


def test_each_panel_lists_what_it_names(client):
    editor = member_of("Editors", "ed")
    mine = make_article(title="My own draft", status="draft", publish_at=None, created_by=editor)
    make_article(title="Someone else's draft", status="draft", publish_at=None)
    make_article(title="Ready for review", status="review", publish_at=None)
    tomorrow = timezone.now() + timedelta(days=1)
    make_article(title="Tomorrow's story", publish_at=tomorrow)
    make_article(title="Next month's story", publish_at=timezone.now() + timedelta(days=30))
    make_article(title="Out this morning")
    make_comment(text="Please fix the second paragraph.", status="pending")
    client.force_login(editor)

    response = home(client)

    assert [a.title for a in response.context["my_drafts"]] == [mine.title]
    assert [a.title for a in response.context["in_review"]] == ["Ready for review"]
    ((day, scheduled),) = response.context["scheduled_by_day"]
    assert day == timezone.localtime(tomorrow).date()
    assert [a.title for a in scheduled] == ["Tomorrow's story"]
    assert "Out this morning" in [a.title for a in response.context["recently_published"]]
    assert "Tomorrow's story" not in [a.title for a in response.context["recently_published"]]
    content = response.content.decode()
    assert "Someone else&#x27;s draft" not in content
    assert "Please fix the second paragraph." not in content  # comments are moderators' work


def test_moderators_see_comments_only(client):
    make_article(title="A story")
    make_comment(text="A pending remark.", status="pending")
    client.force_login(member_of("Moderators", "mod"))

    response = home(client)

    assert "A pending remark." in response.content.decode()
    assert "my_drafts" not in response.context


@pytest.mark.parametrize("count", [5, 50])
def test_the_home_page_costs_the_same_queries_with_more_articles(
    client, django_assert_num_queries, count
):
    chief = member_of("Chief Editors", "chief")
    chief.is_superuser = True  # every panel, the comments' too
    chief.save()
    for number in range(count):
        make_article(status="draft", publish_at=None, created_by=chief)
        make_article(status="review", publish_at=None)
        make_article(publish_at=timezone.now() + timedelta(hours=number + 1))
        make_comment(status="pending")
    assert Article.objects.count() >= 4 * count
    client.force_login(chief)
    client.get("/admin/")  # warm the permission cache of this session

    # session, user, five panels, the background jobs' health (an administrator's
    # warning), the header's two queue counts (asked twice by the admin's index and
    # app list), recent actions
    with django_assert_num_queries(13):
        home(client)
