import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from media import renditions
from media.models import Film, GalleryPhoto, Map, Photo, PhotoGallery
from media.renditions import rendition, renditions_make_missing
from tests.factories import make_film, make_gallery, make_map, make_photo, stored_files

pytestmark = pytest.mark.django_db

LATER = timedelta(hours=2)


# --- Visibility ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "state", [{"status": "draft", "publish_at": None}, {"publish_at": "future"}]
)
def test_drafts_and_scheduled_items_stay_hidden(client, state):
    if state.get("publish_at") == "future":
        state = {"publish_at": timezone.now() + LATER}
    gallery = make_gallery(photos=1, title="Hidden gallery", **state)
    film = make_film(title="Hidden film", **state)
    map_ = make_map(title="Hidden map", **state)

    for item in (gallery, film, map_):
        assert client.get(item.get_absolute_url()).status_code == 404
    pages = [reverse("media:index"), reverse("media:films"), reverse("media:maps"), "/en/"]
    for url in pages:
        content = client.get(url).content.decode()
        assert "Hidden" not in content, url


def test_published_items_are_shown(client):
    gallery = make_gallery(photos=2, title="Market photos")
    film = make_film(title="Library film")
    make_map(title="Latest map")

    assert "Market photos" in client.get(reverse("media:index")).content.decode()
    assert "Library film" in client.get(reverse("media:films")).content.decode()
    assert client.get(gallery.get_absolute_url()).status_code == 200
    assert client.get(film.get_absolute_url()).status_code == 200
    assert "Latest map" in client.get(reverse("media:maps")).content.decode()


def test_front_page_teases_the_newest_exclusive_item(client):
    make_gallery(
        photos=1,
        title="Old exclusive",
        exclusive=True,
        publish_at=timezone.now() - timedelta(days=3),
    )
    make_film(
        title="New exclusive film", exclusive=True, publish_at=timezone.now() - timedelta(hours=2)
    )
    make_gallery(photos=1, title="Newest but ordinary", exclusive=False)
    make_film(title="Draft exclusive", exclusive=True, status="draft", publish_at=None)

    content = client.get("/en/").content.decode()
    # The Gallery block lists ordinary galleries too; the Exclusive block only one item.
    exclusive_block = content[content.index('id="exclusive-heading"') :].split("</section>")[0]

    assert "New exclusive film" in exclusive_block
    for other in ("Old exclusive", "Newest but ordinary"):
        assert other not in exclusive_block
    assert "Draft exclusive" not in content


def test_maps_page_shows_the_newest_and_lists_older_ones_by_date(client):
    oldest = make_map(title="Map of June", publish_at=timezone.now() - timedelta(days=60))
    make_map(title="Map of July", publish_at=timezone.now() - timedelta(days=30))
    make_map(title="Map of this week", publish_at=timezone.now() - timedelta(days=1))

    page = client.get(reverse("media:maps"))
    older = client.get(oldest.get_absolute_url())

    assert page.context["map"].title == "Map of this week"
    assert [m.title for m in page.context["others"]] == ["Map of July", "Map of June"]
    assert older.context["map"] == oldest
    assert client.get(reverse("media:map", args=["no-such-map"])).status_code == 404


def test_every_map_of_a_long_series_stays_browsable_and_earlier_means_earlier(client):
    # The newest map, then thirty earlier ones a page: with forty, nine were linked
    # from no page.
    maps = [
        make_map(
            title=f"Map {day:02d}",
            slug=f"map-{day:02d}",
            publish_at=timezone.now() - timedelta(days=day),
        )
        for day in range(1, 41)
    ]
    newest, older = maps[0], maps[20]

    first = client.get(reverse("media:maps"))
    second = client.get(reverse("media:maps"), {"page": 2})
    on_an_older_map = client.get(older.get_absolute_url())

    reached = {m.pk for page in (first, second) for m in page.context["others"]} | {newest.pk}
    assert reached == {m.pk for m in maps}
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert [m.title for m in on_an_older_map.context["others"]][:2] == ["Map 22", "Map 23"]
    assert all(m.publish_at < older.publish_at for m in on_an_older_map.context["others"])
    assert client.get(reverse("media:maps"), {"page": 3}).status_code == 404


