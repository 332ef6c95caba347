"""Editions: each language edition (en, ar, fa) is its own newsroom's content.

Every model readers reach by an edition's address (sections, topics, standing
pages, galleries, films, maps; articles carry theirs since the start) has an
`edition_field()`, and every reader query filters on it. Tags are shared by name:
a tag page lists only the edition's articles. Editor's Choice slots belong to their
article's edition.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class EditionField(models.CharField):
    """The edition a row is content of: readers of that edition are shown it.

    A plain CharField to the database and to migrations (`deconstruct`); the class
    only lets code find an edition's content by its field (publishing/sharing.py
    counts a library photo a topic or a standing page shows). Copies of another
    row's edition (the desk's list entries, takedowns) stay plain CharFields.
    """

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def edition_field(*, db_index: bool = True) -> EditionField:
    """Return the `language` field of an edition's content (existing rows: English).

    `db_index=False` where an index on (language, ...) already serves its lookups.
    """
    return EditionField(
        _("edition"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_index=db_index,
    )


def is_edition_content(model: type[models.Model]) -> bool:
    """Return whether each row of `model` is content of one edition (an `edition_field()`)."""
    return any(isinstance(field, EditionField) for field in model._meta.concrete_fields)


def counterpart_key_field() -> models.SlugField:
    """Return the key that makes a section or topic the counterpart of another edition's.

    The same key on, say, the Arabic and the Persian "Analysis" sections: the
    masthead's edition switcher leads from one to the other. Blank: no counterpart.
    """
    return models.SlugField(
        _("counterpart key"),
        max_length=60,
        blank=True,
        help_text=_(
            "Give the same key to this edition's and other editions' equivalents "
            "(e.g. analysis): the edition switcher leads from one to the other."
        ),
    )


def counterpart_key_unique(model_name: str) -> models.UniqueConstraint:
    """Return the constraint: one holder of a key per edition (blank keys aside)."""
    return models.UniqueConstraint(
        fields=["language", "counterpart_key"],
        condition=~models.Q(counterpart_key=""),
        name=f"{model_name}_counterpart_per_edition",
    )


def current_edition() -> str:
    """Return the active edition's code (the URL prefix), English outside a request."""
    language = get_language() or settings.LANGUAGE_CODE
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else language.split("-")[0]


# Defined on articles.Article, one per edition ("Can write in the Persian edition"),
# named here as strings so this bottom layer needs no import of articles.
EDITION_PERMISSION = "articles.edit_edition_{}"


def may_edit_edition(user, language: str | None) -> bool:
    """Return whether `user` may write in edition `language` (None is the system: yes).

    Editors are tied to their editions by these permissions, given per user or
    per group; superusers have them all.
    """
    if user is None or language is None:
        return True
    return bool(
        getattr(user, "is_active", False) and user.has_perm(EDITION_PERMISSION.format(language))
    )


def user_editions(user) -> list[str]:
    """Return the codes of the editions `user` may write in, in the site's order."""
    return [code for code, _name in settings.LANGUAGES if may_edit_edition(user, code)]
