"""A live gallery, film or map is changed by a Chief Editor of its desk, on every path.

Everything an Editor can type on a library item is what readers see of it (title,
address, description, Exclusive, poster, video, map image). Articles hold such a
change for review; the library has no held change, so an Editor's change to a
live item is refused in words, with what they typed kept, and nothing written. The
rule is one flag of the rules table (`chief_when_live`, publishing/desk_rules.py),
which the write guard reads (publishing/apps.py, publishing/visibility.py). Drafts
stay the Editor's (tests/desk/test_publishing_rights.py).
"""

import pytest
from django.contrib.messages import WARNING, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation

from media.models import Film, Map, PhotoGallery
from publishing import visibility
from publishing.desk_rules import decide
from tests.desk.test_publishing_rights import form_values
from tests.factories import make_film, make_gallery, make_map, make_photo
from tests.media.test_gallery_upload import image_file
from tests.media.test_videos import mp4

pytestmark = pytest.mark.django_db

KINDS = {
    "gallery": (make_gallery, "media.photogallery", "photo gallery"),
    "film": (make_film, "media.film", "film"),
    "map": (make_map, "media.map", "map"),
}
MODELS = {"gallery": PhotoGallery, "film": Film, "map": Map}


@pytest.fixture(params=sorted(KINDS))
def kind(request):
    return request.param


def make_live(kind):
    return KINDS[kind][0](language="en", title="Harbour at dawn", description="Boats.")


def stored(kind, item) -> dict:
    row = MODELS[kind].objects.filter(pk=item.pk).values().get()
    row.pop("updated_at")
    return row


CHANGES = {
    "title": {"title": "Harbour at noon"},
    "description": {"description": "Boats leave at six.\r\nThe quay empties."},
    "slug": {"slug": "harbour-renamed"},
    "exclusive": {"exclusive": "on"},
}


@pytest.mark.parametrize("field", sorted(CHANGES))
def test_an_editors_change_to_a_live_items_text_is_refused_in_words(
    client, editor, post_changes, kind, field
):
    if kind == "map" and field == "exclusive":
        pytest.skip("the map form has no Exclusive box")
    item = make_live(kind)
    before = stored(kind, item)

    response = post_changes(item, **CHANGES[field])

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Readers see this {KINDS[kind][2]} now" in page
    assert "Nothing was saved" in page
    typed = CHANGES[field][field]
    if field != "exclusive":
        assert typed.replace("\r\n", "\n") in page.replace("\r\n", "\n")  # kept as typed
    assert stored(kind, item) == before


def test_an_editors_change_to_a_live_films_video_is_refused(client, editor, post_changes):
    film = make_live("film")
    poster = make_photo(title="Another poster")
    before = stored("film", film)

    for changes in (
        {"embed_id": "https://youtu.be/aqz-KE-bpKQ"},
        {"duration": "00:04:05"},
        {"poster": str(poster.pk)},
        {
            "embed_host": "",
            "embed_id": "",
            "video": SimpleUploadedFile("clip.mp4", mp4(), content_type="video/mp4"),
        },
    ):
        response = post_changes(film, **changes)

        assert response.status_code == 200, changes
        assert "Readers see this film now" in response.content.decode()
        assert stored("film", film) == before


def test_an_editors_change_to_a_live_maps_image_is_refused(client, editor, post_changes):
    live = make_live("map")
    before = stored("map", live)

    response = post_changes(live, photo=str(make_photo().pk))

    assert response.status_code == 200
    assert "Readers see this map now" in response.content.decode()
    assert stored("map", live) == before


def test_an_editor_cannot_upload_photos_into_a_live_gallery(client, editor, post_changes):
    live = make_live("gallery")

    response = post_changes(live, add_photos=[image_file("quay.jpg")])

    assert response.status_code == 200
    assert not live.items.exists()


def test_the_editor_is_warned_on_opening_a_live_item(client, editor, change_url, kind):
    response = client.get(change_url(make_live(kind)))

    (message,) = get_messages(response.wsgi_request)
    assert f"Readers see this {KINDS[kind][2]} now" in str(message)
    assert message.level == WARNING  # a limit, not a success (the admin shows info as a tick)


def test_an_editor_saving_a_live_item_untouched_writes_nothing_and_is_not_refused(
    client, editor, change_url, kind
):
    # A form whose text came back with the browser's CRLFs is unchanged, not a change.
    item = make_live(kind)
    MODELS[kind].objects.filter(pk=item.pk).update(description="Boats.\nAt six.")
    values = form_values(client.get(change_url(item)))
    values["description"] = values["description"].replace("\n", "\r\n")

    response = client.post(change_url(item), values)

    assert response.status_code == 302


def test_an_editor_still_writes_a_draft(client, editor, change_url, post_changes, kind):
    draft = KINDS[kind][0](language="en", status="draft", publish_at=None)

    response = post_changes(draft, title="Harbour at noon")

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Harbour at noon"
    assert "Readers see this" not in client.get(change_url(draft)).content.decode()


def test_a_chief_editor_changes_a_live_item(client, chief, post_changes, kind):
    client.force_login(chief)
    item = make_live(kind)

    response = post_changes(item, title="Harbour at noon")

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Harbour at noon"


def test_the_guard_refuses_an_editors_change_that_skips_the_forms(editor, kind):
    item = make_live(kind)
    item.title = "Harbour at noon"

    with visibility.acting_as(editor), transaction.atomic():
        with pytest.raises(visibility.VisibilityChangeRefused) as refused:
            item.save()

    assert f"Readers see this {KINDS[kind][2]} now" in str(refused.value)
    item.refresh_from_db()
    assert item.title == "Harbour at dawn"


def test_the_table_says_who_changes_a_live_item(kind, who_changes):
    user, status, outcome = who_changes
    item = KINDS[kind][0](language="en", status=status)

    assert decide(user, KINDS[kind][1], "change", item) is outcome


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_the_refusal_is_written_in_each_desks_language(language):
    for message in (visibility.LIVE_ITEM, visibility.LIVE_ITEM_REFUSED):
        with translation.override("en"):
            english = str(message)
        with translation.override(language):
            assert str(message) != english
            assert "%(thing)s" in str(message)