def test_every_gallery_stays_browsable_a_page_at_a_time(client):
    galleries = [
        make_gallery(title=f"Gallery {day:02d}", publish_at=timezone.now() - timedelta(days=day))
        for day in range(1, 27)
    ]

    first = client.get(reverse("media:index"))
    second = client.get(reverse("media:index"), {"page": 2})

    shown = [g.pk for page in (first, second) for g in page.context["items"]]
    assert shown == [g.pk for g in galleries]
    assert 'rel="prev" href="?page=1"' in second.content.decode()
    assert client.get(reverse("media:films"), {"page": "²"}).status_code == 404


# --- Films: embeds and video files -------------------------------------------------


def film_with(**fields):
    return Film(title="F", slug="f", poster=make_photo(size=(64, 36)), **fields)


@pytest.mark.parametrize(
    ("host", "video_id"),
    [
        ("dailymotion", "x7abcd1"),
        ("youtube", '<iframe src="https://evil.example/"></iframe>'),
        ("youtube", "<script>alert(1)</script>"),
        ("youtube", "https://www.youtube.com/watch?v=M7lc1UVf-VE"),
        ("vimeo", "abc"),
    ],
)
def test_embeds_outside_the_allow_list_are_refused(host, video_id):
    with pytest.raises(ValidationError):
        film_with(embed_host=host, embed_id=video_id).full_clean()


def test_an_allowed_embed_is_rendered_from_its_id_only_when_the_reader_plays_it(client):
    film = make_film(embed_host="vimeo", embed_id="76979871")

    before = client.get(film.get_absolute_url()).content.decode()
    playing = client.get(film.get_absolute_url(), {"play": "1"}).content.decode()
    odd = client.get(film.get_absolute_url(), {"play": "<script>"})

    assert "<iframe" not in before and "vimeo.com" not in before.split("<main")[1]
    assert 'href="?play=1"' in before and "loads the video from Vimeo" in before
    assert 'src="https://player.vimeo.com/video/76979871?autoplay=1"' in playing
    assert odd.status_code == 200 and "<iframe" not in odd.content.decode()


@pytest.mark.parametrize(
    "fields", [{}, {"embed_host": "youtube", "embed_id": "M7lc1UVf-VE", "video": "films/x.mp4"}]
)
def test_a_film_has_a_file_or_an_embed_not_both_or_neither(fields):
    with pytest.raises(ValidationError, match="either a video file or an embed"):
        film_with(**fields).full_clean()


# --- Photo library uploads ----------------------------------------------------------


def photo_post(client, image_bytes, name="photo.jpg", **fields):
    return client.post(
        reverse("admin:media_photo_add"),
        {
            "image": SimpleUploadedFile(name, image_bytes, content_type="image/jpeg"),
            "title": "A photo",
            "alt_text": "Fishermen mending nets",
            "focal_x": "50",
            "focal_y": "50",
            **fields,
        },
    )


def jpeg(size=(120, 80)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"plain text pretending", "photo.jpg", "not one of them"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.svg", "not one of them"),
    ],
)
def test_the_photo_library_refuses_non_images(client, admin_user, data, name, message):
    client.force_login(admin_user)

    response = photo_post(client, data, name)

    assert message in response.content.decode()
    assert not Photo.objects.exists()


def test_the_photo_library_refuses_bombs_and_oversized_files(client, admin_user, settings):
    client.force_login(admin_user)
    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, "PNG")

    bomb = photo_post(client, buffer.getvalue(), "bomb.png")
    settings.IMAGE_UPLOAD_MAX_BYTES = 100
    oversized = photo_post(client, jpeg(), "big.jpg")

    assert "too large" in bomb.content.decode()
    assert "the limit is" in oversized.content.decode()
    assert not Photo.objects.exists()


def test_alt_text_is_required(client, admin_user):
    client.force_login(admin_user)

    response = photo_post(client, jpeg(), alt_text="")

    assert "alt_text" in response.context["adminform"].form.errors
    assert not Photo.objects.exists()


