"""In Focus topics move from the topics app into the article core (issue 21, honest layers).

Article.topics pointed up at "topics.Topic", a string reference across floors. The
model now lives beside Section and Tag; the table, its rows and constraints stay
where they are (state only), and its content type follows, so permissions,
revisions and the admin log keep pointing at it.
"""

import django.db.models.deletion
from django.db import migrations, models


def content_type_follows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="topics", model="topic").update(app_label="articles")


def content_type_goes_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="articles", model="topic").update(app_label="topics")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_list_entries"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("media", "0009_editions"),
        ("topics", "0004_editions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Topic",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("language", models.CharField(choices=[("en", "English"), ("ar", "Arabic"), ("fa", "Persian")], db_index=True, default="en", max_length=8, verbose_name="edition")),
                        ("name", models.CharField(max_length=120, verbose_name="name")),
                        ("slug", models.SlugField(allow_unicode=True, max_length=120, verbose_name="slug")),
                        ("description", models.CharField(help_text="One or two sentences, shown in the In Focus lists.", max_length=300, verbose_name="short description")),
                        ("body", models.TextField(blank=True, help_text="The longer description on the topic's page.", verbose_name="body")),
                        ("in_focus", models.BooleanField(db_index=True, default=False, help_text="List this topic in the front page's In Focus block.", verbose_name="on the front page")),
                        ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                        ("photo", models.ForeignKey(blank=True, help_text="From the photo library; its alt text is shown.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="media.photo", verbose_name="image")),
                    ],
                    options={
                        "verbose_name": "topic",
                        "verbose_name_plural": "In Focus topics",
                        "db_table": "topics_topic",
                        "ordering": ["position", "name"],
                        "constraints": [
                            models.UniqueConstraint(fields=("language", "slug"), name="topic_slug_per_edition"),
                            models.UniqueConstraint(fields=("language", "name"), name="topic_name_per_edition"),
                        ],
                    },
                ),
                migrations.AlterField(
                    model_name="article",
                    name="topics",
                    field=models.ManyToManyField(blank=True, related_name="articles", to="articles.topic", verbose_name="In Focus topics"),
                ),
                migrations.AlterField(
                    model_name="topicentry",
                    name="topic",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="articles.topic"),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_follows, content_type_goes_back),
    ]
