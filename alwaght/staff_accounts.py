"""Desk accounts: joining a newsroom group makes them staff; the lockout page and
the page where Chief Editors and administrators lift sign-in locks."""

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from alwaght.roles import CHIEF_EDITORS, EDITORS
from alwaght.sign_in_locks import (
    ACCOUNT,
    ADDRESS,
    cool_off,
    current_locks,
    desk_accounts,
    lock_lift,
    locks_for,
    may_see_locks,
    may_unlock,
)
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

    It says which lock holds (this account from this address, or this address for
    every account), until when, and who can lift it sooner.
    Template: admin/locked_out.html; context: locks, address_locked, until, minutes.
    """
    from django.contrib.admin import site

    locks = locks_for(request, credentials)
    until = max((lock.until for lock in locks), default=timezone.now() + cool_off())
    context = {
        **site.each_context(request),
        "title": _("Sign-in locked"),
        "locks": locks,
        "address_locked": any(lock.is_address_lock for lock in locks),
        "until": until,
        "minutes": max(1, math.ceil((until - timezone.now()).total_seconds() / 60)),
    }
    return TemplateResponse(request, "admin/locked_out.html", context, status=429).render()


def sign_in_locks(request, admin_site):
    """List the sign-in locks the user may lift, and lift one (POST).

    URL name admin:sign_in_locks. Administrators see and lift every lock; Chief
    Editors the account locks of their desks' Editors (alwaght/sign_in_locks.py,
    may_unlock); anyone else is refused (403).
    Template: admin/sign_in_locks.html; context: locks, address_limit, account_limit.
    """
    user = request.user
    if not may_see_locks(user):
        raise PermissionDenied
    locks = current_locks()
    accounts = desk_accounts([user.get_username(), *(lock.username for lock in locks)])
    liftable = [lock for lock in locks if may_unlock(user, lock, accounts)]
    if request.method == "POST":
        wanted = (request.POST.get("username") or None, request.POST.get("ip_address", ""))
        chosen = [lock for lock in locks if (lock.username, lock.ip_address) == wanted]
        if not chosen:
            messages.info(request, _("That sign-in is no longer locked."))
        elif chosen[0] not in liftable:
            raise PermissionDenied
        else:
            lock_lift(lock=chosen[0], by=user)
            if chosen[0].is_address_lock:
                message = _("Sign-in from %(address)s is unlocked for every account.")
            else:
                message = _("%(username)s can sign in from %(address)s again.")
            messages.success(
                request, message % {"username": wanted[0], "address": chosen[0].ip_address}
            )
        return redirect("admin:sign_in_locks")
    context = {
        **admin_site.each_context(request),
        "title": _("Sign-in locks"),
        "locks": liftable,
        "account_limit": settings.LOGIN_LOCKS[ACCOUNT],
        "address_limit": settings.LOGIN_LOCKS[ADDRESS],
    }
    return TemplateResponse(request, "admin/sign_in_locks.html", context)
