import django.db.models.deletion
from django.db import migrations, models


def move_images_to_the_library(apps, schema_editor):
    """Turn each article's own image into a photo-library entry it points at."""
    Article = apps.get_model("articles", "Article")
    Photo = apps.get_model("media", "Photo")
    for article in Article.objects.exclude(image=""):
        photo = Photo.objects.create(
            image=article.image.name,
            width=article.image_width or 0,
            height=article.image_height or 0,
            title=article.title[:200],
            alt_text=article.image_alt or article.title[:250],
            caption=article.image_caption,
            credit=article.image_credit,
        )
        Article.objects.filter(pk=article.pk).update(photo=photo)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_clean_images"),
        ("media", "0002_updated_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                help_text="From the photo library; its alt text, caption and credit are shown.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="media.photo",
                verbose_name="main image",
            ),
        ),
        migrations.RunPython(move_images_to_the_library, migrations.RunPython.noop),
        migrations.RemoveField(model_name="article", name="image"),
        migrations.RemoveField(model_name="article", name="image_alt"),
        migrations.RemoveField(model_name="article", name="image_caption"),
        migrations.RemoveField(model_name="article", name="image_credit"),
        migrations.RemoveField(model_name="article", name="image_height"),
        migrations.RemoveField(model_name="article", name="image_width"),
    ]
