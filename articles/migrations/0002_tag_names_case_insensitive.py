from django.db import migrations


class Migration(migrations.Migration):
    """One tag per name whatever its case ("Iran" and "iran"), enforced by PostgreSQL.

    TAGGIT_CASE_INSENSITIVE makes taggit reuse an existing tag; this index closes
    the race where two editors create the same new tag at once.
    """

    dependencies = [
        ("articles", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE UNIQUE INDEX taggit_tag_name_lower_uniq ON taggit_tag (lower(name))",
            reverse_sql="DROP INDEX taggit_tag_name_lower_uniq",
        )
    ]
