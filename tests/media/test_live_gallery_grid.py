"""A live gallery's grid is changed by a Chief Editor of its desk (review × galleries).

The grid's rows are what readers see of the gallery: its photos, their order and
their captions. An Editor's change to them on a published gallery is refused in
words, with what they typed kept on the page; nothing of that save is written.
Galleries have no held change to carry it (articles/review.py holds articles only),
so the rule is the table's (publishing/desk_rules.py), as Exclusive is.
"""

import pytest
from django.urls import reverse

from media.models import GalleryPhoto
from publishing.desk_rules import Outcome, decide
from tests.desk.test_publishing_rights import form_values
from tests.factories import make_gallery, make_photo, make_staff

pytestmark = pytest.mark.django_db

REFUSED = "Readers see this gallery now"


def change_url(gallery):
    return reverse("admin:media_photogallery_change", args=[gallery.pk])


def rows_of(gallery):
    rows = GalleryPhoto.objects.filter(gallery=gallery).order_by("position", "id")
    return [(row.photo_id, row.position, row.caption) for row in rows]


def post_grid(client, gallery, **changes):
    values = form_values(client.get(change_url(gallery)))
    return client.post(change_url(gallery), {**values, **changes})


@pytest.fixture
def editor(client):
    user = make_staff("ed_en", role="editor", desks=["en"])
    client.force_login(user)
    return user


@pytest.fixture
def chief():
    return make_staff("chief_en", role="chief", desks=["en"])


@pytest.fixture
def live():
    return make_gallery(photos=2, language="en", title="Harbour at dawn")


@pytest.mark.parametrize(
    "changes",
    [
        {"items-0-caption": "Cranes at first light"},  # a caption
        {"items-0-position": "5"},  # the order
    ],
    ids=["caption", "order"],
)
def test_an_editors_grid_change_on_a_live_gallery_is_refused_in_words(
    client, editor, live, changes
):
    before = rows_of(live)

    response = post_grid(client, live, title="Harbour at dawn, again", **changes)

    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSED in page
    for value in changes.values():
        assert f'value="{value}"' in page  # what they typed is kept
    assert 'value="Harbour at dawn, again"' in page
    assert rows_of(live) == before
    live.refresh_from_db()
    assert live.title == "Harbour at dawn"  # nothing of the save is written


def test_an_editor_cannot_add_a_photo_to_a_live_gallery(client, editor, live):
    extra = make_photo(title="Quay")
    values = form_values(client.get(change_url(live)))
    index = int(values["items-TOTAL_FORMS"]) - 1  # an empty row of the grid

    response = client.post(change_url(live), {**values, f"items-{index}-photo": str(extra.pk)})

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert extra.pk not in [photo for photo, _position, _caption in rows_of(live)]


def test_the_editor_is_told_before_typing(client, editor, live):
    page = client.get(change_url(live)).content.decode()

    assert "Readers see this photo gallery now" in page


def test_an_editors_change_to_a_live_gallerys_own_text_is_refused_too(client, editor, live):
    # The gallery's title and description are what readers see of it as much as its
    # grid (tests/media/test_live_library_items.py for films and maps alike).
    response = post_grid(client, live, description="Boats leave at six.")

    assert response.status_code == 200
    assert "Readers see this photo gallery now" in response.content.decode()
    live.refresh_from_db()
    assert live.description == ""


def test_an_editor_changes_a_draft_gallerys_grid(client, editor):
    draft = make_gallery(photos=2, language="en", status="draft", publish_at=None)

    response = post_grid(client, draft, **{"items-0-caption": "Cranes at first light"})

    assert response.status_code == 302
    assert rows_of(draft)[0][2] == "Cranes at first light"
    assert REFUSED not in client.get(change_url(draft)).content.decode()


def test_a_chief_editor_changes_a_live_gallerys_grid(client, chief, live):
    client.force_login(chief)

    response = post_grid(client, live, **{"items-0-caption": "Cranes at first light"})

    assert response.status_code == 302
    assert rows_of(live)[0][2] == "Cranes at first light"


@pytest.mark.parametrize(
    ("account", "status", "outcome"),
    [
        ("editor", "published", Outcome.DENY),
        ("editor", "draft", Outcome.ALLOW),
        ("chief", "published", Outcome.ALLOW),
    ],
)
def test_the_table_says_who_changes_a_galleries_rows(editor, chief, account, status, outcome):
    gallery = make_gallery(photos=1, language="en", status=status)
    row = GalleryPhoto.objects.get(gallery=gallery)
    user = {"editor": editor, "chief": chief}[account]

    for action in ("add", "change"):
        assert decide(user, "media.galleryphoto", action, row) is outcome
