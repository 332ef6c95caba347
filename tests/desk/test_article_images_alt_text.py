"""Every image an article gives readers has alt text, on every path that sets or publishes it.

Three places take a photo: the main image (`photo`), the share image
(`social_photo`, the og:image of links to the article, its alt text og:image:alt)
and the body, where the editor's photo picker (media/admin.py `picker_view`)
fills the figure dialog's Alternative Text from the photo. Photos bulk-uploaded
into a gallery ("Add photos") have no alt text yet, and a gallery holding one
cannot be published (tests/media/test_gallery_upload.py); a figure's box can also
be emptied by hand. The article form (the typed form kept), review putting a held
change live and "Publish selected" refuse such an image, naming it and saying
where to write its alt text. The tests common to the three places run once for
each (the `kind` fixture); what only the body has follows them.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from articles.models import Article, PendingChange
from articles.sanitize import images_without_alt_text
from articles.services import article_images_problem
from media.models import Photo
from tests.desk.test_publishing_rights import form_values, post_form
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db


def figure(photo, alt=None):
    """Return the figure the picker inserts for `photo`, its alt text the photo's unless given."""
    alt = photo.alt_text if alt is None else alt
    return (
        f'<figure class="figure"><img src="/uploads/renditions/{photo.pk}.jpg" alt="{alt}" '
        f'data-file="{photo.pk}"><figcaption>Cranes</figcaption></figure>'
    )


def _undescribe_photo(photo):
    Photo.objects.filter(pk=photo.pk).update(alt_text="")


def _empty_the_held_figure(photo):
    change = PendingChange.objects.get()
    held = change.data["fields"]["body"]
    change.data["fields"]["body"] = held.replace(f'alt="{photo.alt_text}"', 'alt=""')
    assert change.data["fields"]["body"] != held
    change.save()


@dataclass(frozen=True)
class Kind:
    says: str  # words of this place's refusal, and of no other's
    place: Callable  # photo -> the article's fields that show it there
    shows: Callable  # (article, photo) -> whether readers get the photo there
    lose_alt_text: Callable  # photo -> empty its alt text after a change holding it was made


KINDS = {
    "main": Kind(
        says="so it cannot be the main image",
        place=lambda photo: {"photo": photo},
        shows=lambda article, photo: article.photo_id == photo.pk,
        lose_alt_text=_undescribe_photo,
    ),
    "share": Kind(
        says="so it cannot be the share image",
        place=lambda photo: {"social_photo": photo},
        shows=lambda article, photo: article.social_photo_id == photo.pk,
        lose_alt_text=_undescribe_photo,
    ),
    "body": Kind(
        says="in the body has no alt text",
        place=lambda photo: {"body": f"<p>The port reopened.</p>{figure(photo)}"},
        shows=lambda article, photo: f'data-file="{photo.pk}"' in article.body,
        lose_alt_text=_empty_the_held_figure,
    ),
}


@pytest.fixture(params=list(KINDS))
def kind(request) -> Kind:
    return KINDS[request.param]


def as_posted(fields: dict) -> dict:
    """Return `fields` as the article form posts them (a photo by its id)."""
    return {name: str(getattr(value, "pk", value)) for name, value in fields.items()}


@pytest.fixture
def undescribed():
    """A photo as "Add photos" stores it: in the library, no alt text yet."""
    return make_photo(title="harbour-cranes-03", alt_text="")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def publish_selected(client, *articles):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk for article in articles]},
        follow=True,
    )


# --- The main image, the share image and the body alike -----------------------------


def test_the_form_refuses_an_image_without_alt_text_naming_it_and_keeps_what_was_typed(
    client, chief, undescribed, kind
):
    article = make_article(title="Port reopens")
    client.force_login(chief)
    typed = {**as_posted(kind.place(undescribed)), "title": "Port reopens at last"}

    response = post_form(client, change_url(article), typed)

    page = response.content.decode()
    assert response.status_code == 200
    assert kind.says in page and "harbour-cranes-03" in page  # the image, named
    shown_again = form_values(response)
    assert {name: shown_again[name] for name in typed} == typed  # kept as typed
    article.refresh_from_db()
    assert not kind.shows(article, undescribed) and article.title == "Port reopens"


def test_a_draft_cannot_take_one_either(client, chief, undescribed, kind):
    """Drafts go live by "Publish selected", the workflow buttons and schedules alike."""
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    client.force_login(chief)

    response = post_form(client, change_url(article), as_posted(kind.place(undescribed)))

    assert response.status_code == 200 and kind.says in response.content.decode()


def test_an_editors_change_to_a_live_article_is_refused_not_held(client, editor, undescribed, kind):
    article = make_article()
    client.force_login(editor)

    response = post_form(client, change_url(article), as_posted(kind.place(undescribed)))

    assert response.status_code == 200 and kind.says in response.content.decode()
    assert not PendingChange.objects.exists()


