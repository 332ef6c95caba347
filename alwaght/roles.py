"""The site's roles, kept as groups that are repaired after every migrate.

Editors write and edit everything editorial but cannot publish: a published
article's status and schedule, and Editor's Choice, belong to Chief Editors.
Moderators handle comments and the blocklist, nothing else. The groups span
every app, so they are set up here, on top (connected in alwaght/apps.py).
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from comments.services import MODERATORS_GROUP

EDITORS = "Editors"
CHIEF_EDITORS = "Chief Editors"
# Desks tie people to editions: an Editor or Chief Editor writes and publishes only
# in the editions of their desks (publishing/editions.py). Members are chosen by hand.
DESKS = {"en": "English desk", "ar": "Arabic desk", "fa": "Persian desk"}

_EDITORIAL_MODELS = {
    "articles": [
        "article",
        "author",
        "section",
        "articlenote",
        "relatedarticle",
        "taggedarticle",
        "topic",
    ],
    "media": ["photo", "photogallery", "galleryphoto", "film", "map"],
    "taggit": ["tag"],
    "alwaght": ["page"],
}


def _permissions(actions, models_by_app, extra=()):
    wanted = Q(pk__in=[])
    for app_label, models in models_by_app.items():
        codenames = [f"{action}_{model}" for action in actions for model in models]
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    for app_label, codename in extra:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(wanted)


def sync_newsroom_groups(**kwargs) -> None:
    """Create or repair the Editors and Chief Editors groups and the edition desks."""
    for code, name in DESKS.items():
        desk, _ = Group.objects.get_or_create(name=name)
        desk.permissions.set(_permissions([], {}, extra=[("articles", f"edit_edition_{code}")]))
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.set(
        _permissions(
            ["view", "add", "change"],
            _EDITORIAL_MODELS,
            extra=[
                ("articles", "view_editorschoice"),
                ("articles", "delete_relatedarticle"),
                ("articles", "delete_articlenote"),
                ("articles", "delete_taggedarticle"),
                ("articles", "view_pendingchange"),
            ],
        )
    )
    chiefs, _ = Group.objects.get_or_create(name=CHIEF_EDITORS)
    chiefs.permissions.set(
        _permissions(
            ["view", "add", "change", "delete"],
            {**_EDITORIAL_MODELS, "articles": [*_EDITORIAL_MODELS["articles"], "editorschoice"]},
            extra=[("articles", "can_publish"), ("articles", "view_pendingchange")],
        )
    )


MODERATOR_PERMISSIONS = [
    "view_comment",
    "change_comment",
    "delete_comment",
    "can_moderate",
    "view_blockedterm",
    "add_blockedterm",
    "change_blockedterm",
    "delete_blockedterm",
]


def sync_moderators_group(**kwargs) -> Group:
    """Create or repair the Moderators group: comments and the blocklist, nothing else.

    Runs after every migrate (and after test flushes), so the group never has to
    be made by hand and drifts back to this definition.
    """
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="comments", codename__in=MODERATOR_PERMISSIONS
        )
    )
    return group
