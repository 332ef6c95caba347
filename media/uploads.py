import posixpath
import uuid
from pathlib import PurePath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
class GeneratedUploadPath:
    """Store an upload under a generated name in `folder/YYYY/MM/`.

    Never the uploader's name: no path tricks, and no overwrite when two editors
    upload photo.jpg at the same moment.
    """

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = PurePath(filename).suffix.lower()[:5]
        return f"{self.folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, GeneratedUploadPath) and other.folder == self.folder


def upload_name(url: str) -> str | None:
    """Return the storage name of the upload `url` names, as a browser resolves it, or None.

    Browsers drop tabs and newlines from URLs, read a backslash as a slash and
    `%2e` as a dot, then resolve `..`: `/uploads/%2e%2e/beacon/...` is a request
    to the view beacon. So the path is percent-decoded (until it no longer
    changes) and must already be in normal form: no `.` or `..` segments, no
    empty ones, no backslash, whitespace, query or fragment. The body's
    sanitizer keeps an image only from such an address (articles/sanitize.py),
    and a body's photos are found by it (media/photos_in_text.py).
    """
    decoded = url
    for _ in range(4):
        decoded, previous = unquote(decoded), decoded
        if decoded == previous:
            break
    else:
        return None  # still changing: encoded over and over on purpose
    if any(char in decoded for char in "\\?#") or any(char.isspace() for char in decoded):
        return None
    media, target = urlsplit(settings.MEDIA_URL), urlsplit(decoded)
    if (target.scheme, target.netloc) != (media.scheme, media.netloc):
        return None
    if not target.path.startswith(media.path) or posixpath.normpath(target.path) != target.path:
        return None
    return target.path.removeprefix(media.path)
