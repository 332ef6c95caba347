"""The site's roles, kept as groups that are repaired after every migrate.

Editors write and edit everything editorial but cannot publish: a published
article's status and schedule, and Editor's Choice, belong to Chief Editors.
Moderators handle comments and the blocklist, nothing else. What each group
may do is read from the rules table (publishing/desk_rules.py), so a group cannot
hold a right the desk would refuse. The groups span every app, so they are set
up here, on top (connected in alwaght/apps.py).
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet

from comments.services import MODERATORS_GROUP
from publishing.desk_rules import CHIEF, EDITOR, MODERATOR, ROLE_MARKS, RULES

EDITORS = "Editors"
CHIEF_EDITORS = "Chief Editors"
# Desks tie people to editions: an Editor or Chief Editor writes and publishes only
# in the editions of their desks (publishing/editions.py). Members are chosen by hand.
DESKS = {"en": "English desk", "ar": "Arabic desk", "fa": "Persian desk"}

CRUD = ("view", "add", "change", "delete")


def table_permissions(role: str) -> set[tuple[str, str]]:
    """Return (app label, codename) of each permission `role` holds: the table's, and its mark."""
    wanted = {tuple(ROLE_MARKS[role].split("."))}
    for (label, action), row in RULES.items():
        if role in row.roles and action in CRUD and "." in label:
            app_label, model_name = label.split(".")
            wanted.add((app_label, f"{action}_{model_name}"))
    return wanted


def _permissions(wanted) -> QuerySet:
    match = Q(pk__in=[])
    for app_label, codename in wanted:
        match |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(match)


def sync_newsroom_groups(**kwargs) -> None:
    """Create or repair the Editors and Chief Editors groups and the edition desks."""
    for code, name in DESKS.items():
        desk, _ = Group.objects.get_or_create(name=name)
        desk.permissions.set(_permissions([("articles", f"edit_edition_{code}")]))
    for name, role in ((EDITORS, EDITOR), (CHIEF_EDITORS, CHIEF)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(table_permissions(role)))


def sync_moderators_group(**kwargs) -> Group:
    """Create or repair the Moderators group: comments and the blocklist, nothing else.

    Runs after every migrate (and after test flushes), so the group never has to
    be made by hand and drifts back to the rules table.
    """
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.set(_permissions(table_permissions(MODERATOR)))
    return group
