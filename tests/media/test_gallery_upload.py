"""Many photos into a gallery in one step, described in its grid (issue 22 item 10).

A six-photo gallery took 48 clicks and six pop-up windows. Now the gallery's form
takes several files at once; each goes through the photo library's check and
re-encoding and is appended to the gallery. Bulk-uploaded photos have no alt text
yet: they are described in the grid, and the gallery cannot be published before.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from media.models import GalleryPhoto, Photo, PhotoGallery
from tests.desk.test_publishing_rights import form_values
from tests.factories import make_article, make_gallery, make_photo, make_staff
from tests.screenshots import keep_screenshot

pytestmark = pytest.mark.django_db


def image_file(name, color="green", size=(60, 40), kind="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def photos_of(gallery):
    rows = GalleryPhoto.objects.filter(gallery=gallery).order_by("position", "id")
    return [(row.photo.title, row.position) for row in rows.select_related("photo")]


def test_three_files_in_one_post_become_three_photos_at_the_end_in_order(
    client, editor, draft_gallery, change_url, post_changes
):
    before = photos_of(draft_gallery)

    response = post_changes(
        draft_gallery,
        add_photos=[image_file("harbour_dawn.jpg"), image_file("b.jpg"), image_file("c.png")],
    )

    assert response.status_code == 302
    assert response.url == change_url(draft_gallery)  # back to the grid, to write the alt text
    after = photos_of(draft_gallery)
    assert after[:2] == before
    assert after[2:] == [("harbour dawn", 2), ("b", 3), ("c", 4)]
    added = Photo.objects.filter(title__in=["harbour dawn", "b", "c"])
    assert {photo.alt_text for photo in added} == {""}
    # Re-encoded by the library's cleaning: stored under generated names, measured.
    assert all(photo.width == 60 and "harbour" not in photo.image.name for photo in added)
    assert "3 photos added at the end of the gallery" in client.get(response.url).content.decode()


def test_a_non_image_is_refused_by_name_and_the_good_files_are_kept(
    client, editor, draft_gallery, post_changes
):
    fake = SimpleUploadedFile("notes.jpg", b"plain text pretending", content_type="image/jpeg")

    response = post_changes(
        draft_gallery, add_photos=[image_file("one.jpg"), fake, image_file("two.jpg")]
    )

    assert response.status_code == 302
    assert [title for title, _ in photos_of(draft_gallery)][2:] == ["one", "two"]
    page = client.get(response.url).content.decode()
    assert "“notes.jpg” was not added: Upload a JPEG, PNG, WebP or GIF image." in page
    assert "2 photos added" in page


def test_the_save_costs_two_inserts_per_file_and_nothing_else(client, editor, change_url):
    def queries_for(count):
        gallery = make_gallery(photos=2, status="draft", publish_at=None, language="en")
        data = {**form_values(client.get(change_url(gallery)))}
        data["add_photos"] = [image_file(f"f{index}.jpg") for index in range(count)]
        with CaptureQueriesContext(connection) as captured:
            assert client.post(change_url(gallery), data).status_code == 302
        return [query["sql"].split()[0:3] for query in captured]

    one, four = queries_for(1), queries_for(4)

    inserts = [sql for sql in four if sql[0] == "INSERT"]
    assert len(four) - len(one) == 3 * 2  # a Photo and a GalleryPhoto per further file
    assert len(inserts) - len([sql for sql in one if sql[0] == "INSERT"]) == 3 * 2


def test_alt_text_is_written_in_the_grid(client, editor, draft_gallery, change_url, post_changes):
    post_changes(draft_gallery, add_photos=[image_file("quay.jpg")])
    values = form_values(client.get(change_url(draft_gallery)))
    row = next(
        key[: -len("-photo")]
        for key, value in values.items()
        if key.endswith("-photo") and value == str(Photo.objects.get(title="quay").pk)
    )

    response = client.post(
        change_url(draft_gallery), {**values, f"{row}-alt_text": "Cranes on the quay"}
    )

    assert response.status_code == 302
    assert Photo.objects.get(title="quay").alt_text == "Cranes on the quay"


def test_a_gallery_whose_new_photos_lack_alt_text_cannot_be_published(
    client, chief, draft_gallery, post_changes
):
    client.force_login(chief)
    post_changes(draft_gallery, add_photos=[image_file("quay.jpg")])

    response = post_changes(
        draft_gallery, status="published", publish_at_0="2026-01-01", publish_at_1="10:00:00"
    )

    assert response.status_code == 200
    assert "Write the alt text of every photo before publishing the gallery: quay." in (
        response.content.decode()
    )
    assert PhotoGallery.objects.get(pk=draft_gallery.pk).status == "draft"


def test_publishing_from_the_list_keeps_the_alt_text_rule(
    client, chief, draft_gallery, post_changes
):
    client.force_login(chief)
    post_changes(draft_gallery, add_photos=[image_file("quay.jpg")])
    url = reverse("admin:media_photogallery_changelist")
    values = form_values(client.get(url), form_id="changelist-form")

    response = client.post(url, {**values, "form-0-status": "published", "_save": "Save"})

    assert "Write the alt text of every photo" in response.content.decode()
    assert PhotoGallery.objects.get(pk=draft_gallery.pk).status == "draft"


def test_files_cannot_go_straight_into_a_published_gallery(
    client, editor, live_gallery, post_changes
):
    response = post_changes(live_gallery, add_photos=[image_file("late.jpg")])

    assert response.status_code == 200
    assert "cannot go straight into a published gallery" in response.content.decode()
    assert not Photo.objects.filter(title="late").exists()


def test_a_grid_error_asks_for_the_files_again(client, editor, draft_gallery, post_changes):
    response = post_changes(draft_gallery, add_photos=[image_file("lost.jpg")], title="")

    assert "Choose the files again" in response.content.decode()
    assert not Photo.objects.filter(title="lost").exists()


def test_another_desks_editor_cannot_add_photos(client, draft_gallery, change_url):
    client.force_login(make_staff("ed_fa", role="editor", desks=["fa"]))

    response = client.post(
        change_url(draft_gallery), {"title": "x", "add_photos": [image_file("x.jpg")]}
    )

    assert response.status_code == 403
    assert not Photo.objects.filter(title="x").exists()
    assert len(photos_of(draft_gallery)) == 2


def test_the_grid_refuses_to_change_a_shared_photos_alt_text(client, editor, change_url):
    shown = make_photo(title="Lead", alt_text="Two cranes")
    make_article(language="en", photo=shown)
    gallery = make_gallery(status="draft", publish_at=None, language="en")
    GalleryPhoto.objects.create(gallery=gallery, photo=shown, position=0)
    values = form_values(client.get(change_url(gallery)))

    response = client.post(change_url(gallery), {**values, "items-0-alt_text": "Three cranes"})

    assert response.status_code == 200
    assert "English edition shows this photo" in response.content.decode()
    shown.refresh_from_db()
    assert shown.alt_text == "Two cranes"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_persian_editor_adds_three_photos_and_describes_one_in_the_grid(
    page, live_server, tmp_path, change_url
):
    from playwright.sync_api import expect

    from tests.desk.browser import sign_in

    make_staff("ed_fa", role="editor", desks=["fa"])
    gallery = make_gallery(photos=1, status="draft", publish_at=None, language="fa")
    files = []
    for name, color in [("bazaar.jpg", "red"), ("gate.jpg", "blue"), ("river.jpg", "green")]:
        path = tmp_path / name
        Image.new("RGB", (90, 60), color).save(path, "JPEG")
        files.append(str(path))
    sign_in(page, live_server.url, "ed_fa", "pw-for-tests-only-1")
    page.goto(live_server.url + change_url(gallery))

    page.set_input_files("input[name=add_photos]", files)
    page.locator("input[name=_save]").click()

    expect(page.locator(".messagelist .success")).to_contain_text("3")
    assert photos_of(gallery)[1:] == [("bazaar", 1), ("gate", 2), ("river", 3)]
    page.locator("input[name='items-1-alt_text']").fill("دروازهٔ بازار در غروب")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        keep_screenshot(page, tmp_path / f"gallery-upload-fa-{width}.png")
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert Photo.objects.get(title="bazaar").alt_text == "دروازهٔ بازار در غروب"
