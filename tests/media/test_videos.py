"""Film uploads: only real MP4/WebM containers are stored, under a name we choose."""

import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from media.models import Film
from media.videos import video_extension
from tests.factories import make_photo, stored_files

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4(brand: bytes = b"isom") -> bytes:
    """Return the smallest well-formed MP4: a file type, a movie header, media data."""
    return (
        box(b"ftyp", brand + b"\x00\x00\x02\x00" + b"isommp42")
        + box(b"moov", box(b"mvhd", bytes(100)))
        + box(b"mdat", bytes(64))
    )


def ebml(element_id: int, payload: bytes) -> bytes:
    """Return one EBML element with a one-byte size (payloads under 127 bytes)."""
    return (
        element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
        + bytes([0x80 | len(payload)])
        + payload
    )


def webm_header(doc_type: bytes = b"webm") -> bytes:
    return ebml(0x1A45DFA3, ebml(0x4286, b"\x01") + ebml(0x4282, doc_type))


def webm(doc_type: bytes = b"webm") -> bytes:
    return webm_header(doc_type) + ebml(0x18538067, ebml(0x1549A966, bytes(20)))


UNKNOWN_SIZE = b"\x01\xff\xff\xff\xff\xff\xff\xff"  # as browsers' MediaRecorder writes it


def unsized(element_id: int, payload: bytes, marker: bytes = UNKNOWN_SIZE) -> bytes:
    """Return an EBML element of unknown size (it runs until its parent's next element)."""
    return element_id.to_bytes((element_id.bit_length() + 7) // 8, "big") + marker + payload


def live_webm(marker: bytes = UNKNOWN_SIZE) -> bytes:
    """Return a WebM as a live recording writes it: Segment and Clusters of unknown size."""
    block = ebml(0xA3, b"\x81\x00\x00\x80" + bytes(12))  # a SimpleBlock of track 1
    clusters = unsized(0x1F43B675, ebml(0xE7, b"\x00") + block + block, marker) + unsized(
        0x1F43B675, ebml(0xE7, b"\x21") + block, marker
    )
    info = ebml(0x1549A966, ebml(0x2AD7B1, b"\x0f\x42\x40"))
    tracks = ebml(0x1654AE6B, ebml(0xAE, ebml(0xD7, b"\x01") + ebml(0x86, b"V_VP8")))
    cues = ebml(0x1C53BB6B, ebml(0xBB, ebml(0xB3, b"\x00")))
    return webm_header() + unsized(0x18538067, info + tracks + clusters + cues, marker)


def png_with_html() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    return buffer.getvalue() + HTML


def upload(data: bytes, name: str = "clip.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="video/mp4")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (mp4(), "mp4"),
        (mp4(b"mp42"), "mp4"),
        (webm(), "webm"),
        (live_webm(), "webm"),
        (live_webm(marker=b"\xff"), "webm"),
    ],
    ids=["mp4-isom", "mp4-mp42", "webm", "webm-live-recording", "webm-one-byte-unknown-size"],
)
def test_well_formed_videos_are_recognised_by_their_container(data, expected):
    assert video_extension(upload(data)) == expected


@pytest.mark.parametrize(
    "data",
    [
        HTML,
        box(b"ftyp", b"isom\x00\x00\x00\x00isom") + HTML,  # the MP4 signature, then a page
        box(b"ftyp", b"isom\x00\x00\x00\x00isom"),  # a file type and no movie
        box(b"ftyp", b"qt  \x00\x00\x00\x00qt  ") + mp4()[24:],  # QuickTime, not MP4
        mp4()[:-10],  # truncated media data
        mp4() + HTML,  # a page appended after the movie
        box(b"ftyp", b"isom\x00\x00\x00\x00isom") + box(b"html", HTML),  # unknown box
        webm(b"matroska"),
        webm()[:-5],
        webm() + HTML,
        live_webm() + HTML,  # issue 20 L8: a Segment of unknown size took anything after it
        live_webm() + ebml(0xA3, bytes(4)) + HTML,  # a block after the Cues, then a page
        live_webm()[:-3],  # the last element cut short
        # Only a Cluster may be of unknown size.
        webm_header() + unsized(0x18538067, unsized(0x1549A966, ebml(0x2AD7B1, b"\x01"))),
        png_with_html(),
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"",
    ],
    ids=[
        "html",
        "mp4-prefixed-html",
        "ftyp-only",
        "quicktime",
        "truncated-mp4",
        "mp4-then-html",
        "unknown-box",
        "matroska",
        "truncated-webm",
        "webm-then-html",
        "live-webm-then-html",
        "live-webm-stray-block-then-html",
        "truncated-live-webm",
        "unsized-info",
        "png-html-polyglot",
        "svg",
        "empty",
    ],
)
def test_anything_else_is_refused(data):
    with pytest.raises(ValidationError):
        video_extension(upload(data))


