"""An article's main image needs alt text, on every path that sets or publishes it.

Photos bulk-uploaded into a gallery ("Add photos") arrive without alt text, and a
gallery holding one cannot be published (tests/media/test_gallery_upload.py). The
same photo picked as an article's main image reached readers with an empty alt:
the article form, a held change put live by review and "Publish selected" now
refuse it, naming the photo and saying where to write its alt text.
"""

import pytest
from django.urls import reverse

from articles.models import Article, PendingChange
from media.models import Photo
from tests.desk.test_publishing_rights import post_form
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db

SAYS_HOW = "has no alt text yet"


@pytest.fixture
def undescribed():
    """A photo as "Add photos" stores it: in the library, no alt text yet."""
    return make_photo(title="harbour-cranes-03", alt_text="")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_form_refuses_a_main_image_without_alt_text_and_keeps_what_was_typed(
    client, chief, undescribed
):
    article = make_article(title="Port reopens")
    client.force_login(chief)

    response = post_form(
        client, change_url(article), {"photo": undescribed.pk, "title": "Port reopens at last"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert SAYS_HOW in page and "harbour-cranes-03" in page
    assert "Port reopens at last" in page  # the typed form is shown again
    article.refresh_from_db()
    assert (article.photo_id, article.title) == (None, "Port reopens")


def test_an_editors_pick_for_a_live_article_is_refused_not_held(client, editor, undescribed):
    article = make_article()
    client.force_login(editor)

    response = post_form(client, change_url(article), {"photo": undescribed.pk})

    assert response.status_code == 200 and SAYS_HOW in response.content.decode()
    assert not PendingChange.objects.exists()


def test_a_draft_cannot_take_one_either(client, chief, undescribed):
    """Drafts go live by "Publish selected", the workflow buttons and schedules alike."""
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    client.force_login(chief)

    response = post_form(client, change_url(article), {"photo": undescribed.pk})

    assert response.status_code == 200 and SAYS_HOW in response.content.decode()


def test_once_described_the_photo_is_taken(client, chief, undescribed):
    article = make_article()
    Photo.objects.filter(pk=undescribed.pk).update(alt_text="Three cranes over the harbour")
    client.force_login(chief)

    response = post_form(client, change_url(article), {"photo": undescribed.pk})

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.photo_id == undescribed.pk


def test_review_does_not_put_live_a_held_pick_without_alt_text(client, chief, editor):
    """The held change was made while the photo had alt text, or before this rule."""
    article = make_article()
    photo = make_photo(title="harbour-cranes-03")
    client.force_login(editor)
    assert post_form(client, change_url(article), {"photo": photo.pk}).status_code == 302
    Photo.objects.filter(pk=photo.pk).update(alt_text="")
    client.force_login(chief)

    response = client.post(
        reverse("admin:articles_article_review", args=[article.pk]), {"publish": "1"}, follow=True
    )

    page = response.content.decode()
    assert SAYS_HOW in page and "harbour-cranes-03" in page
    article.refresh_from_db()
    assert article.photo_id is None
    assert PendingChange.objects.get().state == PendingChange.State.PENDING


def test_publish_selected_leaves_out_a_draft_whose_main_image_has_no_alt_text(
    client, chief, undescribed
):
    # Stored before this rule, or by a script: the action still must not publish it.
    blind = make_article(status=Article.Status.DRAFT, publish_at=None, photo=undescribed)
    fine = make_article(status=Article.Status.DRAFT, publish_at=None, photo=make_photo())
    client.force_login(chief)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [blind.pk, fine.pk]},
        follow=True,
    )

    blind.refresh_from_db()
    fine.refresh_from_db()
    assert (blind.status, fine.status) == (Article.Status.DRAFT, Article.Status.PUBLISHED)
    page = response.content.decode()
    assert blind.title in page and "harbour-cranes-03" in page and "alt text" in page
