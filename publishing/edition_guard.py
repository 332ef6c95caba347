"""Every write of an edition's content: by its desk, and linking only within its edition.

publishing/visibility.py guards the models with a publishing state (and topics and
Editor's Choice), and checked the writer's edition there only. Sections and
standing pages had no such guard: a Persian desk's editor who posted the section
form without its edition field made an English section (the field's default), and
a Persian Chief Editor wrote the English edition's standing pages. Nor did
anything check what a row links to: a story filed under another edition's section
and topics, or given another desk's draft as Related Content, led readers into
that edition, and a section in use by another desk's story could not be deleted
by its own (the story's key protects it).

So, for every model with an edition (an `edition_field()`, publishing/editions.py),
found rather than declared, as publishing/sharing.py finds the library's uses:
- writing or deleting a row needs the right to write in its edition, as stored
  and as saved;
- each foreign key and many-to-many to another such model points into the row's
  own edition, and a row with no edition that links two (Related Content) links
  within one. Counterparts link editions on purpose: their group has no edition.

Forms ask `edition_link_problems` for errors on their fields; the pre_save,
pre_delete and m2m_changed guards refuse the same writes on every other path.
"""

from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.utils.translation import gettext as _

from publishing.editions import is_edition_content
from publishing.visibility import acting_user, require_edition_right


class EditionLinkRefused(PermissionDenied):
    """A row would link to another edition's content."""


@cache
def edition_models() -> frozenset[type[models.Model]]:
    return frozenset(model for model in apps.get_models() if is_edition_content(model))


@cache
def _keys(model: type[models.Model]) -> tuple[models.ForeignKey, ...]:
    """Return the foreign keys of `model` to an edition's content."""
    return tuple(
        field
        for field in model._meta.concrete_fields
        if field.many_to_one and field.related_model in edition_models()
    )


@cache
def _many(model: type[models.Model]) -> tuple[models.ManyToManyField, ...]:
    """Return the many-to-many fields of an edition's `model` to an edition's content."""
    if model not in edition_models():
        return ()
    return tuple(
        field for field in model._meta.many_to_many if field.related_model in edition_models()
    )


def _editions(model: type[models.Model], pks) -> set[str]:
    return set(
        model._base_manager.filter(pk__in=list(pks)).values_list("language", flat=True).distinct()
    )


def _key_edition(instance: models.Model, field: models.ForeignKey) -> str | None:
    """Return the edition of the row `instance`'s key `field` points at (None: no row).

    A row given rather than its id is read from the instance (no query), even one not
    saved yet: an inline row's article, checked before the article's first save.
    """
    pk = getattr(instance, field.attname)
    if field.is_cached(instance):
        row = field.get_cached_value(instance)
        if row is not None and row.pk == pk:
            return row.language
    if pk is None:
        return None
    found = _editions(field.related_model, [pk])
    return found.pop() if found else None


def edition_link_problems(instance: models.Model, chosen=None) -> dict[str, str]:
    """Return {field name: message} for each link of `instance` out of its edition.

    `chosen` maps a many-to-many field's name to the rows (or ids) about to be set.
    A row with no edition of its own is in the edition its first link points into.
    A row moving to another edition is also refused while others link to it.
    """
    model = type(instance)
    moving = _linked_from_elsewhere(instance)
    if moving:
        return {"language": moving}
    edition = instance.language if model in edition_models() else None
    pointed = [(field, _key_edition(instance, field)) for field in _keys(model)]
    if edition is None:
        if len(pointed) < 2:
            return {}
        edition = pointed[0][1]
        if edition is None:  # its first row is not there (yet: a restore brings it first)
            return {}
        pointed = pointed[1:]
    problems = {}
    for field, found in pointed:
        if found is not None and found != edition:
            problems[field.name] = _outside_message(field.related_model, edition)
    for name, rows in (chosen or {}).items():
        field = model._meta.get_field(name)
        pks = [getattr(row, "pk", row) for row in rows]
        if pks and _editions(field.related_model, pks) - {edition}:
            problems[name] = _outside_message(field.related_model, edition)
    return problems


def stored_link_problems(instance: models.Model) -> dict[str, str]:
    """Return {linked model's name: message} for the links `instance` holds as stored out
    of its edition: its many-to-many rows (a story's topics, also in the copies kept of
    them) and the rows it owns linking onward (its Related Content picks). For a write
    that moved it without its form, which sets those beside it: a held change put live,
    which writes only what the change holds."""
    model, edition = type(instance), instance.language
    problems = {}
    for field in _many(model):
        if getattr(instance, field.name).exclude(language=edition).exists():
            problems[field.related_model._meta.model_name] = _outside_message(
                field.related_model, edition
            )
    for other in set(apps.get_models()) - edition_models():
        if len(_keys(other)) < 2 or _keys(other)[0].related_model is not model:
            continue
        owner, *keys = _keys(other)
        for field in keys:
            onward = other._base_manager.filter(**{owner.name: instance.pk})
            if onward.exclude(**{f"{field.name}__language": edition}).exists():
                linked = field.related_model
                problems[linked._meta.model_name] = _outside_message(linked, edition)
    return problems