def test_videos_over_the_size_limit_are_refused(settings):
    settings.VIDEO_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="limit is 0 MB"):
        video_extension(upload(mp4()))


def film_post(client, video, **fields):
    return client.post(
        reverse("admin:media_film_add"),
        {"title": "Clip", "slug": "clip", "poster": make_photo(size=(64, 36)).pk, "video": video}
        | {"status": "draft"}
        | fields,
    )


@pytest.mark.parametrize("name", ["clip.html", "clip.htm", "clip.svg", "clip.mp4"])
def test_the_film_form_refuses_a_page_that_starts_like_an_mp4(client, admin_user, name):
    client.force_login(admin_user)
    page = box(b"ftyp", b"isom\x00\x00\x00\x00isom") + HTML

    response = film_post(client, SimpleUploadedFile(name, page, content_type="text/html"))

    assert response.status_code == 200
    assert "Upload an MP4 or WebM video" in str(response.context["adminform"].form.errors)
    assert not Film.objects.exists()
    assert stored_files("films") == []


@pytest.mark.parametrize(("data", "extension"), [(mp4(), ".mp4"), (webm(), ".webm")])
def test_a_real_video_is_stored_under_the_extension_of_what_it_is(
    client, admin_user, data, extension
):
    client.force_login(admin_user)

    response = film_post(client, SimpleUploadedFile("clip.html", data, content_type="text/html"))

    assert response.status_code == 302
    stored = Film.objects.get().video.name
    assert stored.startswith("films/") and stored.endswith(extension)
    assert "clip" not in stored and ".htm" not in stored


def test_no_other_save_path_can_store_a_page_as_a_film():
    film = Film(title="Sneaky", slug="sneaky", poster=make_photo(size=(64, 36)))
    film.video = ContentFile(box(b"ftyp", b"isom\x00\x00\x00\x00isom") + HTML, name="x.html")

    with pytest.raises(ValidationError), transaction.atomic():
        film.save()

    assert not Film.objects.exists()
    assert stored_files("films") == []


def test_files_stored_before_the_check_are_rechecked_by_the_migration(media_root):
    from importlib import import_module

    from django.apps import apps
    from django.core.files.storage import default_storage

    recheck = import_module("media.migrations.0005_recheck_stored_films").recheck_film_files
    poster = make_photo(size=(64, 36))
    page = default_storage.save("films/2025/01/old.html", ContentFile(HTML))
    movie = default_storage.save("films/2025/01/movie.htm", ContentFile(mp4()))
    fine = default_storage.save("films/2025/01/fine.mp4", ContentFile(mp4()))
    bad, good, untouched = (
        Film.objects.create(title=n, slug=n, poster=poster, video=v, status="published")
        for n, v in [("bad", page), ("good", movie), ("fine", fine)]
    )

    recheck(apps, None)

    bad.refresh_from_db(), good.refresh_from_db(), untouched.refresh_from_db()
    assert not bad.video and bad.status == "draft" and not default_storage.exists(page)
    assert good.video.name.endswith(".mp4") and default_storage.exists(good.video.name)
    assert not default_storage.exists(movie)
    assert untouched.video.name == fine and default_storage.exists(fine)
