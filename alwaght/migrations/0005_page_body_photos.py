# The photos a standing page's body shows, as rows (media/photos_in_text.py): the
# photo library's guard (publishing/sharing.py) finds them by it. Filled here from
# the stored bodies; every save keeps them from then on.

import media.photos_in_text
from django.db import migrations


def record_body_photos(apps, schema_editor):
    photos = apps.get_model("media", "Photo")._base_manager
    media.photos_in_text.record_stored_rows(apps.get_model("alwaght", "Page"), photos)


class Migration(migrations.Migration):
    dependencies = [
        ("alwaght", "0004_clean_stored_text"),
        ("media", "0011_gallery_photo_label"),
    ]

    operations = [
        migrations.AddField(
            model_name="page",
            name="body_photos",
            field=media.photos_in_text.PhotosInTextField(
                related_name="+", text="body", to="media.photo", verbose_name="photos in the body"
            ),
        ),
        migrations.RunPython(record_body_photos, migrations.RunPython.noop),
    ]
