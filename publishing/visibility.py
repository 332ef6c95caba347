"""Who may change what readers see: one rule, asked by forms and enforced on every write.

Only users with the publish permission (Chief Editors, superusers) may change a
row's visibility: publish, unpublish, reschedule, create a row already visible,
delete a visible row, or change what the front page promotes. Everyone else may
write drafts.

Each model says which of its fields are visibility (`watch`). Forms call
`visibility_change_problem` for a friendly field error; a `pre_save`/`pre_delete`
guard refuses the same change on the write path, comparing with the row as
stored in the database, so paths that skip forms (django-reversion's raw
restores and recovers, actions, shell code run inside a request) cannot pass.

The acting user is the request's user (set by `ActingUserMiddleware`) or the
one a service names with `acting_as`. Code with no acting user (management
commands, the demo loader, migrations) is the system, and is allowed.
`QuerySet.update()` and `bulk_create()` send no signals: never use them on
watched fields from code a user drives.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from publishing.editions import may_edit_edition
from web.text import clean_text

# Defined on articles.Article (the oldest publishable model), named here as a string
# so that this bottom layer needs no import of articles.
PUBLISH_PERMISSION = "articles.can_publish"

_NOBODY = object()
_acting: ContextVar[Callable[[], object] | None] = ContextVar("acting_user", default=None)
_restoring: ContextVar[dict | None] = ContextVar("restoring", default=None)


class VisibilityChangeRefused(PermissionDenied):
    """A write would change what readers see, by a user without the right to."""


@dataclass(frozen=True)
class Watch:
    fields: tuple[str, ...]  # attnames; the first is the state (status, in_focus, ...)
    names: dict[str, str]  # attname -> form field name
    visible: Callable[[dict], bool]  # given field values: is it (or will it be) shown?
    message: str | None = None  # one message for every refusal, instead of the generic ones
    # Fields whose change to a visible row waits for review (forms hold such edits;
    # the write guard refuses them from anyone who may not publish).
    reviewed: tuple[str, ...] = ()
    # False where no held change can carry them (galleries, films, maps): refused in
    # words on every path, with no review to submit to.
    held: bool = True


# A live library item (publishing/desk_rules.py `chief_when_live`), changed by someone
# who may not publish it: said when the form opens, on a refused save, and by the guard.
LIVE_ITEM = gettext_lazy(
    "Readers see this %(thing)s now: only a Chief Editor of its desk changes it."
)
LIVE_ITEM_REFUSED = gettext_lazy(
    "Readers see this %(thing)s now: only a Chief Editor of its desk changes it. Nothing was "
    "saved; what you typed is still below for a Chief Editor to make."
)


def live_item_message(model: type[models.Model], *, refused_form: bool = False) -> str:
    """Return why a change to a live `model` row is refused (the form's words, or the guard's)."""
    message = LIVE_ITEM_REFUSED if refused_form else LIVE_ITEM
    return message % {"thing": model._meta.verbose_name}


_watched: dict[type[models.Model], Watch] = {}


def watch(
    model: type[models.Model],
    *,
    fields: list[str],
    visible: Callable[[dict], bool],
    message: str | None = None,
    reviewed: list[str] | tuple[str, ...] = (),
    held: bool = True,
) -> None:
    """Guard `fields` of `model`: only publishers may change them while `visible` holds.

    `reviewed` fields of a visible row, too, are changed only by publishers; `held`
    says whether the desk holds such a change for review or only refuses it.
    """
    names = {model._meta.get_field(name).attname: name for name in fields}
    reviewed_names = tuple(model._meta.get_field(name).attname for name in reviewed)
    _watched[model] = Watch(tuple(names), names, visible, message, reviewed_names, held)
    uid = f"publishing:{model._meta.label}"
    pre_save.connect(_guard_save, sender=model, weak=False, dispatch_uid=uid)
    pre_delete.connect(_guard_delete, sender=model, weak=False, dispatch_uid=uid)


def watched_fields(model: type[models.Model]) -> tuple[str, ...]:
    return _watched[model].fields


# --- The acting user ------------------------------------------------------------------


class ActingUserMiddleware:
    """Make the request's user the acting user of every write during the request.

    The user is looked up only when a watched row is written, so reader pages
    pay no query for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _acting.set(lambda: getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _acting.reset(token)


@contextmanager
def acting_as(user) -> Iterator[None]:
    """Make `user` the acting user of writes inside the block (for services)."""
    token = _acting.set(lambda: user)
    try:
        yield
    finally:
        _acting.reset(token)


def acting_user():
    """Return the acting user, or None for the system."""
    get = _acting.get()
    return get() if get else None


def may_publish(user, obj: models.Model | None = None) -> bool:
    """Return whether `user` may change what readers see (None is the system: yes).

    With `obj`, also in its edition: a Chief Editor of the Persian desk publishes
    in Persian only (publishing/editions.py).
    """
    if user is None:
        return True
    if not (getattr(user, "is_active", False) and user.has_perm(PUBLISH_PERMISSION)):
        return False
    return obj is None or all(may_edit_edition(user, code) for code in _editions_of(obj))


def may_publish_in(user, edition: str) -> bool:
    """Return whether `user` may change what readers of `edition` see (None is the system)."""
    return may_publish(user) and may_edit_edition(user, edition)


def _editions_of(obj: models.Model) -> set:
    """Return the edition `obj` is in, and the one it is stored in if it is moving."""
    language = getattr(obj, "language", None)
    editions = {language}
    model = type(obj)
    if obj.pk is not None and any(f.name == "language" for f in model._meta.concrete_fields):
        stored = model._base_manager.filter(pk=obj.pk).values_list("language", flat=True).first()
        editions.add(stored)
    return editions - {None}


# --- The rule -------------------------------------------------------------------------


def stored_values(model: type[models.Model], pk, using: str = "default") -> dict | None:
    """Return the watched fields of the row as stored (before a restore, see `restoring`)."""
    if pk is None:
        return None
    remembered, _keep = _remembered(model, pk)
    if remembered is not None:
        return remembered
    return (
        model._base_manager.using(using)
        .filter(pk=pk)
        .values(*_watched[model].fields, *_watched[model].reviewed)
        .first()
    )


def _values(obj: models.Model, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def visibility_change_problem(
    obj: models.Model, *, user=_NOBODY, deleting: bool = False, using: str = "default"
) -> tuple[str | None, str] | None:
    """Return (field, message) if `user` may not write `obj` as it is now, else None.

    `user` defaults to the acting user. The comparison is with the stored row,
    never with the in-memory instance (which a restore has already changed).
    """
    model = type(obj)
    rule = _watched.get(model)
    if rule is None:
        return None
    user = acting_user() if user is _NOBODY else user
    if may_publish(user, obj):
        return None
    stored = stored_values(model, obj.pk, using) if obj.pk is not None else None
    problem = _problem(rule, model, stored, _values(obj, rule.fields), deleting)
    if problem and may_publish(user):
        # A publisher, but of other editions.
        problem = (problem[0], _("You publish only in the editions of your desks."))
    return (rule.names.get(problem[0]), problem[1]) if problem else None


def _problem(rule, model, stored, new, deleting):
    name = model._meta.verbose_name
    state = rule.fields[0]
    if deleting:
        if stored and rule.visible(stored):
            return None, rule.message or _("Only Chief Editors can delete a published %s.") % name
        return None
    if stored is None:
        if rule.visible(new):
            return state, rule.message or _("Only Chief Editors can publish %s.") % (
                model._meta.verbose_name_plural
            )
        return None
    changed = [field for field in rule.fields if stored[field] != new[field]]
    if not changed or not (rule.visible(stored) or rule.visible(new)):
        return None
    if rule.message:
        return changed[0], rule.message
    if state in changed:
        return state, _("Only Chief Editors can publish or unpublish %s.") % (
            model._meta.verbose_name_plural
        )
    return changed[0], _("Only Chief Editors can reschedule a published %s.") % name


def require_publish_right(user) -> None:
    """Refuse (PermissionDenied) unless `user` may change what readers see."""
    if not may_publish(user):
        raise VisibilityChangeRefused(_("Only Chief Editors can change what readers see."))


def require_edition_right(user, obj: models.Model) -> None:
    """Refuse (PermissionDenied) unless `user` may write in `obj`'s edition."""
    if not all(may_edit_edition(user, code) for code in _editions_of(obj)):
        raise VisibilityChangeRefused(_("You do not write for this edition."))


# --- Restores ------------------------------------------------------------------------


@contextmanager
def restoring(model: type[models.Model], pk, *, keep: bool) -> Iterator[dict | None]:
    """Inside the block, this row counts as stored as it was before the restore.

    django-reversion writes an old version into the row before the form is even
    checked; every comparison inside the block is with the row as it was. With
    `keep` (for someone who may not publish), raw writes of the row also keep that
    visibility: the text comes back, the status and schedule stay as they are.
    Yields the remembered values (None if there is no row).
    """
    values = stored_values(model, pk)
    token = _restoring.set({(model, str(pk)): (values, keep)} if values else {})
    try:
        yield values
    finally:
        _restoring.reset(token)


def _remembered(model, pk):
    return (_restoring.get() or {}).get((model, str(pk)), (None, False))


def apply_kept_visibility(obj: models.Model) -> None:
    """Give `obj` the visibility kept by `restoring(..., keep=True)`, if any."""
    values, keep = _remembered(type(obj), obj.pk)
    for name in _watched[type(obj)].fields if values and keep else ():
        setattr(obj, name, values[name])


# --- The guard ------------------------------------------------------------------------


def _guard_save(sender, instance, raw=False, using="default", **kwargs):
    if raw:
        apply_kept_visibility(instance)
    # The writer's edition was checked before (publishing/edition_guard.py).
    problem = visibility_change_problem(instance, using=using)
    if problem:
        raise VisibilityChangeRefused(problem[1])
    # A restore by someone who may not publish writes the old text into a live row
    # only inside the admin's transaction, which is undone when the edit is held
    # (articles/admin/review.py); every other write of a reviewed field is refused.
    restoring_kept = raw and _remembered(sender, instance.pk)[1]
    if not restoring_kept and _changes_reviewed_fields(instance, using):
        if not _watched[sender].held:
            raise VisibilityChangeRefused(live_item_message(sender))
        raise VisibilityChangeRefused(
            _("Only Chief Editors change a published %s: submit the change for review.")
            % sender._meta.verbose_name
        )


def _changes_reviewed_fields(instance, using) -> bool:
    rule = _watched[type(instance)]
    if not rule.reviewed or instance.pk is None or may_publish(acting_user()):
        return False
    stored = stored_values(type(instance), instance.pk, using)
    return bool(
        stored
        and rule.visible(stored)
        and any(stored[name] != _as_stored(getattr(instance, name)) for name in rule.reviewed)
    )


def _as_stored(value):
    # A form's text still has the browser's CRLFs, which saving makes LFs (web/text.py).
    return clean_text(value) if isinstance(value, str) else value


def _guard_delete(sender, instance, using="default", **kwargs):
    problem = visibility_change_problem(instance, deleting=True, using=using)
    if problem:
        raise VisibilityChangeRefused(problem[1])


# --- Forms ----------------------------------------------------------------------------


class VisibilityCheckedFormMixin:
    """A ModelForm that says, on the field, when its user may not make this change.

    Works for change forms and list_editable rows alike: the check runs on the
    instance as the form would save it.
    """

    def _post_clean(self):
        super()._post_clean()
        rule = _watched.get(type(self.instance))
        for attname, name in rule.names.items() if rule else ():
            if name in self.fields and name not in self.changed_data and name in self.initial:
                # Untouched: keep the stored value (the form's widgets drop microseconds).
                setattr(self.instance, attname, self.initial[name])
        problem = visibility_change_problem(self.instance)
        if problem:
            field, message = problem
            self.add_error(field if field in self.fields else None, message)
        elif not self.holds_reviewed_fields and _changes_reviewed_fields(self.instance, "default"):
            model = type(self.instance)
            self.add_error(
                None,
                _("Only Chief Editors change this on a published %s.") % model._meta.verbose_name
                if _watched[model].held
                else live_item_message(model, refused_form=True),
            )

    # A form that holds changes of a live row's reviewed fields for review (the
    # article form) says True; any other form is told the change is not theirs.
    holds_reviewed_fields = False


class VisibilityCheckedForm(VisibilityCheckedFormMixin, forms.ModelForm):
    """The default form for admins of watched models."""


class VisibilityCheckedAdminMixin:
    """For a ModelAdmin: the change form and the list_editable rows both check."""

    form = VisibilityCheckedForm

    def get_changelist_form(self, request, **kwargs):
        # Django builds list rows from a plain ModelForm unless told otherwise.
        kwargs.setdefault("form", VisibilityCheckedForm)
        return super().get_changelist_form(request, **kwargs)
