"""Editor's Choice slots numbered per edition: each slot carries its article's edition."""

import django.db.models.constraints
from django.db import migrations, models


def number_per_edition(apps, schema_editor):
    """Give each edition's slots positions 1..n, in their order across editions until now."""
    EditorsChoice = apps.get_model("articles", "EditorsChoice")
    slots = list(EditorsChoice.objects.select_related("article").order_by("position", "id"))
    taken = {}
    for slot in slots:
        slot.language = slot.article.language
        taken[slot.language] = slot.position = taken.get(slot.language, 0) + 1
    EditorsChoice.objects.bulk_update(slots, ["language", "position"])


def number_across_editions(apps, schema_editor):
    """Going back: one numbering again, the editions' lists one after another."""
    EditorsChoice = apps.get_model("articles", "EditorsChoice")
    slots = list(EditorsChoice.objects.order_by("language", "position", "id"))
    for number, slot in enumerate(slots, start=1):
        slot.position = number
    EditorsChoice.objects.bulk_update(slots, ["position"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0029_internal_notes"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="editorschoice",
            name="editors_choice_unique_position",
        ),
        migrations.AddField(
            model_name="editorschoice",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("ar", "Arabic"), ("fa", "Persian")],
                db_index=True,
                default="en",
                max_length=8,
                verbose_name="edition",
            ),
        ),
        migrations.AlterField(
            model_name="editorschoice",
            name="position",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="position"),
        ),
        migrations.AlterModelOptions(
            name="editorschoice",
            options={
                "ordering": ["language", "position", "id"],
                "verbose_name": "Editor's Choice slot",
                "verbose_name_plural": "Editor's Choice",
            },
        ),
        migrations.RunPython(number_per_edition, number_across_editions),
        migrations.AddConstraint(
            model_name="editorschoice",
            constraint=models.UniqueConstraint(
                deferrable=django.db.models.constraints.Deferrable["DEFERRED"],
                fields=("language", "position"),
                name="editors_choice_unique_position_per_edition",
            ),
        ),
    ]
