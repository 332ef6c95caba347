"""Filling a photo gallery from a batch of files, and the alt-text rule for publishing it.

Photos uploaded in bulk into a gallery arrive without alt text: one file box cannot
ask for a description per file. They are stored in the library at once (so nothing
chosen is lost) and described afterwards in the gallery's grid. Readers who cannot
see the pictures must never meet one without alt text, so a gallery with such a
photo cannot be published: `photos_without_alt_text` names them, and every form that
can publish a gallery (its change form with the grid, the list's status column) asks it.
"""

from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db.models import Max

from media.models import GalleryPhoto, Photo, PhotoGallery
from publishing.models import Publishable

TITLE_MAX_LENGTH = Photo._meta.get_field("title").max_length


@dataclass
class PhotoBatch:
    """Files of one upload: the cleaned ones with their names, and the refused ones with why."""

    accepted: list[tuple[str, UploadedFile]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def __bool__(self):
        return bool(self.accepted or self.refused)


def title_from_file_name(name: str) -> str:
    """Return a library title for an uploaded file: its name without folder or extension."""
    stem = PurePath(name.replace("\\", "/")).stem.replace("_", " ").strip()
    return stem[:TITLE_MAX_LENGTH] or "Photo"


def gallery_add_photos(
    *, gallery: PhotoGallery, uploads: list[tuple[str, UploadedFile]]
) -> list[Photo]:
    """Store each cleaned upload as a library photo and append it to `gallery`, in order.

    Costs one query for the last position, then two inserts per file.
    """
    last = gallery.items.aggregate(last=Max("position"))["last"]
    first = 0 if last is None else last + 1
    photos = []
    for offset, (name, image) in enumerate(uploads):
        photo = Photo(title=title_from_file_name(name), alt_text="", image=image)
        photo.save()
        GalleryPhoto.objects.create(gallery=gallery, photo=photo, position=first + offset)
        photos.append(photo)
    return photos


def is_published(status: str) -> bool:
    """Return whether a gallery of this status is (or is scheduled to be) shown to readers."""
    return status == Publishable.Status.PUBLISHED


def photos_without_alt_text(photos) -> list[str]:
    """Return the titles of `photos` (Photo rows, alt text as it will be saved) that lack one."""
    return [photo.title for photo in photos if not (photo.alt_text or "").strip()]
