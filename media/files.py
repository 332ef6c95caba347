"""Stored files follow their rows: deleting a photo or film deletes its files.

Only through Django's storage API (the files may be in a bucket, not on this
machine), and only once the deletion is committed, so a rolled-back delete
(a photo still used as a poster, say) keeps its files.
"""

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from media.models import Film, Photo

logger = logging.getLogger(__name__)


def rendition_folder(photo_pk: int) -> str:
    return f"renditions/{photo_pk}"


def delete_stored(names: list[str], folder: str = "") -> None:
    """Delete files and everything in `folder`; a storage fault is logged, not raised."""
    try:
        if folder:
            try:
                _dirs, files = default_storage.listdir(folder)
            except FileNotFoundError:
                files = []
            names = [*names, *(f"{folder}/{name}" for name in files)]
        for name in names:
            default_storage.delete(name)
    except Exception:  # the row is gone either way; leftovers are only bytes
        logger.exception("Could not delete stored files %s", names)


@receiver(post_delete, sender=Photo)
def delete_photo_files(sender, instance: Photo, **kwargs):
    names = [instance.image.name] if instance.image else []
    folder = rendition_folder(instance.pk)
    transaction.on_commit(lambda: delete_stored(names, folder))


@receiver(post_delete, sender=Film)
def delete_film_file(sender, instance: Film, **kwargs):
    if instance.video:
        name = instance.video.name
        transaction.on_commit(lambda: delete_stored([name]))
