"""Shared library items: a change readers would see belongs to the desks that show it.

A photo is one row for every edition: the lead picture of a live English story
may also be the poster of a Persian film. Changing what readers see of it (the
file, title, alt text, caption, credit, focal point) changes every live page that
shows it, at once and without review. So such a change is allowed only to someone
who may publish in each edition where published content (live or scheduled)
shows the item now; anyone else is told which editions, and asked to upload a new
photo and pick it instead, which on a live story goes through review. An item no
published content shows is as free to edit as a draft.

Which content shows an item is found, not declared, from the foreign keys and
many-to-many fields pointing at it:
- of a publishable model (articles, galleries, films, maps): its published rows'
  editions, since readers see those rows (live or scheduled, not expired);
- of an edition's other content, whose rows have an `edition_field()` (sections,
  In Focus topics, standing pages): each row's edition, since it is shown for as
  long as it exists (a topic's page shows its image, on the front page or not);
- of another shared item (an author's photo): wherever that one shows.
A photo inside a body is such a field too: the bodies record the photos they show
(media/photos_in_text.py). So this bottom layer names no model above it, and a new
model that picks photos is covered at once; tests/media/test_photo_uses.py fails
on a relation to a shared item that none of these counts.

Forms ask `shared_change_problem` for an error in words; a pre_save/pre_delete
guard refuses the same write on every other path (list editing, scripts run in a
request, restores), as publishing/visibility.py does for visibility.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Now
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _

from publishing.editions import is_edition_content
from publishing.models import Publishable
from publishing.visibility import acting_user, may_publish_in


class SharedChangeRefused(PermissionDenied):
    """A write would change what readers of another desk's published content see."""


@dataclass(frozen=True)
class Shared:
    fields: tuple[str, ...]  # attnames of what readers see of it


_shared: dict[type[models.Model], Shared] = {}


def share(model: type[models.Model], *, fields: list[str]) -> None:
    """Guard `fields` of `model`, an item any edition's content may show."""
    _shared[model] = Shared(tuple(model._meta.get_field(name).attname for name in fields))
    uid = f"sharing:{model._meta.label}"
    pre_save.connect(_guard_save, sender=model, weak=False, dispatch_uid=uid)
    pre_delete.connect(_guard_delete, sender=model, weak=False, dispatch_uid=uid)


@cache
def _uses(model: type[models.Model]) -> tuple[tuple[type[models.Model], str], ...]:
    """Return (model, lookup) for each field pointing at `model` from content that shows it."""
    found = []
    for owner in apps.get_models():
        if not (issubclass(owner, Publishable) or owner in _shared or is_edition_content(owner)):
            continue
        for field in owner._meta.get_fields():
            forward = field.is_relation and not field.auto_created
            if forward and (field.many_to_one or field.many_to_many):
                if field.related_model is model:
                    found.append((owner, field.name))
    return tuple(found)


def editions_showing(item: models.Model) -> set[str]:
    """Return the editions whose published content (live or scheduled) shows `item`."""
    editions = set()
    for owner, lookup in _uses(type(item)):
        rows = owner._default_manager.filter(**{lookup: item.pk})
        if issubclass(owner, Publishable):
            shown = rows.filter(status=Publishable.Status.PUBLISHED).exclude(
                unpublish_at__lte=Now()
            )
            editions.update(shown.values_list("language", flat=True).distinct())
        elif owner in _shared:  # another shared item shows this one wherever it shows
            for row in rows:
                editions |= editions_showing(row)
        else:  # an edition's content that is shown while it exists: a topic, a page
            editions.update(rows.values_list("language", flat=True).distinct())
    return editions


def edition_names(codes) -> str:
    names = dict(settings.LANGUAGES)
    return ", ".join(str(names.get(code, code)) for code in sorted(codes))


def shared_change_problem(item: models.Model, *, user=None, deleting: bool = False) -> str | None:
    """Return why `user` (default: the acting user) may not write `item` as it is now, or None."""
    rule = _shared.get(type(item))
    if rule is None or item.pk is None:
        return None
    user = user if user is not None else acting_user()
    if user is None:
        return None  # the system: migrations, the demo loader, management commands
    if not deleting:
        stored = type(item)._base_manager.filter(pk=item.pk).values(*rule.fields).first()
        if stored is None or all(stored[name] == _as_stored(item, name) for name in rule.fields):
            return None
    refused = editions_refused(item, user)
    if not refused:
        return None
    message = (
        _(
            "Published content in the %(editions)s edition shows this %(name)s: only a Chief "
            "Editor of that desk may delete it."
        )
        if deleting
        else _(
            "Published content in the %(editions)s edition shows this %(name)s: only a Chief "
            "Editor of that desk may change what readers see of it. Upload a new one and pick "
            "it instead."
        )
    )
    return message % {"editions": edition_names(refused), "name": type(item)._meta.verbose_name}


def editions_refused(item: models.Model, user) -> set[str]:
    """Return the editions showing `item` in which `user` may not change what readers see."""
    return {code for code in editions_showing(item) if not may_publish_in(user, code)}


def _as_stored(item, attname):
    value = getattr(item, attname)
    return value.name if isinstance(value, FieldFile) else value  # the row holds a file's name


def _guard_save(sender, instance, raw=False, **kwargs):
    problem = shared_change_problem(instance)
    if problem:
        raise SharedChangeRefused(problem)


def _guard_delete(sender, instance, **kwargs):
    problem = shared_change_problem(instance, deleting=True)
    if problem:
        raise SharedChangeRefused(problem)


class SharedCheckedFormMixin:
    """A ModelForm that says, before saving, when its user may not make this change."""

    def _post_clean(self):
        super()._post_clean()
        problem = shared_change_problem(self.instance)
        if problem:
            self.add_error(None, problem)
