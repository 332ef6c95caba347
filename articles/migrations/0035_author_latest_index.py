# Author pages and feeds: one author's published articles of an edition, newest first,
# as article_section_latest serves sections. A plain CREATE INDEX, as 0032 and 0033:
# tests migrate inside transactions.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0034_excerpt_source_as_html"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["author", "language", "-publish_at", "-id"],
                include=["unpublish_at"],
                condition=models.Q(status="published"),
                name="article_author_latest",
            ),
        ),
    ]
