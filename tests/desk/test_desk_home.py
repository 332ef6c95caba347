"""The desk's home page: drafts, review, schedule, latest and comments, in fixed queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, InternalNote, PendingChange
from tests.desk.actions import press
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
        sent_back = make_article(status="draft", publish_at=None, created_by=chief)
        InternalNote.objects.create(article=sent_back, author=chief, kind="sent_back")
        for state in ("draft", "pending", "returned"):
            PendingChange.objects.create(
                article=make_article(), data={}, state=state, submitted_by=chief
            )
    assert Article.objects.count() >= 8 * count
    client.force_login(chief)
    client.get("/admin/")  # warm the permission cache of this session

    # session, user, nine panels (drafts, held drafts, sent back, held sent back, in
    # review, held in review, scheduled, published, comments), the background jobs'
    # health (an administrator's warning), the header's two queue counts (asked twice
    # by the admin's index and app list), recent actions
    with django_assert_num_queries(17):
        home(client)


def test_each_person_sees_their_own_desk_their_sent_back_work_and_held_changes(client):
    editor = member_of("Editors", "ed")
    chief = member_of("Chief Editors", "chief")
    persian = member_of("Editors", "fa-ed")
    persian.groups.set([Group.objects.get(name="Editors"), Group.objects.get(name="Persian desk")])
    new_story = make_article(
        title="Port strike", status="draft", publish_at=None, created_by=editor
    )
    live = make_article(title="Ferry timetable")
    make_article(title="گزارش بندر", status="review", publish_at=None, language="fa")
    client.force_login(editor)
    press(client, new_story, "submit")
    press(client, live, "submit", lead="Ferries sail at nine.")

    client.force_login(chief)
    awaiting = home(client).context
    assert [a.title for a in awaiting["in_review"]] == ["Port strike"]  # not the Persian one
    assert [c.article.title for c in awaiting["held_in_review"]] == ["Ferry timetable"]
    assert reverse("admin:articles_article_review", args=[live.pk]) in home(client).content.decode()
    press(client, new_story, "send_back", note="Name the source.")
    client.post(
        reverse("admin:articles_article_review", args=[live.pk]),
        {"send_back": "1", "note": "Which pier?"},
    )

    client.force_login(editor)
    mine = home(client).context
    assert [a.title for a in mine["sent_back"]] == ["Port strike"]
    assert [c.article.title for c in mine["held_sent_back"]] == ["Ferry timetable"]
    assert mine["my_drafts"] == [] and mine["in_review"] == []
    press(client, live, "save_draft", lead="Ferries sail at nine from pier 2.")
    press(client, new_story, "submit")
    again = home(client).context
    assert again["sent_back"] == [] and again["held_sent_back"] == []
    assert [c.article.title for c in again["my_held_drafts"]] == ["Ferry timetable"]
    assert [a.title for a in again["in_review"]] == ["Port strike"]

    client.force_login(persian)
    theirs = home(client).context
    assert [a.title for a in theirs["in_review"]] == ["گزارش بندر"]
    assert theirs["held_in_review"] == []
