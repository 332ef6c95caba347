"""Takedowns: unpublishing a live article records who, when and why; readers get 410."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Takedown
from tests.desk.test_publishing_rights import form_values, make_user, post_form
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client):
    user = make_user("chief")
    client.force_login(user)
    return user


def test_the_form_asks_why_then_records_the_takedown_and_readers_get_410(client, chief):
    article = make_article(title="Contested story")
    url = reverse("admin:articles_article_change", args=[article.pk])
    reader_url = article.get_absolute_url()

    without = post_form(client, url, {"status": "draft"})
    still_live = Article.objects.get(pk=article.pk).is_live
    with_reason = post_form(client, url, {"status": "draft", "takedown_reason": "Court order 12"})

    assert without.status_code == 200
    assert "Say why this published article is taken down" in without.content.decode()
    assert still_live
    assert with_reason.status_code == 302
    takedown = Takedown.objects.get(article=article)
    assert (takedown.taken_down_by, takedown.reason) == (chief, "Court order 12")
    gone = client.get(reader_url)
    assert gone.status_code == 410
    assert "withdrawn" in gone.content.decode()
    assert "Court order 12" in client.get(url).content.decode()  # on the desk, not to readers
    assert "Court order 12" not in gone.content.decode()


def test_the_bulk_take_down_asks_for_a_reason_first(client, chief):
    articles = [make_article(), make_article()]
    changelist = reverse("admin:articles_article_changelist")
    selected = {"action": "unpublish", "_selected_action": [a.pk for a in articles]}

    asked = client.post(changelist, selected)
    blank = client.post(changelist, {**selected, "confirm": "yes", "takedown_reason": " "})
    done = client.post(
        changelist, {**selected, "confirm": "yes", "takedown_reason": "Wrong figures"}
    )

    assert asked.status_code == 200 and "Reason" in asked.content.decode()
    assert "Say why these articles are taken down" in blank.content.decode()
    assert done.status_code == 302
    assert not Article.objects.published().exists()
    assert Takedown.objects.filter(reason="Wrong figures", taken_down_by=chief).count() == 2
    for article in articles:
        assert client.get(article.get_absolute_url()).status_code == 410


def test_an_article_never_published_is_404_not_410(client):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)

    assert client.get(f"/en/news/{draft.pk}/{draft.slug}/").status_code == 404
    assert client.get("/en/news/999999/nothing/").status_code == 404


def test_republishing_a_taken_down_article_brings_it_back(client, chief):
    article = make_article()
    url = reverse("admin:articles_article_change", args=[article.pk])
    post_form(client, url, {"status": "draft", "takedown_reason": "Checking a quote"})

    assert post_form(client, url, {"status": "published"}).status_code == 302
    assert client.get(article.get_absolute_url()).status_code == 200


def test_restoring_a_draft_version_over_a_live_article_keeps_it_live(client, chief):
    """A restore brings back text, not a status: no takedown by accident (issue 22, item 6)."""
    article = make_article(status=Article.Status.DRAFT, publish_at=None, title="Draft words")
    url = reverse("admin:articles_article_change", args=[article.pk])
    post_form(client, url)  # the draft version
    post_form(client, url, {"status": "published", "title": "Live words"})
    draft_version = Version.objects.get_for_object(article).last()
    restore = reverse("admin:articles_article_revision", args=[article.pk, draft_version.pk])

    page = client.get(restore)
    response = post_form(client, restore)

    assert "the article stays as it is now (Published)" in page.content.decode()
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_live and article.title == "Draft words"
    assert not Takedown.objects.filter(article=article).exists()


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_hard_delete_needs_publish_rights(client, role):
    article = make_article()
    client.force_login(make_user(role))

    response = client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_chief_editors_hard_delete_an_article_off_the_site(client, chief):
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    page = client.get(reverse("admin:articles_article_delete", args=[article.pk]))

    response = client.post(page.request["PATH_INFO"], {"post": "yes"})

    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_the_takedown_reason_field_is_on_the_form(client, chief):
    article = make_article()

    data = form_values(client.get(reverse("admin:articles_article_change", args=[article.pk])))

    assert "takedown_reason" in data


# --- Every path that takes a live article off the site records why (issue 20 L3, L4) ---


def test_ending_a_live_article_now_asks_why_and_records_it(client, chief):
    article = make_article()
    client.force_login(chief)
    url = reverse("admin:articles_article_change", args=[article.pk])
    ended = timezone.localtime(timezone.now() - timedelta(minutes=1))
    unpublish_at = {
        "unpublish_at_0": ended.strftime("%Y-%m-%d"),
        "unpublish_at_1": ended.strftime("%H:%M:%S"),
    }

    without_reason = post_form(client, url, unpublish_at)
    with_reason = post_form(client, url, {**unpublish_at, "takedown_reason": "Legal request"})

    assert without_reason.status_code == 200  # the form again, asking why
    assert with_reason.status_code == 302
    assert Takedown.objects.get(article=article).reason == "Legal request"


def test_a_live_article_is_taken_down_before_it_can_be_deleted(client, chief):
    article = make_article()
    client.force_login(chief)

    response = client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}, follow=True
    )
    actions = client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert Article.objects.filter(pk=article.pk).exists()
    assert "take it down first" in response.content.decode()
    assert 'value="delete_selected"' not in actions


def test_publish_selected_leaves_out_what_an_editor_changed_last(client, chief, editor):
    read = make_article(status=Article.Status.DRAFT, publish_at=None, updated_by=chief)
    unread = make_article(status=Article.Status.DRAFT, publish_at=None, updated_by=editor)
    client.force_login(chief)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [read.pk, unread.pk]},
        follow=True,
    )

    read.refresh_from_db()
    unread.refresh_from_db()
    assert read.status == Article.Status.PUBLISHED
    assert unread.status == Article.Status.DRAFT
    assert unread.title in response.content.decode()


# --- Deleting a taken-down article keeps its address gone (the legal desk's record) ---


def test_deleting_a_taken_down_article_keeps_its_address_410_and_the_record(client, chief):
    article = make_article(title="Contested story")
    pk, reader_url = article.pk, article.get_absolute_url()
    url = reverse("admin:articles_article_change", args=[pk])
    assert post_form(client, url, {"status": "draft", "takedown_reason": "Court order 12"})

    deleted = client.post(reverse("admin:articles_article_delete", args=[pk]), {"post": "yes"})

    assert deleted.status_code == 302 and not Article.objects.filter(pk=pk).exists()
    gone = client.get(reader_url)
    assert gone.status_code == 410 and "withdrawn" in gone.content.decode()
    assert client.get(f"/en/news/{pk}/").status_code == 410
    takedown = Takedown.objects.get()
    assert (takedown.article_number, takedown.language, takedown.slug, takedown.title) == (
        pk,
        "en",
        article.slug,
        "Contested story",
    )
    assert (takedown.reason, takedown.taken_down_by) == ("Court order 12", chief)


def test_a_new_article_with_the_deleted_ones_slug_lives_at_its_own_address(client, chief):
    article = make_article(title="Contested story")
    url = reverse("admin:articles_article_change", args=[article.pk])
    post_form(client, url, {"status": "draft", "takedown_reason": "Court order 12"})
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})

    again = make_article(title="Contested story", slug=article.slug)

    assert again.slug == article.slug and again.pk != article.pk
    assert client.get(again.get_absolute_url()).status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 410


def test_a_recovered_article_shows_its_takedowns_again(client, chief):
    article = make_article(title="Contested story")
    url = reverse("admin:articles_article_change", args=[article.pk])
    post_form(client, url, {"status": "draft", "takedown_reason": "Court order 12"})
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    deleted = Version.objects.get_deleted(Article).first()

    recovered = post_form(client, reverse("admin:articles_article_recover", args=[deleted.pk]))

    assert recovered.status_code == 302
    assert client.get(article.get_absolute_url()).status_code == 410  # back as a draft
    assert "Court order 12" in client.get(url).content.decode()
