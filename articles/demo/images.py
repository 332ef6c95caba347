"""Illustrations for the demo edition, drawn with Pillow: no stock photos needed."""

import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFilter

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
