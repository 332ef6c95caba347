from django.contrib.auth.management import create_permissions
from django.db import migrations

DESKS = {"en": "English desk", "ar": "Arabic desk", "fa": "Persian desk"}


def existing_staff_keep_every_edition(apps, schema_editor):
    """Put everyone already on the desk in every edition's desk (editors narrow it later)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("auth", "User")
    staff = list(User.objects.filter(is_staff=True, is_superuser=False))
    for code, name in DESKS.items():
        desk, _ = Group.objects.get_or_create(name=name)
        desk.permissions.add(
            Permission.objects.get(content_type__app_label="articles", codename=f"edit_edition_{code}")
        )
        desk.user_set.add(*staff)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_search_normalization"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": ["-publish_at", "-id"],
                "permissions": [
                    ("can_publish", "Can publish, schedule and unpublish articles"),
                    ("edit_edition_en", "Can write in the English edition"),
                    ("edit_edition_ar", "Can write in the Arabic edition"),
                    ("edit_edition_fa", "Can write in the Persian edition"),
                ],
                "verbose_name": "article",
                "verbose_name_plural": "articles",
            },
        ),
        migrations.RunPython(existing_staff_keep_every_edition, migrations.RunPython.noop),
    ]
