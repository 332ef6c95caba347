"""Image renditions: fixed widths, WebP and JPEG, cropped around the focal point.

Readers never wait for one: a page shows the renditions that exist (known from
the cache, so not even a storage check is made) and, for a photo whose
renditions are not made yet, the original file at its own size. They are made
outside readers' requests: by `manage.py run_background` for every photo that
visible content uses (every ratio, width and format; newest photos first, within
a time budget per run), and by the desk when its own screens show a photo. Each
is stored under a name derived from the source file, crop and width, so making
one twice is harmless and a name never needs invalidating.
Hand-written on Pillow rather than a thumbnail library: focal-point crops to a
few ratios, a WebP/JPEG pair per width and deterministic names are ~60 lines,
where the libraries (django-imagekit, sorl-thumbnail) would need custom
processors and naming for each of them.
"""

import hashlib
import io
import logging
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

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


def rendition_names(photo, widths, ratio: str, extension: str) -> list[tuple[str, tuple]]:
    """Return (storage name, (width, height)) of each rendition, without touching storage."""
    digest = hashlib.sha1(
        f"{photo.image.name}|{ratio}|{photo.focal_x}|{photo.focal_y}".encode(),
        usedforsecurity=False,  # a file name, not a signature
    ).hexdigest()[:12]
    sizes = [target_size(photo, width, ratio) for width in widths]
    # One folder per photo, so deleting the photo deletes them (media/files.py).
    return [(f"renditions/{photo.pk}/{digest}-{w}x{h}.{extension}", (w, h)) for w, h in sizes]


def stored_renditions(photo, widths, ratio: str = "original", extension: str = "jpg"):
    """Return the renditions of `photo` in these widths if all are made, else None.

    For readers' pages: never makes one and never asks the storage, only this
    process's memory or, once, the cache.
    """
    named = rendition_names(photo, widths, ratio, extension)
    names = [name for name, _size in named]
    if not _known_here.issuperset(names):
        known = cache.get_many([f"rendition:{name}" for name in names])
        if len(known) < len(names):
            return None
        _remember_here(names)
    return [Rendition(default_storage.url(name), *size) for name, size in named]


def renditions(photo, widths, ratio: str = "original", extension: str = "jpg") -> list[Rendition]:
    """Return (making them once) renditions of `photo` in several widths.

    For the desk and the background job, never a reader's page (see
    `stored_renditions`). No cache round trip once this process has seen them,
    else one for all of them.
    """
    named = rendition_names(photo, widths, ratio, extension)
    names = [name for name, _size in named]
    if not _known_here.issuperset(names):
        known = cache.get_many([f"rendition:{name}" for name in names])
        made = {}
        for name, size in named:
            if f"rendition:{name}" not in known:
                if not default_storage.exists(name):
                    default_storage.save(name, ContentFile(_render(photo, size, ratio, extension)))
                made[f"rendition:{name}"] = True
        if made:
            cache.set_many(made, timeout=None)
        _remember_here(names)
    return [Rendition(default_storage.url(name), *size) for name, size in named]


def _remember_here(names) -> None:
    if len(_known_here) > KNOWN_HERE_LIMIT:
        _known_here.clear()
    _known_here.update(names)


def _complete_key(photo) -> str:
    # Changes with the file, the focal point and the set of renditions made.
    recipe = f"{photo.image.name}|{photo.focal_x}|{photo.focal_y}|{WIDTHS}|{RATIOS}|{FORMATS}"
    digest = hashlib.sha1(recipe.encode(), usedforsecurity=False).hexdigest()[:12]
    return f"renditions:complete:{photo.pk}:{digest}"


def renditions_make_all(photo) -> None:
    """Make every rendition of `photo` a page may show: each ratio, width and format."""
    for ratio in RATIOS:
        for extension in FORMATS:
            renditions(photo, widths_for(photo), ratio, extension)
    cache.set(_complete_key(photo), True, timeout=None)


def renditions_make_missing(photos, *, budget_seconds: float) -> tuple[int, int, int]:
    """Make every rendition of each of `photos` not known to have them all, in order.

    Stops starting new photos once `budget_seconds` have passed; a photo whose
    file cannot be read is logged and skipped. Returns (photos done, photos that
    failed, photos still waiting). One cache round trip to find the waiting ones.
    """
    keys = {photo: _complete_key(photo) for photo in photos}
    complete = cache.get_many(list(keys.values()))
    waiting = [photo for photo, key in keys.items() if key not in complete]
    deadline = time.monotonic() + budget_seconds
    done = failed = 0
    for photo in waiting:
        if time.monotonic() >= deadline:
            break
        try:
            renditions_make_all(photo)
        except Exception:  # one unreadable file must not keep the others waiting
            logger.exception("Could not make the renditions of photo %s", photo.pk)
            failed += 1
        else:
            done += 1
    return done, failed, len(waiting) - done - failed


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
