# The search GIN indexes, one per edition (articles/models/indexes.py: edition_words):
# a search is always of one edition, and the index of every edition read the other
# editions' matches of a shared word (a number, a name) only to drop them by their
# row. Each edition's index is built before the index of every edition is dropped
# (as 0037: plain CREATE INDEX, which blocks writes only; tests migrate inside
# transactions), so searches always have one. At 300,000 articles the six builds
# took about 10 s in all.

import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0039_search_entries"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("language", "en")),
                fields=["search_vector", "section"],
                name="article_search_en",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("language", "ar")),
                fields=["search_vector", "section"],
                name="article_search_ar",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("language", "fa")),
                fields=["search_vector", "section"],
                name="article_search_fa",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("language", "en"), ("search_recent", True)),
                fields=["search_vector", "section"],
                name="article_search_recent_en",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("language", "ar"), ("search_recent", True)),
                fields=["search_vector", "section"],
                name="article_search_recent_ar",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("language", "fa"), ("search_recent", True)),
                fields=["search_vector", "section"],
                name="article_search_recent_fa",
            ),
        ),
        migrations.RemoveIndex(model_name="article", name="article_search"),
        migrations.RemoveIndex(model_name="article", name="article_search_recent"),
    ]
