# An article's slug may keep the ZWNJs inside Persian words (articles/urling.py).

import articles.urling
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0027_counterpart_keys'),
    ]

    operations = [
        migrations.AlterField(
            model_name='article',
            name='slug',
            field=articles.urling.ArticleSlugField(help_text='Part of the address. Changing it later is safe: old links redirect.', max_length=200, verbose_name='slug'),
        ),
    ]