# Keys whose rows take the edition of the row they point at when it moves (an Editor's
# Choice slot follows its story, articles/editors_choice.py), so they never hold it back.
_following: set[models.ForeignKey] = set()


def follows(model: type[models.Model], key: str) -> None:
    """Declare that `model`'s rows move with the row their `key` points at."""
    _following.add(model._meta.get_field(key))


@cache
def _links_into(model: type[models.Model]) -> tuple[tuple[type, str, str], ...]:
    """Return (linking model, lookup to `model`, lookup to the linking row's edition)
    for each link other content holds to `model`: a section's stories, a topic's, the
    stories that picked a story as Related Content (a linking row's own first link,
    the story whose picks they are, is that story's to change, not a link into it)."""
    found = []
    for other in edition_models():
        for field in _keys(other) + _many(other):
            if field.related_model is model and field not in _following:
                found.append((other, field.name, "language"))
    for other in set(apps.get_models()) - edition_models():
        if len(_keys(other)) < 2:
            continue  # not a row linking two (a comment is its story's)
        owner, *keys = _keys(other)
        for field in keys:
            if field.related_model is model:
                found.append((other, field.name, f"{owner.name}__language"))
    return tuple(found)


def _linked_from_elsewhere(instance: models.Model) -> str | None:
    """Return why `instance` may not move to another edition now, or None.

    Readers of the edition it leaves would be led into the other by the content
    that links to it (a story under a section gone Persian); that content is
    moved or unlinked first. One query for the edition stored, more only on a move.
    """
    model = type(instance)
    if model not in edition_models() or instance._state.adding:
        return None
    stored = _editions(model, [instance.pk])
    if not stored or stored == {instance.language}:
        return None
    for other, lookup, edition in _links_into(model):
        linking = other._base_manager.filter(**{lookup: instance.pk}).exclude(
            **{edition: instance.language}
        )
        if linking.exists():
            return _(
                "Content of the %(edition)s edition links to this %(name)s (%(things)s): "
                "move or unlink it first."
            ) % {
                "edition": _edition_name(stored.pop()),
                "name": model._meta.verbose_name,
                "things": other._meta.verbose_name_plural,
            }
    return None


def _edition_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


def _outside_message(model: type[models.Model], edition: str) -> str:
    return _("Only the %(edition)s edition's %(things)s can be chosen here.") % {
        "edition": _edition_name(edition),
        "things": model._meta.verbose_name_plural,
    }


# --- The guards -----------------------------------------------------------------------


def _guard_save(sender, instance, raw=False, update_fields=None, **kwargs):
    user = acting_user()
    if user is not None and sender in edition_models():
        require_edition_right(user, instance)
    if update_fields is not None and not _writes_links(sender, update_fields):
        return  # a slot's position, a status: no link is written, and none is read
    problems = edition_link_problems(instance)
    if problems:
        raise EditionLinkRefused(" ".join(problems.values()))


def _writes_links(model: type[models.Model], update_fields) -> bool:
    """Return whether a save of only `update_fields` writes an edition or a link."""
    written = set(update_fields)
    return "language" in written or any(
        {field.name, field.attname} & written for field in _keys(model)
    )


def _guard_delete(sender, instance, **kwargs):
    user = acting_user()
    if user is not None:
        require_edition_right(user, instance)


def _guard_many(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if type(instance) not in edition_models() or model not in edition_models():
        return
    if _editions(model, pk_set) - {instance.language}:
        raise EditionLinkRefused(_outside_message(model, instance.language))


def guard_editions() -> None:
    """Connect the guards to every edition's model and every model linking them (apps.py)."""
    for model in apps.get_models():
        uid = f"edition_guard:{model._meta.label}"
        # A row with no edition and one link (a comment) is simply in that row's edition.
        if model in edition_models() or len(_keys(model)) >= 2:
            pre_save.connect(_guard_save, sender=model, weak=False, dispatch_uid=uid)
        if model in edition_models():
            pre_delete.connect(_guard_delete, sender=model, weak=False, dispatch_uid=uid)
        for field in _many(model):
            m2m_changed.connect(
                _guard_many, sender=field.remote_field.through, weak=False, dispatch_uid=uid
            )


# --- Forms ----------------------------------------------------------------------------


class EditionLinksCheckedFormMixin:
    """A ModelForm that says, on the field, when a pick is of another edition."""

    def _post_clean(self):
        super()._post_clean()
        chosen = {
            field.name: self.cleaned_data[field.name]
            for field in _many(type(self.instance))
            if self.cleaned_data.get(field.name) is not None
        }
        for name, message in edition_link_problems(self.instance, chosen).items():
            self.add_error(name if name in self.fields else None, message)
