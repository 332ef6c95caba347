from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def moderator(client):
    user = User.objects.create_user("mod", password="pw-for-tests-only-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(user)
    return user


def test_comment_is_invisible_until_approved_then_visible(client, moderator):
    article = make_article()
    comment = make_comment(article=article, text="Worth reading")
    assert "Worth reading" not in client.get(article.get_absolute_url()).content.decode()

    client.post(
        reverse("admin:comments_comment_moderate", args=[comment.pk, "approved"]),
        headers={"referer": "http://testserver/admin/comments/comment/?status=pending"},
    )

    comment.refresh_from_db()
    assert comment.status == "approved"
    assert comment.moderated_by == moderator
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Worth reading" in content
    assert "1 comment" in content


def test_queue_opens_on_pending_newest_first(client, moderator):
    article = make_article()
    older = make_comment(article=article)
    newer = make_comment(article=article)
    make_comment(article=article, status="approved")
    Comment.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(hours=1))

    response = client.get(CHANGELIST)

    assert list(response.context["cl"].result_list) == [newer, older]
    content = response.content.decode()
    for column in ("Comment", "Name and email", "Article", "Submitted and IP", "Moderate"):
        assert column in content
    assert newer.email in content and "203.0.113.7" in content


@pytest.mark.parametrize(("status", "count"), [("approved", 1), ("spam", 1), ("all", 3)])
def test_queue_filters_by_status(client, moderator, status, count):
    article = make_article()
    make_comment(article=article)
    make_comment(article=article, status="approved")
    make_comment(article=article, status="spam")

    response = client.get(CHANGELIST, {"status": status})

    assert len(response.context["cl"].result_list) == count


def test_search_by_name_email_and_text(client, moderator):
    make_comment(name="Nasrin", email="n@example.org", text="About water")
    make_comment(name="Omid", email="o@example.org", text="About trains")

    for query in ("Nasrin", "n@example.org", "water"):
        response = client.get(CHANGELIST, {"q": query, "status": "all"})
        assert [c.name for c in response.context["cl"].result_list] == ["Nasrin"]


@pytest.mark.parametrize(
    ("action", "status"), [("approve", "approved"), ("reject", "rejected"), ("mark_spam", "spam")]
)
def test_bulk_actions(client, moderator, action, status):
    comments = [make_comment() for _ in range(3)]

    client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [comment.pk for comment in comments[:2]]},
    )

    assert list(Comment.objects.filter(status=status).order_by("pk")) == comments[:2]
    assert Comment.objects.get(pk=comments[2].pk).status == "pending"


def test_admin_index_shows_pending_count(client, moderator):
    make_comment()
    make_comment()
    make_comment(status="approved")

    assert "Comments (2 pending)" in client.get("/admin/").content.decode()


def test_moderator_sees_only_comments_and_cannot_edit_articles(client, moderator):
    article = make_article()

    index = client.get("/admin/").content.decode()

    assert "/admin/comments/comment/" in index
    assert "/admin/articles/article/" not in index
    assert client.get(f"/admin/articles/article/{article.pk}/change/").status_code == 403
    assert client.get("/admin/articles/article/").status_code == 403


def test_editor_without_the_permission_cannot_moderate(client):
    editor = User.objects.create_user("ed", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_comment", "change_comment"])
    )
    client.force_login(editor)
    comment = make_comment()

    one_click = client.post(
        reverse("admin:comments_comment_moderate", args=[comment.pk, "approved"])
    )
    bulk = client.post(CHANGELIST, {"action": "approve", "_selected_action": [comment.pk]})
    change = client.post(f"/admin/comments/comment/{comment.pk}/change/", {"status": "approved"})

    # Comments are the moderators' (publishing/desk_rules.py), whatever else one holds.
    assert one_click.status_code == 403
    assert bulk.status_code == 403
    assert change.status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_one_click_refuses_get_and_unknown_status(client, moderator):
    comment = make_comment()

    # A GET only asks: the one-click button posts.
    assert (
        client.get(
            reverse("admin:comments_comment_moderate", args=[comment.pk, "approved"])
        ).status_code
        == 405
    )
    assert (
        client.post(
            reverse("admin:comments_comment_moderate", args=[comment.pk, "deleted"])
        ).status_code
        == 403
    )


def test_ip_addresses_are_erased_after_the_retention_period(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    old, recent = make_comment(), make_comment()
    Comment.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=31))

    call_command("erase_comment_ips", verbosity=0)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.ip_address is None
    assert recent.ip_address == "203.0.113.7"


def test_all_comments_of_an_email_can_be_erased(client, moderator):
    from django.core.management.base import CommandError

    make_comment(email="gone@example.org")
    make_comment(email="Gone@Example.org")
    kept = make_comment(email="stay@example.org")

    call_command("erase_commenter", "gone@example.org", verbosity=0)

    assert list(Comment.objects.all()) == [kept]
    with pytest.raises(CommandError):
        call_command("erase_commenter", "not an email")


def test_erase_action_in_the_admin(client, moderator):
    target = make_comment(email="gone@example.org")
    make_comment(email="gone@example.org", status="approved")
    kept = make_comment(email="stay@example.org")

    client.post(CHANGELIST, {"action": "erase_commenters", "_selected_action": [target.pk]})

    assert list(Comment.objects.all()) == [kept]


def test_count_by_article_counts_each_articles_comments_of_one_status():
    busy, quiet = make_article(), make_article()
    make_comment(article=busy, status=Comment.Status.APPROVED)
    make_comment(article=busy)
    make_comment(article=busy)
    make_comment(article=quiet, status=Comment.Status.SPAM)

    counted = Article.objects.annotate(
        pending=Comment.objects.count_by_article(Comment.Status.PENDING),
        approved=Comment.objects.count_by_article(Comment.Status.APPROVED),
    ).values_list("pk", "pending", "approved")

    assert sorted(counted) == sorted([(busy.pk, 2, 1), (quiet.pk, 0, 0)])
