"""Desk accounts: joining a newsroom group makes them staff; the lockout page."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.template.response import TemplateResponse

from alwaght.roles import CHIEF_EDITORS, EDITORS
from comments.services import MODERATORS_GROUP

DESK_GROUPS = (EDITORS, CHIEF_EDITORS, MODERATORS_GROUP)


def make_desk_members_staff(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """On user.groups.add / group.user_set.add, set is_staff for members of desk groups.

    Without it an account put in Editors could not open the desk at all, and the
    admin's user form gave no hint why.
    """
    if action != "post_add" or not pk_set:
        return
    user_model = get_user_model()
    if reverse:  # group.user_set.add(...): instance is the group
        if instance.name in DESK_GROUPS:
            user_model.objects.filter(pk__in=pk_set, is_staff=False).update(is_staff=True)
        return
    if Group.objects.filter(pk__in=pk_set, name__in=DESK_GROUPS).exists():
        user_model.objects.filter(pk=instance.pk, is_staff=False).update(is_staff=True)
        instance.is_staff = True


def lockout_response(request, original_response=None, credentials=None):
    """Render the desk's lockout page (django-axes' AXES_LOCKOUT_CALLABLE), status 429.

    Template: admin/locked_out.html; context: failure_limit, minutes.
    """
    from django.contrib.admin import site

    context = {
        **site.each_context(request),
        "title": "Sign-in locked",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return TemplateResponse(request, "admin/locked_out.html", context, status=429).render()
