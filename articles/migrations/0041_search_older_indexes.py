# The search GIN indexes of each edition's older articles (articles/models/indexes.py:
# edition_words), in place of the index of every article: search reads the recent
# articles' index, then the older articles' only when those fall short, and the index
# of every article held the recent ones again, whose posting lists the second stage
# read a second time (at 300,000 articles, half of each edition's index). Built before
# the old ones are dropped (plain CREATE INDEX, as 0040), so searches always have one.

import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0040_search_indexes_per_edition"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("language", "en"), ("search_recent", False)),
                fields=["search_vector", "section"],
                name="article_search_older_en",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("language", "ar"), ("search_recent", False)),
                fields=["search_vector", "section"],
                name="article_search_older_ar",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                condition=models.Q(("language", "fa"), ("search_recent", False)),
                fields=["search_vector", "section"],
                name="article_search_older_fa",
            ),
        ),
        migrations.RemoveIndex(model_name="article", name="article_search_en"),
        migrations.RemoveIndex(model_name="article", name="article_search_ar"),
        migrations.RemoveIndex(model_name="article", name="article_search_fa"),
    ]
