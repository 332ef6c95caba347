"""Editing an article in the desk: soft edit locks and per-editor autosaves.

A lock says who has the form open; it is advisory (the save-time conflict check
is what protects text) and lives while the page's heartbeat keeps coming. An
autosave keeps one editor's unsaved form server-side, to be offered back when
the form is opened again; it is never a revision and never seen by readers.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Autosave, EditLock


def timings() -> dict[str, int]:
    """Return the page's heartbeat and autosave periods and when a lock goes stale.

    The page beats every `heartbeat` seconds; a lock unheard of for `stale`
    seconds (a closed laptop, a crashed tab) is free to take.
    """
    return {
        "heartbeat": settings.DESK_LOCK_HEARTBEAT_SECONDS,
        "stale": settings.DESK_LOCK_STALE_SECONDS,
        "autosave": settings.DESK_AUTOSAVE_SECONDS,
    }


# Form keys never kept: the CSRF token, and what the conflict check sets itself.
AUTOSAVE_SKIPPED = {"csrfmiddlewaretoken", "conflict_seen_at"}
AUTOSAVE_MAX_KEYS = 500


def new_token() -> str:
    return secrets.token_hex(16)


def _stale_before(now):
    """Return the moment before which a lock's last heartbeat makes it stale."""
    return now - timedelta(seconds=timings()["stale"])


def lock_take(*, article: Article, user, token: str, force: bool = False) -> EditLock:
    """Take or keep the article's lock for `user`; return the lock as it now stands.

    A lock held by someone else is kept unless it has gone stale or `force`
    (a Chief Editor's take-over) is set.
    """
    now = timezone.now()
    stale = _stale_before(now)
    with transaction.atomic():
        lock = EditLock.objects.select_for_update().filter(article=article).first()
        if lock is None:
            try:
                with transaction.atomic():
                    return EditLock.objects.create(
                        article=article, user=user, token=token, since=now, seen_at=now
                    )
            except IntegrityError:  # another page took it at the same moment
                return EditLock.objects.get(article=article)
        if lock.user_id == user.pk:
            lock.token, lock.seen_at = token, now
        elif force or lock.seen_at < stale:
            lock.user, lock.token, lock.since, lock.seen_at = user, token, now, now
        else:
            return lock
        lock.save()
        return lock


def lock_held_by_others(*, article_ids, users) -> EditLock | None:
    """Return a live lock on one of `article_ids` held by none of `users` (None: no one).

    A stale lock is held by no one: lock_take hands it to whoever asks.
    """
    live = EditLock.objects.filter(seen_at__gte=_stale_before(timezone.now()))
    return (
        live.filter(article_id__in=article_ids)
        .exclude(user_id__in=[user.pk for user in users if user is not None])
        .select_related("user")
        .order_by("article_id")
        .first()
    )


def lock_release(*, article: Article, user, token: str | None = None) -> None:
    """Release the user's lock (only the page's own, when a token is given)."""
    locks = EditLock.objects.filter(article=article, user=user)
    if token is not None:
        locks = locks.filter(token=token)
    locks.delete()


def autosave_store(*, user, article: Article | None, data: dict[str, list[str]]) -> Autosave:
    """Keep the user's unsaved form for this article (None: the new-article form)."""
    kept = {
        key: [str(value) for value in values]
        for key, values in list(data.items())[:AUTOSAVE_MAX_KEYS]
        if key not in AUTOSAVE_SKIPPED
    }
    autosave, _created = Autosave.objects.update_or_create(
        user=user, article=article, defaults={"data": kept}
    )
    return autosave


def autosave_for(*, user, article: Article | None) -> Autosave | None:
    """Return the user's autosave of this form, if any.

    Even one older than someone else's save is offered: it keeps the time the
    form was opened, so saving it meets the conflict check, which shows both.
    """
    return Autosave.objects.filter(user=user, article=article).first()


def autosave_discard(*, user, article: Article | None) -> None:
    Autosave.objects.filter(user=user, article=article).delete()


def restored_initial(form_class, data: dict[str, list[str]]) -> dict[str, object]:
    """Turn an autosave's raw form data into initial values for the form's fields."""
    from django.utils.datastructures import MultiValueDict

    raw = MultiValueDict(data)
    initial = {}
    for name, field in form_class.base_fields.items():
        if name == "conflict_seen_at":
            continue
        value = field.widget.value_from_datadict(raw, MultiValueDict(), name)
        if value is not None:
            initial[name] = value
    return initial
