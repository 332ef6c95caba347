# The desk's article list, newest first, over several editions (a superuser, someone
# on two desks). A plain CREATE INDEX, as 0032: tests migrate inside transactions;
# 1.5 s for 300k articles on the bench's server, writes to articles wait that long once.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0032_edition_publish_at_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["publish_at", "id"], name="article_desk_order"),
        ),
    ]
