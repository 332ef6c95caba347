from django.contrib.auth.models import Group, Permission

MODERATORS_GROUP = "Moderators"
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
