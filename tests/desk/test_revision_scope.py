"""A restore writes back one article's own version and rows, never another object's (issue 20, H2).

django-reversion looked the version up by id and object id alone and wrote back its
whole revision: an Editor could post their own draft's form with the version of
another article's tag link, correction or Related Content row that carried the same
id, and roll a live story back; one revision of a bulk action held several stories.
"""

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, ArticleNote, TaggedArticle
from tests.desk.test_publishing_rights import make_user, post_form
from tests.factories import make_article, make_related, make_section

pytestmark = pytest.mark.django_db


def saved_in_a_revision(*articles, user=None):
    with reversion.create_revision():
        reversion.set_user(user)
        for article in articles:
            article.save()
    return Version.objects.get_for_object(articles[0]).first()


@pytest.fixture
def live_story_and_a_draft():
    """A live story whose tag link, correction and pick carry the id of an Editor's draft."""
    chief = make_user("chief")
    draft = make_article(title="My draft", status=Article.Status.DRAFT, publish_at=None)
    # Saved to the second, as the article form does (versions keep milliseconds only).
    live = make_article(title="Live story", publish_at=timezone.now().replace(microsecond=0))
    TaggedArticle.objects.create(
        pk=draft.pk, content_object=live, tag=Tag.objects.create(name="Port")
    )
    make_related(live, make_article(title="Background")).__class__.objects.filter(
        article=live
    ).update(id=draft.pk)
    saved_in_a_revision(live, user=chief)  # then: a tag, a pick, no correction
    ArticleNote.objects.create(
        pk=draft.pk, article=live, kind=ArticleNote.Kind.CORRECTION, text="We misnamed the port."
    )
    saved_in_a_revision(live, user=chief)  # the text as it was: only the correction is new
    return live, draft


@pytest.mark.parametrize("followed", ["taggedarticle", "relatedarticle", "articlenote"])
def test_a_version_of_another_articles_row_is_not_restored_through_ones_own_draft(
    client, live_story_and_a_draft, followed
):
    live, draft = live_story_and_a_draft
    foreign = Version.objects.filter(content_type__model=followed, object_id=str(draft.pk)).first()
    client.force_login(make_user("editor"))

    url = reverse("admin:articles_article_revision", args=[draft.pk, foreign.pk])
    page = client.get(url)
    response = post_form(client, url)

    assert (page.status_code, response.status_code) == (404, 404)
    live.refresh_from_db()
    assert live.title == "Live story"
    assert [note.text for note in live.notes.all()] == ["We misnamed the port."]
    assert list(live.tags.names()) == ["Port"]
    assert live.related_links.count() == 1


def test_a_version_of_a_row_is_not_recovered_as_a_deleted_article(client, live_story_and_a_draft):
    live, draft = live_story_and_a_draft
    foreign = (
        Version.objects.filter(content_type__model="taggedarticle", object_id=str(draft.pk))
        .order_by("pk")
        .first()
    )
    client.force_login(make_user("chief", "other-chief"))

    response = client.post(reverse("admin:articles_article_recover", args=[foreign.pk]))

    assert response.status_code == 404
    assert [note.text for note in live.notes.all()] == ["We misnamed the port."]


def test_restoring_one_article_leaves_the_others_saved_in_the_same_revision(client):
    """A bulk action saves several articles in one revision; a restore takes back one."""
    chief = make_user("chief")
    first, second = make_article(title="First, then"), make_article(title="Second, then")
    version = saved_in_a_revision(first, second, user=chief)
    first.title, second.title = "First, now", "Second, now"
    saved_in_a_revision(first, user=chief)
    saved_in_a_revision(second, user=chief)
    client.force_login(chief)

    url = reverse("admin:articles_article_revision", args=[first.pk, version.pk])
    response = post_form(client, url)

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.title, second.title) == ("First, then", "Second, now")


def test_a_restore_brings_back_the_articles_own_rows_as_they_were(client):
    chief = make_user("chief")
    article = make_article(title="Story", tags=["Port"])
    version = saved_in_a_revision(article, user=chief)
    article.tags.set(["Airport"])
    saved_in_a_revision(article, user=chief)
    client.force_login(chief)

    post_form(client, reverse("admin:articles_article_revision", args=[article.pk, version.pk]))

    assert list(article.tags.names()) == ["Port"]


def _deleted(pick):
    pick.delete()


def _moved_to_persian(pick):
    pick.language, pick.section = "fa", make_section(language="fa")
    pick.save()


@pytest.mark.parametrize("since", [_deleted, _moved_to_persian], ids=["deleted", "moved"])
def test_a_restore_whose_pick_is_gone_since_brings_back_the_rest(client, since):
    chief = make_user("chief")
    article = make_article(title="Story")
    pick = make_article(title="Background")
    make_related(article, pick)
    version = saved_in_a_revision(article, user=chief)
    article.related_links.all().delete()
    article.title = "Retitled"
    saved_in_a_revision(article, user=chief)
    since(pick)
    client.force_login(chief)
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])

    # Not offered back; deleted, the pick's row came back dangling (a 500 on saving),
    # moved, the guard refused it (a bare 403).
    assert "Background" not in client.get(url).content.decode()
    response = post_form(client, url)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Story"
    assert not article.related_links.exists()


def test_a_deleted_draft_whose_pick_was_deleted_since_is_recovered_without_it(client):
    chief = make_user("chief")
    draft = make_article(title="Draft gone", status=Article.Status.DRAFT, publish_at=None)
    pick = make_article(title="Background")
    make_related(draft, pick)
    saved_in_a_revision(draft, user=chief)
    pk = draft.pk
    draft.delete()
    pick.delete()
    version = Version.objects.get_deleted(Article).get(object_id=str(pk))
    client.force_login(chief)
    url = reverse("admin:articles_article_recover", args=[version.pk])

    assert client.get(url).status_code == 200
    response = post_form(client, url)

    assert response.status_code == 302
    recovered = Article.objects.get(pk=pk)
    assert recovered.title == "Draft gone"
    assert not recovered.related_links.exists()
