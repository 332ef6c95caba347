"""The index shape every "newest published articles of an edition" list reads."""

from django.db import models
from django.db.models import Q


def newest_published(*filed_under: str, name: str, key: str = "id") -> models.Index:
    """Return the index of an edition's published articles, newest first, within
    `filed_under` (a section, an author, a tag...), `key` breaking ties.

    Only published rows are in it, and unpublish_at is carried in it: the rest of
    `published()` (publish_at, unpublish_at against the clock) and counts are
    answered from the index, without visiting the table.
    """
    return models.Index(
        fields=[*filed_under, "language", "-publish_at", f"-{key}"],
        include=["unpublish_at"],
        condition=Q(status="published"),
        name=name,
    )
