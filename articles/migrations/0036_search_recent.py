# The recent search index (articles/search_recent.py). The articles there already
# start unmarked: the column is added with false for them (no row is written, and
# the partial GIN index starts empty), then new articles default to marked. The
# background job `search_recent` marks each edition's newest, a batch a run, so no
# migration holds the newest articles' rows while rewriting them. Plain CREATE
# INDEX, as 0032: tests migrate inside transactions; the marks' index (three narrow
# columns) takes about a second per 300,000 articles.

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0035_author_latest_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_recent",
            field=models.BooleanField(default=False, db_default=False, editable=False),
        ),
        migrations.AlterField(
            model_name="article",
            name="search_recent",
            field=models.BooleanField(default=True, db_default=True, editable=False),
        ),
        migrations.AddIndex(
            model_name="article",
            index=GinIndex(
                condition=models.Q(search_recent=True),
                fields=["search_vector"],
                name="article_search_recent",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["language", "search_recent", "publish_at"], name="article_search_marks"
            ),
        ),
    ]
