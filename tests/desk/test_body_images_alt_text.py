"""Every image in an article's body reaches readers with alt text.

Photos come into the body through the editor's photo picker (media/admin.py
`picker_view`), which fills the figure dialog's Alternative Text from the photo;
a photo bulk-uploaded into a gallery has none, and the box can be emptied by
hand. The picker shows such photos without offering them, and a body with an
<img> whose alt is empty is refused on save (the form's text kept), by review
putting a held change live, and by "Publish selected", naming each image.
"""

import pytest
from django.urls import reverse

from articles.models import Article, PendingChange
from articles.sanitize import images_without_alt_text
from tests.desk.test_publishing_rights import post_form
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db

SAYS_HOW = "in the body has no alt text"


def figure(photo, alt):
    return (
        f'<figure class="figure"><img src="/uploads/renditions/{photo.pk}.jpg" alt="{alt}" '
        f'data-file="{photo.pk}"><figcaption>Cranes</figcaption></figure>'
    )


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def cranes():
    return make_photo(title="harbour-cranes-03", alt_text="")


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ('<p>x</p><img src="/uploads/a.jpg" alt="Cranes">', []),
        ('<img src="/uploads/a.jpg" alt="">', [("/uploads/a.jpg", "")]),
        ('<img src="/uploads/a.jpg" alt="   " data-file="7">', [("/uploads/a.jpg", "7")]),
        ('<p><img src="/uploads/b.jpg"></p>', [("/uploads/b.jpg", "")]),
        ("<p>No images at all.</p>", []),
        ('<p><img alt=""></p>', []),  # its src was another site's: readers get nothing
    ],
    ids=["described", "empty", "blank", "missing", "none", "no-source"],
)
def test_images_without_alt_text_are_found(html, found):
    assert images_without_alt_text(html) == found


def test_the_form_refuses_a_body_image_without_alt_text_naming_it_and_keeps_the_text(
    client, chief, cranes
):
    article = make_article(title="Port reopens")
    client.force_login(chief)
    body = f"<p>The port reopened.</p>{figure(cranes, '')}"

    response = post_form(client, change_url(article), {"body": body, "title": "Port reopens!"})

    page = response.content.decode()
    assert response.status_code == 200
    assert SAYS_HOW in page and "harbour-cranes-03" in page  # the image, named
    assert "The port reopened." in page and "Port reopens!" in page  # kept as typed
    article.refresh_from_db()
    assert "harbour" not in article.body and article.title == "Port reopens"


def test_an_image_from_elsewhere_is_named_by_its_file(client, chief):
    article = make_article()
    client.force_login(chief)
    body = '<p>x</p><img src="/uploads/photos/quay-at-six.jpg" alt="">'

    response = post_form(client, change_url(article), {"body": body})

    assert response.status_code == 200
    assert SAYS_HOW in response.content.decode() and "quay-at-six.jpg" in response.content.decode()


def test_an_editors_body_for_a_live_article_is_refused_not_held(client, editor, cranes):
    article = make_article()
    client.force_login(editor)

    response = post_form(client, change_url(article), {"body": figure(cranes, "")})

    assert response.status_code == 200 and SAYS_HOW in response.content.decode()
    assert not PendingChange.objects.exists()


def test_a_body_whose_images_have_alt_text_is_saved(client, chief, cranes):
    article = make_article()
    client.force_login(chief)

    response = post_form(client, change_url(article), {"body": figure(cranes, "Three cranes")})

    assert response.status_code == 302
    article.refresh_from_db()
    assert 'alt="Three cranes"' in article.body


def test_review_does_not_put_live_a_held_body_with_an_image_without_alt_text(
    client, chief, editor, cranes
):
    """Held before this rule, or by a path that did not ask."""
    article = make_article()
    client.force_login(editor)
    held = figure(cranes, "Three cranes")
    assert post_form(client, change_url(article), {"body": held}).status_code == 302
    change = PendingChange.objects.get()
    change.data["fields"]["body"] = change.data["fields"]["body"].replace("Three cranes", "")
    change.save()
    client.force_login(chief)

    response = client.post(
        reverse("admin:articles_article_review", args=[article.pk]), {"publish": "1"}, follow=True
    )

    page = response.content.decode()
    assert SAYS_HOW in page and "harbour-cranes-03" in page
    article.refresh_from_db()
    assert "<img" not in article.body
    assert PendingChange.objects.get().state == PendingChange.State.PENDING


def test_publish_selected_leaves_out_a_draft_with_a_body_image_without_alt_text(
    client, chief, cranes
):
    blind = make_article(status=Article.Status.DRAFT, publish_at=None, body=figure(cranes, ""))
    fine = make_article(status=Article.Status.DRAFT, publish_at=None)
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


def test_the_picker_shows_a_photo_without_alt_text_but_does_not_offer_it(client, editor, cranes):
    described = make_photo(title="quay-at-six", alt_text="The quay at six")
    client.force_login(editor)

    response = client.get(reverse("admin:media_photo_picker"), {"CKEditorFuncNum": "1"})

    page = response.content.decode()
    assert f'data-id="{described.pk}"' in page  # offered
    assert f'data-id="{cranes.pk}"' not in page  # shown, not offered
    assert "harbour-cranes-03" in page and "No alt text yet, so it cannot be inserted" in page
    assert reverse("admin:media_photo_change", args=[cranes.pk]) in page


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_the_refusals_are_written_in_each_desks_language(language, cranes):
    from django.utils import translation

    from articles.services import body_images_problem, social_image_problem

    def said():
        body = figure(cranes, "") + figure(cranes, "")
        return [body_images_problem(figure(cranes, "")), body_images_problem(body)] + [
            social_image_problem(cranes),
            translation.gettext("No alt text yet, so it cannot be inserted."),
            translation.gettext("“%(title)s” was not published: %(problem)s"),
        ]

    with translation.override("en"):
        english = said()
    with translation.override(language):
        for theirs, ours in zip(said(), english, strict=True):
            assert theirs != ours
            assert "harbour-cranes-03" in theirs or "harbour-cranes-03" not in ours
