"""Re-check film files stored before uploads were judged by their container.

A file that is a real MP4/WebM is copied under a name with the right extension;
anything else (an HTML or SVG page that started like an MP4) is deleted and its
film taken off the site, so no earlier upload can still be served as a page.
"""

import logging
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import migrations

from media.videos import video_extension

logger = logging.getLogger(__name__)


def _unpublished(Film) -> dict:
    # Films said is_published until 0006 moved them to a status; a test also runs
    # this function with today's models.
    fields = {field.name for field in Film._meta.get_fields()}
    return {"is_published": False} if "is_published" in fields else {"status": "draft"}


def recheck_film_files(apps, schema_editor):
    Film = apps.get_model("media", "Film")
    for film in Film.objects.exclude(video=""):
        name = film.video.name
        try:
            with default_storage.open(name, "rb") as file:
                extension = video_extension(file)
        except (ValidationError, OSError):
            extension = None
        if extension and PurePath(name).suffix == f".{extension}":
            continue
        if extension:
            with default_storage.open(name, "rb") as file:
                new_name = default_storage.save(
                    f"{PurePath(name).with_suffix('')}.{extension}", file
                )
            Film.objects.filter(pk=film.pk).update(video=new_name)
        else:
            logger.warning(
                "Film %s: %s is not a video; removed and the film unpublished", film.pk, name
            )
            Film.objects.filter(pk=film.pk).update(video="", **_unpublished(Film))
        if default_storage.exists(name):
            default_storage.delete(name)


class Migration(migrations.Migration):
    dependencies = [("media", "0004_film_video_checked_by_container")]

    operations = [migrations.RunPython(recheck_film_files, migrations.RunPython.noop)]
