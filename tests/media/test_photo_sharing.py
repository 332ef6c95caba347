"""A photo shown by published content is changed only by that content's desks (issue 20, H3).

One photo serves every edition. A Persian-desk Editor replaced the caption and file
of a live English story's lead photo through the library: the page and its og:image
changed at once, without review.
"""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from articles.models import Article
from publishing.sharing import SharedChangeRefused, editions_showing
from publishing.visibility import acting_as
from tests.desk.test_publishing_rights import form_values
from tests.factories import make_article, make_author, make_film, make_photo, make_staff

pytestmark = pytest.mark.django_db

ACCOUNTS = {
    "ed_en": ("editor", ["en"]),
    "ed_fa": ("editor", ["fa"]),
    "chief_en": ("chief", ["en"]),
    "chief_fa": ("chief", ["fa"]),
}


def account(name):
    if name == "root":
        return User.objects.create_superuser("root", password="pw-for-tests-only-1")
    role, desks = ACCOUNTS[name]
    return make_staff(name, role=role, desks=desks)


@pytest.fixture
def lead_photo():
    """The lead photo of a live English story."""
    photo = make_photo(caption="The harbour at dawn.")
    make_article(language="en", photo=photo)
    return photo


def change_caption(client, photo, caption):
    url = reverse("admin:media_photo_change", args=[photo.pk])
    page = client.get(url)
    values = form_values(page) if b'name="caption"' in page.content else {}
    return page, client.post(url, {**values, "caption": caption})


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("ed_en", False), ("ed_fa", False), ("chief_fa", False), ("chief_en", True), ("root", True)],
)
def test_only_a_publisher_of_the_showing_edition_changes_a_live_storys_photo(
    client, lead_photo, name, allowed
):
    client.force_login(account(name))

    page, response = change_caption(client, lead_photo, "Someone else's harbour.")

    lead_photo.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert lead_photo.caption == "Someone else's harbour."
    else:
        assert response.status_code == 403
        assert lead_photo.caption == "The harbour at dawn."
        # Said in the person's desk language (alwaght/desk_language.py).
        said = "English edition shows this photo"
        if name.endswith("_fa"):
            said = "نسخهٔ انگلیسی این عکس را نشان"
        assert said in page.content.decode()


def test_the_write_path_refuses_what_the_form_refuses(lead_photo):
    lead_photo.caption = "Changed by a script in someone's request."

    with acting_as(account("chief_fa")):
        with pytest.raises(SharedChangeRefused):
            lead_photo.save()
        with pytest.raises(SharedChangeRefused):
            lead_photo.delete()


def test_a_refused_change_leaves_the_live_page_and_its_share_image(
    client, lead_photo, stopped_clock
):
    article = Article.objects.get(photo=lead_photo)
    before = client.get(article.get_absolute_url()).content.decode()
    client.force_login(account("ed_fa"))

    change_caption(client, lead_photo, "Phishing caption")
    client.logout()

    after = client.get(article.get_absolute_url()).content.decode()
    assert "The harbour at dawn." in after and "Phishing caption" not in after
    assert before == after


def test_a_photo_only_drafts_show_is_free_to_edit(client):
    photo = make_photo(caption="Draft picture.")
    make_article(language="en", photo=photo, status=Article.Status.DRAFT, publish_at=None)
    client.force_login(account("ed_fa"))

    _page, response = change_caption(client, photo, "Better caption.")

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "Better caption."


def test_every_edition_that_shows_it_counts_films_and_authors_too():
    photo = make_photo()
    make_film(language="fa", poster=photo)
    make_article(language="ar", author=make_author(photo=photo))
    make_article(language="en", social_photo=photo, status=Article.Status.DRAFT, publish_at=None)

    assert editions_showing(photo) == {"fa", "ar"}
    with acting_as(account("chief_fa")), pytest.raises(SharedChangeRefused, match="Arabic"):
        photo.caption = "New"
        photo.save()
