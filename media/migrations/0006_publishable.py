"""Galleries, films and maps take the shared publishing model: status, publish_at, unpublish_at.

is_published=True becomes status "published" (False: "draft"); the constraint and
the index that read is_published are rebuilt on status.
"""

from django.db import migrations, models

MODELS = ["film", "map", "photogallery"]
STATUS = models.CharField(
    choices=[("draft", "Draft"), ("review", "In review"), ("published", "Published")],
    db_index=True,
    default="draft",
    max_length=16,
    verbose_name="status",
)


def status_from_flag(apps, schema_editor):
    for name in MODELS:
        apps.get_model("media", name).objects.filter(is_published=True).update(status="published")


def flag_from_status(apps, schema_editor):
    for name in MODELS:
        apps.get_model("media", name).objects.filter(status="published").update(is_published=True)


def per_model(make):
    return [make(name) for name in MODELS]


class Migration(migrations.Migration):
    dependencies = [
        ("media", "0005_recheck_stored_films"),
    ]

    operations = [
        *per_model(lambda name: migrations.AddField(name, "status", STATUS)),
        *per_model(
            lambda name: migrations.AddField(
                name,
                "unpublish_at",
                models.DateTimeField(
                    blank=True,
                    help_text="Optional: it is hidden again from this time.",
                    null=True,
                    verbose_name="unpublish at",
                ),
            )
        ),
        migrations.RunPython(status_from_flag, flag_from_status),
        *per_model(lambda name: migrations.RemoveConstraint(name, f"{name}_published_has_time")),
        *per_model(lambda name: migrations.RemoveIndex(name, f"{name}_latest")),
        *per_model(lambda name: migrations.RemoveField(name, "is_published")),
        *per_model(
            lambda name: migrations.AlterField(
                name,
                "publish_at",
                models.DateTimeField(
                    blank=True,
                    help_text="A future time schedules it; it appears by itself then.",
                    null=True,
                    verbose_name="publish at",
                ),
            )
        ),
        *per_model(
            lambda name: migrations.AddIndex(
                name,
                models.Index(
                    condition=models.Q(("status", "published")),
                    fields=["-publish_at"],
                    name=f"{name}_latest",
                ),
            )
        ),
        *per_model(
            lambda name: migrations.AddConstraint(
                name,
                models.CheckConstraint(
                    condition=models.Q(
                        models.Q(("status", "published"), _negated=True),
                        ("publish_at__isnull", False),
                        _connector="OR",
                    ),
                    name=f"{name}_published_has_time",
                ),
            )
        ),
        *per_model(
            lambda name: migrations.AddConstraint(
                name,
                models.CheckConstraint(
                    condition=models.Q(
                        ("unpublish_at__isnull", True),
                        ("publish_at__isnull", True),
                        ("unpublish_at__gt", models.F("publish_at")),
                        _connector="OR",
                    ),
                    name=f"{name}_unpublishes_after_publishing",
                ),
            )
        ),
    ]
