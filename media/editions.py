"""Editions: each language edition (en, ar, fa) is its own newsroom's content.

Every model readers reach by an edition's address (sections, topics, galleries,
films, maps; articles carry theirs since the start) has an `edition_field()`,
and every reader query filters on it. Tags are shared by name: a tag page lists
only the edition's articles. Editor's Choice slots belong to their article's edition.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def edition_field() -> models.CharField:
    """Return the `language` field of an edition's content (existing rows: English)."""
    return models.CharField(
        _("edition"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_index=True,
    )


def current_edition() -> str:
    """Return the active edition's code (the URL prefix), English outside a request."""
    language = get_language() or settings.LANGUAGE_CODE
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else language.split("-")[0]
