# The search GIN indexes hold each article's section beside its words (btree_gin's
# operator class for the bigint column), so a search within a section reads only
# that section's matches (articles/search.py, _newest_matches). Each index is built
# under a new name before the old one is dropped, then takes the old name: the
# build blocks writes only (as 0032 and 0036, plain CREATE INDEX: tests migrate
# inside transactions), and the table's exclusive lock for the DROP is held only
# from then to the commit, not across the build. At 1.2M articles each build takes
# about 10 s.

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0036_search_recent"),
    ]

    operations = [
        BtreeGinExtension(),
        migrations.AddIndex(
            model_name="article",
            index=GinIndex(fields=["search_vector", "section"], name="article_search_sections"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=GinIndex(
                condition=models.Q(search_recent=True),
                fields=["search_vector", "section"],
                name="article_search_recent_sections",
            ),
        ),
        migrations.RemoveIndex(model_name="article", name="article_search"),
        migrations.RemoveIndex(model_name="article", name="article_search_recent"),
        migrations.RenameIndex(
            model_name="article", new_name="article_search", old_name="article_search_sections"
        ),
        migrations.RenameIndex(
            model_name="article",
            new_name="article_search_recent",
            old_name="article_search_recent_sections",
        ),
    ]
