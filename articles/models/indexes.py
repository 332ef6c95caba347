"""The index shapes the reader pages read: an edition's newest published articles,
and the words of an edition's articles."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q

# The most a search GIN index keeps in its pending list, in kB (PostgreSQL's least).
# A GIN index adds a saved row's words to a pending list that every search of the
# index reads in full, and merges the list into the index only when it outgrows
# gin_pending_list_limit (4 MB by default) or when (auto)vacuum or autoanalyze come
# by: at 300,000 articles autoanalyze waits for 30,000 changed rows, and 4 MB holds
# about 5,500 saves of the benchmark's articles. Half full (253 pages, 2,700 saves),
# it cost each search that reads the index 0.8-1.6 ms more (two words in 1 of 80:
# 4.6 ms against 3.4 with the list merged), where the benchmark, measuring after a
# vacuum, never saw it. At 64 kB no difference shows, and an update of 1,000
# articles' words took 260-288 ms against 182-197, merges included
# (docs/benchmarks.md, issue 24's thirteenth pass).
PENDING_LIST_KB = 64


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


def edition_words(name: str, condition: Q | None = None) -> list[GinIndex]:
    """Return a GIN index of the search vector, with the section beside it (btree_gin),
    for each edition in settings.LANGUAGES: `<name>_<code>`, of that edition's rows
    (and `condition`'s) only.

    A search is always of one edition (articles/search.py asks for it with the edition
    written into its SQL, so a generic plan can use the edition's index). Across
    editions one index read every edition's matches and then the rows of those, only
    to drop the other editions' by their row: numbers, years and names are words of
    every edition, and Arabic and Persian share much of their script's words. "029",
    in 1 of 100 articles of each edition at 300,000 articles, read 1,558 rows of the
    recent index to keep 517 (2.15 ms, 0.99 from the edition's own index). A new
    edition needs a migration for its indexes (`makemigrations --check` says so).
    Its pending list is kept short (PENDING_LIST_KB): searches read it whole.
    """
    return [
        GinIndex(
            fields=["search_vector", "section"],
            condition=Q(language=code) & (condition or Q()),
            gin_pending_list_limit=PENDING_LIST_KB,
            name=f"{name}_{code}",
        )
        for code, _name in settings.LANGUAGES
    ]
