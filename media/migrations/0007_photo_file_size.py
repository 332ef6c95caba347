"""Photos remember their byte size (feeds' enclosure length) instead of asking storage."""

import logging

from django.core.files.storage import default_storage
from django.db import migrations, models

logger = logging.getLogger(__name__)


def fill_file_sizes(apps, schema_editor):
    Photo = apps.get_model("media", "Photo")
    for photo in Photo.objects.filter(file_size=0).exclude(image="").iterator():
        try:
            size = default_storage.size(photo.image.name)
        except (OSError, ValueError):
            # A missing file keeps 0, as before (its pages already show nothing).
            logger.warning("Photo %s: no stored file %s", photo.pk, photo.image.name)
            continue
        Photo.objects.filter(pk=photo.pk).update(file_size=size)


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0006_publishable"),
    ]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="file_size",
            field=models.PositiveBigIntegerField(default=0, editable=False, verbose_name="bytes"),
        ),
        migrations.RunPython(fill_file_sizes, migrations.RunPython.noop),
    ]
