"""Clean text stored before web/text.py forbade the noncharacters (U+FFFE, U+FFFF...).

New text is cleaned on save; this finds the old rows that hold a character
clean_text() would remove (PostgreSQL does the finding, one scan per column)
and writes them back cleaned, so every page, feed and sitemap built from them
is valid XML and HTML. Kept in the top app because it touches every cleaned app.
"""

from django.db import IntegrityError, migrations, transaction


# The apps whose text was cleaned on save when this migration was written (each model
# now declares it: web.text.cleaned_on_save).
CLEANED_APPS = {"alwaght", "articles", "comments", "media", "popularity", "topics", "taggit", "auth"}


def clean_stored_text(apps, schema_editor):
    from web.text import clean_text, postgres_pattern, text_fields

    pattern = postgres_pattern()
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in CLEANED_APPS or meta.proxy or not meta.managed:
            continue
        rows = model._base_manager.using(schema_editor.connection.alias)
        for name in text_fields(model):
            for pk, value in rows.filter(**{f"{name}__regex": pattern}).values_list("pk", name):
                try:
                    with transaction.atomic(using=schema_editor.connection.alias):
                        rows.filter(pk=pk).update(**{name: clean_text(value)})
                except IntegrityError:
                    # The cleaned value is taken (two tags that differed only by a
                    # noncharacter): left as it is; feeds still clean it on output.
                    pass


class Migration(migrations.Migration):
    dependencies = [
        ("alwaght", "0003_job_status"),
        ("articles", "0023_list_entries"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("comments", "0002_sending_allowance"),
        ("media", "0009_editions"),
        ("popularity", "0002_most_viewed_list"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("topics", "0004_editions"),
    ]

    operations = [migrations.RunPython(clean_stored_text, migrations.RunPython.noop)]
