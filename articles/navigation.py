"""The sections of the masthead's navigation, read from the cache.

Every page shows them and they change a few times a year, so one query per page
for them is waste: the list is cached and dropped whenever a section is saved or
deleted. With a per-process cache, other workers see a change within
NAVIGATION_CACHE_SECONDS; with a shared one (Redis), at once.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from articles.models import Section

CACHE_KEY = "articles:navigation-sections"
NAVIGATION_CACHE_SECONDS = 300


def navigation_sections(language: str) -> list[Section]:
    """Return one edition's sections in navigation order (no query when cached)."""
    key = f"{CACHE_KEY}:{language}"
    sections = cache.get(key)
    if sections is None:
        sections = list(Section.objects.in_language(language))
        cache.set(key, sections, NAVIGATION_CACHE_SECONDS)
    return sections


def _forget(sender, **kwargs):
    cache.delete_many([f"{CACHE_KEY}:{code}" for code, _name in settings.LANGUAGES])


def connect_signals() -> None:
    """Drop the cached list when a section changes."""
    post_save.connect(_forget, sender=Section, dispatch_uid="navigation.saved")
    post_delete.connect(_forget, sender=Section, dispatch_uid="navigation.deleted")
