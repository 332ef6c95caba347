"""Illustrations for the demo edition, drawn with Pillow: no stock photos needed.

Labels in Arabic script are shaped (letters joined, right to left): by Pillow's
own layout engine, libraqm, where the Pillow build has it (PyPI's wheels do),
else by arabic-reshaper and python-bidi. The font is the site's own Vazirmatn
subset (static/fonts/), which has Latin, Arabic-script letters and both digits.
"""

import hashlib
import io
import random
from functools import cache

from django.conf import settings
from PIL import Image, ImageDraw, ImageFilter, ImageFont, features

SIZE = (1280, 720)
PALETTES = {
    "news": [(19, 41, 75), (62, 98, 140), (200, 215, 230)],
    "report": [(84, 60, 38), (176, 132, 84), (238, 222, 196)],
    "analysis": [(28, 66, 60), (74, 135, 118), (206, 230, 220)],
    "interview": [(72, 38, 70), (148, 92, 140), (232, 212, 228)],
    "opinion": [(110, 24, 28), (190, 88, 70), (244, 220, 208)],
}


def illustration_jpeg(seed_text: str, palette_name: str) -> bytes:
    """Return a JPEG of soft shapes, the same every time for the same seed."""
    rng = random.Random(hashlib.sha256(seed_text.encode()).digest())
    dark, mid, light = PALETTES.get(palette_name, PALETTES["news"])
    image = Image.new("RGB", SIZE, dark)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    for row in range(height):  # a vertical gradient from dark to mid
        share = row / height
        draw.line(
            [(0, row), (width, row)],
            fill=tuple(int(d + (m - d) * share) for d, m in zip(dark, mid, strict=True)),
        )
    overlay = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    for _ in range(7):
        radius = rng.randint(80, 320)
        x, y = rng.randint(0, width), rng.randint(0, height)
        shapes.ellipse(
            [x - radius, y - radius, x + radius, y + radius], fill=(*light, rng.randint(25, 70))
        )
    for _ in range(3):
        y = rng.randint(height // 3, height)
        shapes.line([(0, y), (width, y - rng.randint(-200, 200))], fill=(*light, 90), width=3)
    image = Image.alpha_composite(
        image.convert("RGBA"), overlay.filter(ImageFilter.GaussianBlur(2))
    )
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def map_png(seed_text: str, label: str, language: str = "en") -> bytes:
    """Return a schematic map (coast, rivers, front line, markers) as a PNG."""
    rng = random.Random(hashlib.sha256(seed_text.encode()).digest())
    width, height = 1600, 1200
    image = Image.new("RGB", (width, height), (203, 225, 238))  # sea
    draw = ImageDraw.Draw(image)
    coast = [(0, 0), (width, 0), (width, int(height * 0.75))]
    for step in range(12, -1, -1):
        x = int(width * step / 12)
        coast.append((x, int(height * (0.55 + 0.25 * rng.random()))))
    draw.polygon(coast, fill=(236, 232, 218))  # land
    for _ in range(3):  # rivers
        x, y = rng.randint(200, width - 200), 0
        points = []
        while y < height * 0.6:
            points.append((x, y))
            x += rng.randint(-60, 60)
            y += 60
        draw.line(points, fill=(120, 170, 205), width=6)
    for step in range(0, width, 200):  # grid
        draw.line([(step, 0), (step, height)], fill=(210, 206, 194), width=1)
    for step in range(0, height, 200):
        draw.line([(0, step), (width, step)], fill=(210, 206, 194), width=1)
    front = [(rng.randint(300, 500), 0)]
    while front[-1][1] < height * 0.7:
        front.append((front[-1][0] + rng.randint(-80, 120), front[-1][1] + 90))
    draw.line(front, fill=(164, 22, 26), width=8)
    for _ in range(6):  # places
        x, y = rng.randint(100, width - 100), rng.randint(80, int(height * 0.5))
        draw.ellipse([x - 12, y - 12, x + 12, y + 12], fill=(19, 41, 75))
    draw.rectangle([0, height - 90, width, height], fill=(19, 41, 75))
    draw_label(draw, (40, height - 70), width - 80, label, language)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


LABEL_FONT = "static/fonts/vazirmatn-Bold.subset.woff2"
RIGHT_TO_LEFT = {"ar", "fa"}


@cache
def label_font(size: int = 44) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(settings.BASE_DIR / LABEL_FONT), size, layout_engine=engine)


def draw_label(draw: ImageDraw.ImageDraw, start: tuple[int, int], span: int, text: str, language):
    """Draw `text` in white from the line's start (the right end in Arabic script)."""
    x, y = start
    rtl = language in RIGHT_TO_LEFT
    font = label_font()
    if rtl and font.layout_engine != ImageFont.Layout.RAQM:
        text = shaped_for_basic_layout(text)
    options = {"direction": "rtl", "language": language} if rtl and features.check("raqm") else {}
    draw.text(
        (x + span, y) if rtl else (x, y),
        text,
        fill=(255, 255, 255),
        font=font,
        anchor="ra" if rtl else "la",
        **options,
    )


def shaped_for_basic_layout(text: str) -> str:
    """Return `text` as a layout engine without shaping must draw it: joined forms, visual order."""
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))
