"""Image renditions: fixed widths, WebP and JPEG, cropped around the focal point.

A rendition is made the first time a page asks for it and stored under a name
derived from the source file, crop and width, so later requests only find it
(its existence is remembered in the cache, so not even a disk check is repeated).
Hand-written on Pillow rather than a thumbnail library: focal-point crops to a
few ratios, a WebP/JPEG pair per width and deterministic names are ~60 lines,
where the libraries (django-imagekit, sorl-thumbnail) would need custom
processors and naming for each of them.
"""

import hashlib
import io
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

WIDTHS = (320, 640, 1024, 1600)
RATIOS = {"16:9": (16, 9), "4:3": (4, 3), "1:1": (1, 1), "original": None}
FORMATS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}


# Rendition names this process has seen made. A name derives from the source
# file, crop, focal point and size, so once made it stays valid for as long as a
# page can ask for it: a warm worker renders pictures with no cache round trip
# at all (the front page made 17). Bounded: cleared when it grows past the limit.
_known_here: set[str] = set()
KNOWN_HERE_LIMIT = 200_000


@dataclass(frozen=True)
class Rendition:
    url: str
    width: int
    height: int


def target_size(photo, width: int, ratio: str) -> tuple[int, int]:
    shape = RATIOS[ratio] or (photo.width, photo.height)
    return width, max(round(width * shape[1] / shape[0]), 1)


def widths_for(photo) -> list[int]:
    """Return the rendition widths worth making: never upscaled, at least one."""
    usable = [width for width in WIDTHS if width <= photo.width]
    return usable or [min(photo.width, WIDTHS[0])]


def rendition(photo, width: int, ratio: str = "original", extension: str = "jpg") -> Rendition:
    """Return (making it once) one rendition of `photo`."""
    return renditions(photo, [width], ratio, extension)[0]


def renditions(photo, widths, ratio: str = "original", extension: str = "jpg") -> list[Rendition]:
    """Return (making them once) renditions of `photo` in several widths.

    No cache round trip once this process has seen them, else one for all of
    them: a page shows many pictures, each in four widths and two formats.
    """
    digest = hashlib.sha1(
        f"{photo.image.name}|{ratio}|{photo.focal_x}|{photo.focal_y}".encode(),
        usedforsecurity=False,  # a file name, not a signature
    ).hexdigest()[:12]
    sizes = [target_size(photo, width, ratio) for width in widths]
    # One folder per photo, so deleting the photo deletes them (media/files.py).
    names = [f"renditions/{photo.pk}/{digest}-{w}x{h}.{extension}" for w, h in sizes]
    if not _known_here.issuperset(names):
        known = cache.get_many([f"rendition:{name}" for name in names])
        made = {}
        for name, size in zip(names, sizes, strict=True):
            if f"rendition:{name}" not in known:
                if not default_storage.exists(name):
                    default_storage.save(name, ContentFile(_render(photo, size, ratio, extension)))
                made[f"rendition:{name}"] = True
        if made:
            cache.set_many(made, timeout=None)
        if len(_known_here) > KNOWN_HERE_LIMIT:
            _known_here.clear()
        _known_here.update(names)
    return [
        Rendition(default_storage.url(name), *size) for name, size in zip(names, sizes, strict=True)
    ]


def _render(photo, size, ratio, extension) -> bytes:
    image_format, options = FORMATS[extension]
    with photo.image.open("rb") as source, Image.open(source) as image:
        image = image.convert("RGB")
        if RATIOS[ratio]:
            centering = (photo.focal_x / 100, photo.focal_y / 100)
            image = ImageOps.fit(image, size, Image.Resampling.LANCZOS, centering=centering)
        else:
            image = image.resize(size, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, image_format, **options)
    return buffer.getvalue()
