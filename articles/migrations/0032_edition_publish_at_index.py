# An edition's first and last publish time for the desk's lists (the Persian desk's
# Solar Hijri years). A plain CREATE INDEX, not CONCURRENTLY: migrations are run
# inside tests' transactions (tests/articles/test_list_entries.py), and the build
# (two narrow columns) takes about a second per million articles.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ('articles', '0031_takedown_outlives_the_article'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['language', 'publish_at'], name='article_edition_publish_at'),
        ),
    ]
