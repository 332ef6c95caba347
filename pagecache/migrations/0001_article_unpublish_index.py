"""An index for the page cache's one query: the next scheduled unpublication.

Without it the query reads the whole article table (140 ms at 100k articles);
with it, one index probe. It lives here, not on Article.Meta, because only
pagecache/transitions.py asks this question.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_main_photo_from_library")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS pagecache_article_unpublish_at"
            " ON articles_article (unpublish_at)"
            " WHERE status = 'published' AND unpublish_at IS NOT NULL",
            "DROP INDEX IF EXISTS pagecache_article_unpublish_at",
        )
    ]
