"""An article's share image needs alt text, on the paths its main image's does.

The share image (`social_photo`) is the og:image of every link to the article, and
its alt text is og:image:alt. A photo bulk-uploaded into a gallery has none yet;
picked as the share image it went out with an empty og:image:alt. The article
form, a held change put live by review and "Publish selected" refuse it, naming
the photo and saying where to write its alt text (as for the main image,
tests/desk/test_main_image_alt_text.py).
"""

import pytest
from django.urls import reverse

from articles.models import Article, PendingChange
from media.models import Photo
from tests.desk.test_publishing_rights import post_form
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db

SAYS_HOW = "cannot be the share image"


@pytest.fixture
def undescribed():
    """A photo as "Add photos" stores it: in the library, no alt text yet."""
    return make_photo(title="harbour-cranes-03", alt_text="")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_form_refuses_a_share_image_without_alt_text_and_keeps_what_was_typed(
    client, chief, undescribed
):
    article = make_article(title="Port reopens")
    client.force_login(chief)

    response = post_form(
        client,
        change_url(article),
        {"social_photo": undescribed.pk, "title": "Port reopens at last"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert SAYS_HOW in page and "harbour-cranes-03" in page
    assert "Port reopens at last" in page
    article.refresh_from_db()
    assert (article.social_photo_id, article.title) == (None, "Port reopens")


def test_an_editors_share_image_for_a_live_article_is_refused_not_held(client, editor, undescribed):
    article = make_article()
    client.force_login(editor)

    response = post_form(client, change_url(article), {"social_photo": undescribed.pk})

    assert response.status_code == 200 and SAYS_HOW in response.content.decode()
    assert not PendingChange.objects.exists()


def test_a_described_share_image_is_taken(client, chief):
    article = make_article()
    photo = make_photo(alt_text="Three cranes over the harbour")
    client.force_login(chief)

    response = post_form(client, change_url(article), {"social_photo": photo.pk})

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.social_photo_id == photo.pk


def test_review_does_not_put_live_a_held_share_image_without_alt_text(client, chief, editor):
    """The held change was made while the photo had alt text, or before this rule."""
    article = make_article()
    photo = make_photo(title="harbour-cranes-03")
    client.force_login(editor)
    assert post_form(client, change_url(article), {"social_photo": photo.pk}).status_code == 302
    Photo.objects.filter(pk=photo.pk).update(alt_text="")
    client.force_login(chief)

    response = client.post(
        reverse("admin:articles_article_review", args=[article.pk]), {"publish": "1"}, follow=True
    )

    page = response.content.decode()
    assert SAYS_HOW in page and "harbour-cranes-03" in page
    article.refresh_from_db()
    assert article.social_photo_id is None
    assert PendingChange.objects.get().state == PendingChange.State.PENDING


def test_publish_selected_leaves_out_a_draft_whose_share_image_has_no_alt_text(
    client, chief, undescribed
):
    blind = make_article(status=Article.Status.DRAFT, publish_at=None, social_photo=undescribed)
    fine = make_article(status=Article.Status.DRAFT, publish_at=None, social_photo=make_photo())
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
    assert blind.title in page and "harbour-cranes-03" in page and SAYS_HOW in page