def test_once_described_the_photo_is_taken(client, chief, undescribed, kind):
    article = make_article()
    Photo.objects.filter(pk=undescribed.pk).update(alt_text="Three cranes over the harbour")
    undescribed.refresh_from_db()
    client.force_login(chief)

    response = post_form(client, change_url(article), as_posted(kind.place(undescribed)))

    assert response.status_code == 302
    article.refresh_from_db()
    assert kind.shows(article, undescribed)
    assert article_images_problem(article) is None  # the alt text was stored with it


def test_review_does_not_put_live_a_held_image_without_alt_text(client, chief, editor, kind):
    """The held change was made while the image had alt text, or before this rule."""
    article = make_article()
    photo = make_photo(title="harbour-cranes-03")
    client.force_login(editor)
    assert post_form(client, change_url(article), as_posted(kind.place(photo))).status_code == 302
    kind.lose_alt_text(photo)
    client.force_login(chief)

    response = client.post(
        reverse("admin:articles_article_review", args=[article.pk]), {"publish": "1"}, follow=True
    )

    page = response.content.decode()
    assert kind.says in page and "harbour-cranes-03" in page
    article.refresh_from_db()
    assert not kind.shows(article, photo)
    assert PendingChange.objects.get().state == PendingChange.State.PENDING


def test_publish_selected_leaves_out_a_draft_with_an_image_without_alt_text(
    client, chief, undescribed, kind
):
    # Stored before this rule, or by a script: the action still must not publish it.
    draft = {"status": Article.Status.DRAFT, "publish_at": None}
    blind = make_article(**draft, **kind.place(undescribed))
    fine = make_article(**draft, **kind.place(make_photo()))
    client.force_login(chief)

    response = publish_selected(client, blind, fine)

    blind.refresh_from_db()
    fine.refresh_from_db()
    assert (blind.status, fine.status) == (Article.Status.DRAFT, Article.Status.PUBLISHED)
    page = response.content.decode()
    assert blind.title in page and "harbour-cranes-03" in page and kind.says in page


# --- The body only --------------------------------------------------------------------


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


def test_an_image_from_elsewhere_is_named_by_its_file(client, chief):
    article = make_article()
    client.force_login(chief)
    body = '<p>x</p><img src="/uploads/photos/quay-at-six.jpg" alt="">'

    response = post_form(client, change_url(article), {"body": body})

    page = response.content.decode()
    assert response.status_code == 200
    assert KINDS["body"].says in page and "quay-at-six.jpg" in page


def test_the_picker_shows_a_photo_without_alt_text_but_does_not_offer_it(
    client, editor, undescribed
):
    described = make_photo(title="quay-at-six", alt_text="The quay at six")
    client.force_login(editor)

    response = client.get(reverse("admin:media_photo_picker"), {"CKEditorFuncNum": "1"})

    page = response.content.decode()
    assert f'data-id="{described.pk}"' in page  # offered
    assert f'data-id="{undescribed.pk}"' not in page  # shown, not offered
    assert "harbour-cranes-03" in page and "No alt text yet, so it cannot be inserted" in page
    assert reverse("admin:media_photo_change", args=[undescribed.pk]) in page


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_the_refusals_are_written_in_each_desks_language(language, undescribed):
    from django.utils import translation

    from articles.services import body_images_problem, main_image_problem, social_image_problem

    def said():
        one, two = figure(undescribed), figure(undescribed) + figure(undescribed)
        return [
            body_images_problem(one),
            body_images_problem(two),
            main_image_problem(undescribed),
            social_image_problem(undescribed),
            translation.gettext("No alt text yet, so it cannot be inserted."),
            translation.gettext("“%(title)s” was not published: %(problem)s"),
        ]

    with translation.override("en"):
        english = said()
    with translation.override(language):
        for theirs, ours in zip(said(), english, strict=True):
            assert theirs != ours
            assert "harbour-cranes-03" in theirs or "harbour-cranes-03" not in ours


@pytest.mark.parametrize(
    ("language", "listed"),
    [
        ("en", "“\u2068harbour-cranes-03\u2069”, “\u2068quay-at-six\u2069”"),
        ("fa", "«\u2068harbour-cranes-03\u2069»، «\u2068quay-at-six\u2069»"),
        ("ar", "«\u2068harbour-cranes-03\u2069»، «\u2068quay-at-six\u2069»"),
    ],
)
def test_the_body_names_its_images_as_the_desks_language_quotes_and_lists(
    undescribed, language, listed
):
    """Each name is set apart in its own direction (a Latin file name in a Persian
    sentence), quoted and listed as the desk's language writes: the Arabic and Persian
    refusals had English quotes and commas, and only there."""
    from django.utils import translation

    from articles.services import body_images_problem, main_image_problem

    other = make_photo(title="quay-at-six", alt_text="")
    with translation.override(language):
        said = body_images_problem(figure(undescribed) + figure(other))
        main = main_image_problem(undescribed)

    assert listed in said
    assert "\u2068harbour-cranes-03\u2069" in main
