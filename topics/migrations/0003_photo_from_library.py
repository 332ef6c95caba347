import django.db.models.deletion
from django.db import migrations, models


def move_images_to_the_library(apps, schema_editor):
    """Turn each topic's own image into a photo-library entry it points at."""
    Topic = apps.get_model("topics", "Topic")
    Photo = apps.get_model("media", "Photo")
    for topic in Topic.objects.exclude(image=""):
        photo = Photo.objects.create(
            image=topic.image.name,
            width=topic.image_width or 0,
            height=topic.image_height or 0,
            title=topic.name[:200],
            alt_text=topic.image_alt or topic.name[:250],
        )
        Topic.objects.filter(pk=topic.pk).update(photo=photo)


class Migration(migrations.Migration):
    dependencies = [
        ("topics", "0002_clean_images"),
        ("media", "0003_shared_publishable_meta"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                help_text="From the photo library; its alt text is shown.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="media.photo",
                verbose_name="image",
            ),
        ),
        migrations.RunPython(move_images_to_the_library, migrations.RunPython.noop),
        migrations.RemoveField(model_name="topic", name="image"),
        migrations.RemoveField(model_name="topic", name="image_alt"),
        migrations.RemoveField(model_name="topic", name="image_height"),
        migrations.RemoveField(model_name="topic", name="image_width"),
    ]
