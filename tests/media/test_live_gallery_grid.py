"""A live gallery's grid is changed by a Chief Editor of its desk (review × galleries).

The grid's rows are what readers see of the gallery: its photos, their order and
their captions. An Editor's change to them on a published gallery is refused in
words, with what they typed kept on the page; nothing of that save is written.
Galleries have no held change to carry it (articles/review.py holds articles only),
so the rule is the table's (publishing/desk_rules.py), as Exclusive is.
"""

import pytest

from media.models import GalleryPhoto
from publishing.desk_rules import decide
from tests.desk.test_publishing_rights import form_values
from tests.factories import make_gallery, make_photo

pytestmark = pytest.mark.django_db

REFUSED = "Readers see this gallery now"


def rows_of(gallery):
    rows = GalleryPhoto.objects.filter(gallery=gallery).order_by("position", "id")
    return [(row.photo_id, row.position, row.caption) for row in rows]


@pytest.mark.parametrize(
    "changes",
    [
        {"items-0-caption": "Cranes at first light"},  # a caption
        {"items-0-position": "5"},  # the order
    ],
    ids=["caption", "order"],
)
def test_an_editors_grid_change_on_a_live_gallery_is_refused_in_words(
    client, editor, live_gallery, post_changes, changes
):
    before = rows_of(live_gallery)

    response = post_changes(live_gallery, title="Harbour at dawn, again", **changes)

    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSED in page
    for value in changes.values():
        assert f'value="{value}"' in page  # what they typed is kept
    assert 'value="Harbour at dawn, again"' in page
    assert rows_of(live_gallery) == before
    live_gallery.refresh_from_db()
    assert live_gallery.title == "Harbour at dawn"  # nothing of the save is written


def test_an_editor_cannot_add_a_photo_to_a_live_gallery(client, editor, live_gallery, change_url):
    extra = make_photo(title="Quay")
    values = form_values(client.get(change_url(live_gallery)))
    index = int(values["items-TOTAL_FORMS"]) - 1  # an empty row of the grid

    response = client.post(
        change_url(live_gallery), {**values, f"items-{index}-photo": str(extra.pk)}
    )

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert extra.pk not in [photo for photo, _position, _caption in rows_of(live_gallery)]


def test_the_editor_is_told_before_typing(client, editor, live_gallery, change_url):
    page = client.get(change_url(live_gallery)).content.decode()

    assert "Readers see this photo gallery now" in page


def test_an_editors_change_to_a_live_gallerys_own_text_is_refused_too(
    client, editor, live_gallery, post_changes
):
    # The gallery's title and description are what readers see of it as much as its
    # grid (tests/media/test_live_library_items.py for films and maps alike).
    response = post_changes(live_gallery, description="Boats leave at six.")

    assert response.status_code == 200
    assert "Readers see this photo gallery now" in response.content.decode()
    live_gallery.refresh_from_db()
    assert live_gallery.description == ""


def test_an_editor_changes_a_draft_gallerys_grid(
    client, editor, draft_gallery, change_url, post_changes
):
    response = post_changes(draft_gallery, **{"items-0-caption": "Cranes at first light"})

    assert response.status_code == 302
    assert rows_of(draft_gallery)[0][2] == "Cranes at first light"
    assert REFUSED not in client.get(change_url(draft_gallery)).content.decode()


def test_a_chief_editor_changes_a_live_gallerys_grid(client, chief, live_gallery, post_changes):
    client.force_login(chief)

    response = post_changes(live_gallery, **{"items-0-caption": "Cranes at first light"})

    assert response.status_code == 302
    assert rows_of(live_gallery)[0][2] == "Cranes at first light"


def test_the_table_says_who_changes_a_galleries_rows(who_changes):
    user, status, outcome = who_changes
    gallery = make_gallery(photos=1, language="en", status=status)
    row = GalleryPhoto.objects.get(gallery=gallery)

    for action in ("add", "change"):
        assert decide(user, "media.galleryphoto", action, row) is outcome
