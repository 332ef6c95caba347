"""The sections of the masthead's navigation, read from the cache.

Every page shows them and they change a few times a year, so one query per page
for them is waste. The list is kept as a rendered fragment is (web/fragments.py):
under the token of the `chrome` scope, which every change to a section bumps
(pagecache/invalidation.py). A reader who read the old list just before a rename
stores it under the old token, which nobody reads again (a list kept under a key
of its own and dropped on save could be put back by such a reader after the drop,
and serve the old menu until it expired).
"""

from articles.models import Section
from web.fragments import cached_fragment
from web.scopes import CHROME


def navigation_sections(language: str) -> list[Section]:
    """Return one edition's sections in navigation order (no query when cached)."""
    return cached_fragment(
        "navigation-sections",
        [language],
        [CHROME],
        lambda: list(Section.objects.in_language(language)),
    )


def navigation_choices(language: str) -> dict[str, tuple[int, str]]:
    """Return {slug: (id, name)} of one edition's sections in navigation order.

    What the search form offers, kept as the list is and, being a dict, also in
    each process's copy of the fragments (a list of model instances is read from
    the cache each time: a file opened and unpickled on every search).
    """
    return cached_fragment(
        "navigation-choices",
        [language],
        [CHROME],
        lambda: {
            section.slug: (section.pk, section.name) for section in navigation_sections(language)
        },
    )
