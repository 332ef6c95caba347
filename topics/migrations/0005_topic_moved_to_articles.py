"""The Topic model now lives in the article core (articles 0024); its table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0024_topic_moves_here"),
        ("topics", "0004_editions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Topic")],
            database_operations=[],
        ),
    ]
