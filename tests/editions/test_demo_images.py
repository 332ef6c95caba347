"""The demo's map images carry their title, in Arabic script joined and right to left."""

import io

import pytest
from PIL import Image, ImageDraw, ImageFont

from alwaght.demo import images
from alwaght.demo.images import draw_label, label_font, map_png, shaped_for_basic_layout

TITLE = "نقشهٔ تحولات میدانی"


def band(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png)).convert("L")
    return image.crop((0, image.height - 90, image.width, image.height))


def white_columns(image: Image.Image) -> list[int]:
    width, height = image.size
    pixels = image.load()
    return [x for x in range(width) if any(pixels[x, y] > 200 for y in range(height))]


def drawn(text: str, **options) -> bytes:
    image = Image.new("RGB", (900, 90))
    white = (255, 255, 255)
    ImageDraw.Draw(image).text(
        (880, 20), text, font=label_font(), fill=white, anchor="ra", **options
    )
    return image.tobytes()


@pytest.mark.parametrize("language", ["fa", "ar"])
def test_an_arabic_script_title_is_drawn_from_the_right(language):
    columns = white_columns(band(map_png("seed", TITLE, language)))

    assert columns, "the band is empty"
    assert max(columns) > 1500 and min(columns) > 800  # right-aligned, as the script reads


def test_an_english_title_is_drawn_from_the_left():
    columns = white_columns(band(map_png("seed", "Front line, spring", "en")))

    assert min(columns) < 60 and max(columns) < 900


def test_the_letters_are_joined_not_drawn_one_by_one():
    if not images.features.check("raqm"):
        pytest.skip("this Pillow has no libraqm; the fallback is tested below")
    joined = drawn(TITLE, direction="rtl", language="fa")
    image = Image.new("RGB", (900, 90))
    draw_label(ImageDraw.Draw(image), (20, 20), 860, TITLE, "fa")

    assert image.tobytes() == joined
    assert joined != drawn(TITLE[::-1])  # what an unshaping layout draws: letters apart


def test_without_libraqm_the_title_is_reshaped_and_reordered(monkeypatch):
    monkeypatch.setattr(images.features, "check", lambda feature: False)
    label_font.cache_clear()
    try:
        basic = label_font()
        assert basic.layout_engine == ImageFont.Layout.BASIC
        columns = white_columns(band(map_png("seed", TITLE, "fa")))
        shaped = shaped_for_basic_layout("سلام")
    finally:
        label_font.cache_clear()

    assert columns and max(columns) > 1500
    assert (
        shaped == "\ufee1\ufefc\ufeb3"
    )  # final meem, lam-alef, initial seen: joined, visual order