def test_a_good_photo_is_stored_under_a_generated_name_with_its_size(client, admin_user):
    client.force_login(admin_user)

    photo_post(client, jpeg((120, 80)), "../../etc/passwd.jpg")

    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (120, 80)
    assert photo.image.name.startswith("photos/") and "passwd" not in photo.image.name


# --- Renditions ---------------------------------------------------------------------


def make_renditions(*photos):
    """Do what the background job does for these photos (alwaght/background.py)."""
    done, failed, waiting = renditions_make_missing(photos, budget_seconds=600)
    assert (failed, waiting) == (0, 0)
    return done


def gallery_photos(gallery):
    return [item.photo for item in gallery.items.select_related("photo")]


def test_a_readers_page_makes_no_rendition_and_shows_the_original(client):
    gallery = make_gallery(photos=0)
    photo = make_photo(size=(1200, 900))
    GalleryPhoto.objects.create(gallery=gallery, photo=photo, position=0)

    content = client.get(gallery.get_absolute_url()).content.decode()

    assert stored_files("renditions") == []
    assert (
        f'<img src="{photo.image.url}" width="1200" height="900" alt="{photo.alt_text}"' in content
    )
    assert "srcset" not in content


def test_renditions_are_made_once_and_reused():
    from django.core.cache import cache
    from django.core.files.storage import default_storage

    gallery = make_gallery(photos=3)
    assert make_renditions(*gallery_photos(gallery)) == 3
    first = stored_files("renditions")
    times = {name: default_storage.get_modified_time(name) for name in first}
    # Every ratio in both formats, in every width up to the photo's (400 px: one).
    assert len(first) == 3 * len(renditions.RATIOS) * len(renditions.FORMATS)
    assert make_renditions(*gallery_photos(gallery)) == 0  # all marked made

    cache.clear()  # even without the remembered state, nothing is made again
    renditions._known_here.clear()
    assert make_renditions(*gallery_photos(gallery)) == 3

    assert stored_files("renditions") == first
    assert {name: default_storage.get_modified_time(name) for name in first} == times


