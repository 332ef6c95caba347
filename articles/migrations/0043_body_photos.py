# The photos an article's or a topic's body shows, as rows (media/photos_in_text.py):
# the photo library's guard (publishing/sharing.py) finds them as it finds a main
# image. Filled here from the stored bodies; every save keeps them from then on.

import media.photos_in_text
from django.db import migrations


def record_body_photos(apps, schema_editor):
    photos = apps.get_model("media", "Photo")._base_manager
    for name in ("Article", "Topic"):
        media.photos_in_text.record_stored_rows(apps.get_model("articles", name), photos)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0042_search_indexes_short_pending_lists"),
        ("media", "0011_gallery_photo_label"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="body_photos",
            field=media.photos_in_text.PhotosInTextField(
                related_name="+", text="body", to="media.photo", verbose_name="photos in the body"
            ),
        ),
        migrations.AddField(
            model_name="topic",
            name="body_photos",
            field=media.photos_in_text.PhotosInTextField(
                related_name="+", text="body", to="media.photo", verbose_name="photos in the body"
            ),
        ),
        migrations.RunPython(record_body_photos, migrations.RunPython.noop),
    ]
