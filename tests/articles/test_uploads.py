import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ValidationError
from PIL import Image

from media.images import CleanImageFormField


def upload(data: bytes, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def encoded(image: Image.Image, image_format="JPEG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def clean(data: bytes, name="photo.jpg"):
    return CleanImageFormField().clean(upload(data, name))


def reopened(cleaned) -> Image.Image:
    cleaned.seek(0)
    return Image.open(io.BytesIO(cleaned.read()))


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"just some text, not an image", "photo.jpg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "a.svg"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj", "scan.jpg"),
        (encoded(Image.new("RGB", (8, 8)), "BMP"), "old.bmp"),
        (encoded(Image.new("RGB", (8, 8)), "TIFF"), "scan.tif"),
        (encoded(Image.new("RGB", (64, 64)))[:200], "truncated.jpg"),
    ],
)
def test_anything_but_a_decodable_jpeg_png_webp_or_gif_is_refused(data, name):
    with pytest.raises(ValidationError):
        clean(data, name)


def test_a_decompression_bomb_is_refused():
    bomb = encoded(Image.new("1", (30000, 30000)), "PNG")  # tiny file, 900 megapixels
    assert len(bomb) < 2_000_000

    with pytest.raises(ValidationError, match="too large"):
        clean(bomb, "bomb.png")


def test_an_oversized_file_is_refused(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 10_000
    noisy = Image.effect_noise((400, 400), 100).convert("RGB")

    with pytest.raises(ValidationError, match="the limit is"):
        clean(encoded(noisy, quality=100))


def test_too_many_pixels_is_refused(settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 100 * 100

    with pytest.raises(ValidationError, match="too large"):
        clean(encoded(Image.new("RGB", (200, 200))))


def test_html_appended_to_a_png_is_not_kept():
    polyglot = encoded(Image.new("RGB", (16, 16), "red"), "PNG") + b"<html><script>x()</script>"

    cleaned = clean(polyglot, "sneaky.png")

    cleaned.seek(0)
    data = cleaned.read()
    assert b"<script>" not in data
    assert data.endswith(b"IEND\xaeB`\x82")


def test_exif_orientation_is_applied_and_metadata_removed():
    image = Image.new("RGB", (40, 20), "blue")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # a GPS position
    exif[0x010E] = "A description with a secret"

    cleaned = clean(encoded(image, exif=exif))

    result = reopened(cleaned)
    assert result.size == (20, 40)
    assert not result.getexif()
    assert b"secret" not in cleaned.read()


HIDDEN = b"<script>alert(document.domain)</script>"


@pytest.mark.parametrize(
    ("image_format", "options"),
    [
        ("GIF", {"comment": HIDDEN}),  # issue 20 L8: GIF comment blocks were kept
        ("JPEG", {"comment": HIDDEN}),
        ("PNG", {"icc_profile": b"\0" * 128 + HIDDEN}),
        ("WEBP", {"icc_profile": b"\0" * 128 + HIDDEN, "xmp": HIDDEN}),
    ],
    ids=["gif-comment", "jpeg-comment", "png-profile", "webp-profile-and-xmp"],
)
def test_comment_blocks_and_profiles_do_not_survive_re_encoding(image_format, options):
    original = encoded(Image.new("RGB", (16, 16), "red"), image_format, **options)
    assert set(options) <= set(Image.open(io.BytesIO(original)).info)

    cleaned = clean(original, "x")

    assert HIDDEN not in cleaned.read()
    result = reopened(cleaned)
    assert set(options).isdisjoint(result.info)
    assert result.convert("RGB").getpixel((8, 8)) == pytest.approx((254, 0, 0), abs=2)


def test_a_gif_keeps_its_transparent_colour():
    image = Image.new("P", (8, 8), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0, 0, 0] * 254)

    cleaned = clean(encoded(image, "GIF", transparency=1, comment=HIDDEN), "x.gif")

    result = reopened(cleaned)
    assert result.info["transparency"] == result.getpixel((0, 0))
    assert "comment" not in result.info


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_allowed_formats_are_kept_in_their_format(image_format):
    cleaned = clean(encoded(Image.new("RGB", (30, 20), "green"), image_format), "x")

    assert reopened(cleaned).format == image_format
    assert cleaned.name.startswith("image.")


@pytest.mark.django_db
def test_image_dimensions_are_stored_so_loading_never_reopens_the_file(media_root):
    from django.core.files.base import ContentFile

    from media.models import Photo

    photo = Photo(title="t", alt_text="a")
    photo.image.save("x.jpg", ContentFile(encoded(Image.new("RGB", (64, 36)))), save=True)

    assert Photo.objects.filter(pk=photo.pk).values_list("width", "height").get() == (64, 36)