def test_the_job_stops_starting_photos_after_its_time_budget(monkeypatch):
    photos = gallery_photos(make_gallery(photos=3))
    now = [0.0]
    make_all = renditions.renditions_make_all

    def six_seconds_each(photo):
        make_all(photo)
        now[0] += 6

    monkeypatch.setattr(renditions.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(renditions, "renditions_make_all", six_seconds_each)

    # Started at 0 and 6 s; at 12 s the 10 s budget is spent.
    assert renditions_make_missing(photos, budget_seconds=10) == (2, 0, 1)


def test_an_unreadable_photo_is_reported_and_the_others_are_made(monkeypatch):
    photos = gallery_photos(make_gallery(photos=3))
    photos[1].image.storage.delete(photos[1].image.name)

    assert renditions_make_missing(photos, budget_seconds=600) == (2, 1, 0)


def test_a_warm_process_renders_pictures_without_the_cache(client, monkeypatch):
    from django.core.cache import cache

    gallery = make_gallery(photos=3)
    make_renditions(*gallery_photos(gallery))
    client.get(gallery.get_absolute_url())
    calls = []
    monkeypatch.setattr(cache, "get_many", lambda *args, **kwargs: calls.append(args) or {})

    content = client.get(gallery.get_absolute_url()).content.decode()

    assert calls == []
    assert content.count("<picture") >= 3 and content.count("srcset") >= 6


def test_pictures_offer_webp_and_jpeg_widths_with_dimensions(client):
    gallery = make_gallery(photos=0)
    photo = make_photo(size=(1200, 900))
    GalleryPhoto.objects.create(gallery=gallery, photo=photo, position=0)
    make_renditions(photo)

    content = client.get(gallery.get_absolute_url()).content.decode()

    assert '<source type="image/webp" srcset="' in content
    assert " 320w, " in content and " 640w, " in content and " 1024w" in content
    assert " 1600w" not in content  # never upscaled
    assert 'width="640" height="480"' in content
    assert 'loading="lazy"' in content


@pytest.mark.parametrize(("focal_x", "expected"), [(10, (200, 20, 20)), (90, (20, 20, 200))])
def test_crops_keep_the_focal_point(focal_x, expected):
    source = Image.new("RGB", (800, 200), (200, 20, 20))
    source.paste((20, 20, 200), (400, 0, 800, 200))
    buffer = io.BytesIO()
    source.save(buffer, "PNG")
    from django.core.files.base import ContentFile

    photo = Photo(title="Split", alt_text="Red and blue", focal_x=focal_x, focal_y=50)
    photo.image.save("split.png", ContentFile(buffer.getvalue()), save=False)
    photo.save()

    square = rendition(photo, 320, "1:1", "jpg")

    from django.core.files.storage import default_storage

    with default_storage.open(square.url.removeprefix("/uploads/")) as handle:
        pixel = Image.open(handle).convert("RGB").getpixel((160, 100))
    assert all(abs(a - b) < 30 for a, b in zip(pixel, expected, strict=True))


# --- Query counts and the editors' flow --------------------------------------------


@pytest.mark.parametrize("count", [5, 50])
def test_gallery_pages_run_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    gallery = make_gallery(photos=count)
    for _ in range(3):
        make_gallery(photos=2)
    client.get(gallery.get_absolute_url())  # cache the sections

    with django_assert_num_queries(2):  # gallery, its photos
        client.get(gallery.get_absolute_url())
    with django_assert_num_queries(2):  # galleries, their photos
        client.get(reverse("media:index"))


@pytest.mark.parametrize("count", [5, 50])
def test_the_maps_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for day in range(count):
        make_map(publish_at=timezone.now() - timedelta(days=day + 1))
    client.get(reverse("media:maps"))  # cache the sections

    with django_assert_num_queries(2):  # the newest map, the earlier ones
        client.get(reverse("media:maps"))


def test_editors_build_a_ten_photo_gallery_in_one_admin_page(client, admin_user):
    client.force_login(admin_user)
    photos = [make_photo(size=(200, 150)) for _ in range(10)]
    data = {
        "title": "Ten photos",
        "slug": "ten-photos",
        "description": "",
        "status": "published",
        "publish_at_0": (timezone.now() - LATER).strftime("%Y-%m-%d"),
        "publish_at_1": "00:00:00",
        "items-TOTAL_FORMS": "10",
        "items-INITIAL_FORMS": "0",
    }
    for index, photo in enumerate(reversed(photos)):
        data[f"items-{index}-photo"] = photo.pk
        data[f"items-{index}-position"] = index
        data[f"items-{index}-caption"] = f"Caption {index}"

    response = client.post(reverse("admin:media_photogallery_add"), data)

    assert response.status_code == 302
    gallery = PhotoGallery.objects.get(slug="ten-photos")
    page = client.get(gallery.get_absolute_url()).content.decode()
    assert page.count('class="lightbox"') == 10
    assert page.index("Caption 0") < page.index("Caption 9")


def test_map_needs_its_image_from_the_library(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:media_map_add"), {"title": "No image", "slug": "no-image"}
    )

    assert "photo" in response.context["adminform"].form.errors
    assert not Map.objects.exists()


def test_editors_add_a_film_with_a_poster_and_a_map_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    poster, map_image = make_photo(size=(320, 180)), make_photo(size=(400, 300))
    when = (timezone.now() - LATER).strftime("%Y-%m-%d")

    film = client.post(
        reverse("admin:media_film_add"),
        {
            "title": "Flood film",
            "slug": "flood-film",
            "poster": poster.pk,
            "embed_host": "youtube",
            "embed_id": "M7lc1UVf-VE",
            "status": "published",
            "publish_at_0": when,
            "publish_at_1": "00:00:00",
        },
    )
    map_ = client.post(
        reverse("admin:media_map_add"),
        {
            "title": "Front line",
            "slug": "front-line",
            "photo": map_image.pk,
            "status": "published",
            "publish_at_0": when,
            "publish_at_1": "00:00:00",
        },
    )

    assert film.status_code == 302 and map_.status_code == 302
    played = client.get("/en/gallery/films/flood-film/", {"play": "1"}).content.decode()
    assert "youtube-nocookie.com/embed/M7lc1UVf-VE" in played
    assert "Front line" in client.get("/en/maps/").content.decode()
