"""Sign-in locks that stop the guesser, not the office.

django-axes counts wrong passwords. Two locks are kept, each stated once in
settings.LOGIN_LOCKS (what identifies the guesser, how many failures within the
cool-off lock it):

* one account from one address (5): the person mistyping, or someone guessing
  that account's password from there. A colleague behind the same address (a
  newsroom behind one NAT) signs in as usual.
* one address, every account (50): a sweep across many accounts from one place.
  High enough that a newsroom's ordinary typos never reach it.

Axes compares one number with one limit (AXES_FAILURE_LIMIT); NewsroomAxesHandler
answers from both locks instead. The lockout page (alwaght/staff_accounts.py)
says which lock holds, until when and who can lift it; who may lift which is
`may_unlock()`: administrators any lock, Chief Editors the account locks of
Editors who share one of their desks; nobody else.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Sum
from django.utils import timezone

from alwaght.roles import CHIEF_EDITORS, EDITORS
from publishing.editions import EDITION_PERMISSION
from publishing.visibility import may_publish

logger = logging.getLogger(__name__)

ACCOUNT = ("username", "ip_address")
ADDRESS = ("ip_address",)


@dataclass(frozen=True)
class Lock:
    """Sign-in refused for `username` (None: every account) from `ip_address`."""

    username: str | None
    ip_address: str
    failures: int
    until: datetime

    @property
    def is_address_lock(self) -> bool:
        return self.username is None


def cool_off() -> timedelta:
    return get_cool_off()


def account_failure_limit(request=None, credentials=None) -> int:
    """Return the account lock's limit (axes' AXES_FAILURE_LIMIT reads it here)."""
    return settings.LOGIN_LOCKS[ACCOUNT]


def _lock(parameters, row) -> Lock:
    return Lock(
        username=row["username"] if parameters == ACCOUNT else None,
        ip_address=row["ip_address"],
        failures=row["failures"],
        until=row["last"] + cool_off(),
    )


def current_locks(*, now: datetime | None = None, **identity) -> list[Lock]:
    """Return the locks in force, those of `identity` (username=, ip_address=) if given.

    One query per kind of lock (settings.LOGIN_LOCKS), whatever their number.
    """
    since = (now or timezone.now()) - cool_off()
    locks = []
    for parameters, limit in settings.LOGIN_LOCKS.items():
        matching = {name: identity[name] for name in parameters if name in identity}
        rows = (
            AccessAttempt.objects.filter(attempt_time__gte=since, **matching)
            .values(*parameters)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
            .order_by("-last")
        )
        locks += [_lock(parameters, {"username": None, **row}) for row in rows]
    return locks


def locks_for(request, credentials=None) -> list[Lock]:
    """Return the locks that refuse this sign-in attempt."""
    return current_locks(
        now=getattr(request, "axes_attempt_time", None),
        username=get_client_username(request, credentials),
        ip_address=request.axes_ip_address,
    )


class NewsroomAxesHandler(AxesDatabaseHandler):
    """Axes' database handler, locking by settings.LOGIN_LOCKS (see module docstring)."""

    def is_locked(self, request, credentials=None) -> bool:
        return bool(locks_for(request, credentials))

    def get_failures(self, request, credentials=None) -> int:
        # Axes locks the attempt when this reaches the account lock's limit: answer
        # the account's own count, or that limit once any lock holds (axes' own
        # answer, the largest count of any kind, would lock an account for the
        # address's count).
        if locks_for(request, credentials):
            return account_failure_limit()
        since = request.axes_attempt_time - cool_off()
        return (
            AccessAttempt.objects.filter(
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
                attempt_time__gte=since,
            ).aggregate(failures=Sum("failures_since_start"))["failures"]
            or 0
        )


# --- Who may lift which lock --------------------------------------------------------


def may_see_locks(user) -> bool:
    """Return whether `user` may open the sign-in locks page (admin:sign_in_locks).

    Administrators and those who publish (Chief Editors), as the desk's link shows.
    """
    return bool(user.is_active and user.is_staff and may_publish(user))


def may_unlock(user, lock: Lock, accounts: dict | None = None) -> bool:
    """Return whether `user` may lift `lock`.

    Administrators: every lock. Chief Editors (those who publish): the account
    lock of an Editor (not a Chief Editor, not an administrator) who shares one of
    their desks. Address
    locks lock a whole office and usually mean a sweep: administrators only.
    `accounts` is `desk_accounts()`'s answer for the user and the lock's account,
    to judge many locks in fixed queries.
    """
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    if lock.is_address_lock:
        return False
    if accounts is None:
        accounts = desk_accounts([user.get_username(), lock.username])
    actor, target = accounts.get(user.get_username()), accounts.get(lock.username)
    if actor is None or target is None or not may_publish(user):
        return False
    if target.is_superuser or CHIEF_EDITORS in target.groups or EDITORS not in target.groups:
        return False
    return bool(actor.editions & target.editions)


@dataclass
class DeskAccount:
    is_superuser: bool
    groups: set[str] = field(default_factory=set)
    editions: set[str] = field(default_factory=set)  # its desks' edition codes


def desk_accounts(usernames) -> dict[str, DeskAccount]:
    """Return the active accounts named, with their groups and desks, in four queries.

    A desk is an edition permission (publishing/editions.py), given to the account or to
    one of its groups; superusers' desks are not listed (they need none).
    """
    user_model = get_user_model()
    users = {
        pk: (username, DeskAccount(is_superuser=superuser))
        for pk, username, superuser in user_model.objects.filter(
            username__in={name for name in usernames if name}, is_active=True
        ).values_list("pk", "username", "is_superuser")
    }
    app_label, _, codename = EDITION_PERMISSION.format("").partition(".")
    memberships = user_model.groups.through.objects.filter(user_id__in=users)
    for user_id, group in memberships.values_list("user_id", "group__name"):
        users[user_id][1].groups.add(group)
    by_group = memberships.filter(
        group__permissions__content_type__app_label=app_label,
        group__permissions__codename__startswith=codename,
    ).values_list("user_id", "group__permissions__codename")
    by_account = user_model.user_permissions.through.objects.filter(
        user_id__in=users,
        permission__content_type__app_label=app_label,
        permission__codename__startswith=codename,
    ).values_list("user_id", "permission__codename")
    for user_id, permission in [*by_group, *by_account]:
        users[user_id][1].editions.add(permission.removeprefix(codename))
    return dict(users.values())


def lock_lift(*, lock: Lock, by) -> int:
    """Lift `lock`: forget the failures it counts. Return how many records went."""
    attempts = AccessAttempt.objects.filter(ip_address=lock.ip_address)
    if not lock.is_address_lock:
        attempts = attempts.filter(username=lock.username)
    count, _ = attempts.delete()
    logger.warning(
        "Sign-in lock lifted by %s: %s from %s (%d failures)",
        by.get_username(),
        lock.username or "every account",
        lock.ip_address,
        lock.failures,
    )
    return count
