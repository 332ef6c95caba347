"""The photo form shows the picture, and a click on it sets the focal point."""

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.urls import reverse
from playwright.sync_api import expect

from media.models import Photo
from tests.factories import make_article, make_photo, make_staff


@pytest.mark.django_db
def test_the_change_form_shows_the_picture_to_click(client, admin_user):
    photo = make_photo(size=(400, 300))
    client.force_login(admin_user)

    content = client.get(reverse("admin:media_photo_change", args=[photo.pk])).content.decode()

    assert "data-focal" in content and "/uploads/renditions/" in content
    assert "admin_desk/focal_point.js" in content


@pytest.mark.django_db
def test_the_add_form_says_the_picture_comes_after_saving(client, admin_user):
    client.force_login(admin_user)

    content = client.get(reverse("admin:media_photo_add")).content.decode()

    assert "Shown here once the photo is saved." in content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_clicking_the_picture_sets_the_focal_point(page, live_server):
    photo = make_photo(size=(400, 300))
    User.objects.create_superuser("boss", password="boss-pass-for-tests-1")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/media/photo/{photo.pk}/change/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "boss-pass-for-tests-1")
    page.click("input[type=submit]")

    image = page.locator("[data-focal] img")
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    expect(page.locator("#id_focal_x")).to_have_value("25")
    expect(page.locator("#id_focal_y")).to_have_value("75")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    photo = Photo.objects.get(pk=photo.pk)
    assert (photo.focal_x, photo.focal_y) == (25, 75)


@pytest.mark.django_db
def test_after_an_error_the_form_asks_plainly_for_the_file_again(client, admin_user):
    from tests.media.test_media import jpeg, photo_post

    client.force_login(admin_user)

    response = photo_post(client, jpeg(), title="")

    form = response.context["adminform"].form
    assert "title" in form.errors
    assert "Choose the file again" in str(form.errors["image"])
    assert not Photo.objects.exists()


@pytest.mark.django_db
def test_a_good_upload_is_not_asked_again(client, admin_user):
    from tests.media.test_media import jpeg, photo_post

    client.force_login(admin_user)

    assert photo_post(client, jpeg()).status_code == 302
    assert Photo.objects.count() == 1


@pytest.fixture
def lost_photo(db):
    """A photo whose file storage has lost (a restore without the uploads)."""
    photo = make_photo()
    default_storage.delete(photo.image.name)
    return photo


@pytest.mark.parametrize(
    "listed", ["admin:media_photo_changelist", "admin:articles_article_changelist"]
)
@pytest.mark.django_db
def test_a_photo_whose_file_is_lost_is_listed_as_such(client, lost_photo, listed):
    make_article(photo=lost_photo)
    client.force_login(make_staff("chief_en", role="chief", desks=["en"]))

    response = client.get(reverse(listed))

    assert response.status_code == 200
    assert "File missing" in response.content.decode()


@pytest.mark.django_db
def test_a_photo_whose_file_is_lost_opens_to_upload_it_again(client, lost_photo):
    client.force_login(make_staff("chief_en", role="chief", desks=["en"]))

    form = client.get(reverse("admin:media_photo_change", args=[lost_photo.pk]))
    picker = client.get(reverse("admin:media_photo_picker"), {"CKEditorFuncNum": "1"})

    assert form.status_code == 200
    assert "The photo&#x27;s file is missing" in form.content.decode()
    assert picker.status_code == 200
    assert f'aria-describedby="picker-missing-{lost_photo.pk}"' in picker.content.decode()
