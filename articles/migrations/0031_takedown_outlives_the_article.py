"""Takedowns keep the address they answer 410 for: a deleted article stays gone."""

import django.db.models.deletion
from django.db import migrations, models


def copy_the_address(apps, schema_editor):
    Takedown = apps.get_model("articles", "Takedown")
    rows = list(Takedown.objects.select_related("article"))
    for row in rows:
        article = row.article
        row.article_number = article.pk
        row.language, row.slug, row.title = article.language, article.slug, article.title
    Takedown.objects.bulk_update(rows, ["article_number", "language", "slug", "title"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0030_editors_choice_per_edition")]

    operations = [
        migrations.AddField(
            model_name="takedown",
            name="article_number",
            field=models.PositiveBigIntegerField(null=True, verbose_name="article id"),
        ),
        migrations.AddField(
            model_name="takedown",
            name="language",
            field=models.CharField(default="", max_length=8, verbose_name="edition"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="takedown",
            name="slug",
            field=models.CharField(default="", max_length=200, verbose_name="slug"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="takedown",
            name="title",
            field=models.CharField(default="", max_length=200, verbose_name="title"),
            preserve_default=False,
        ),
        migrations.RunPython(copy_the_address, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="takedown",
            name="article_number",
            field=models.PositiveBigIntegerField(db_index=True, verbose_name="article id"),
        ),
        migrations.AlterField(
            model_name="takedown",
            name="article",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="takedowns",
                to="articles.article",
                verbose_name="article",
            ),
        ),
    ]
