"""Which reader addresses the page cache serves, and what each one shows.

An address is cached only if it matches a kind below (an allow-list: a new view
is uncached until it is listed here). Each kind names the scopes whose changes
make its pages stale (see pagecache/versions.py) and its Cache-Control profile.

Query strings: only KEYED_PARAMS select content (feeds: none, NO_PARAMS), and only
they are part of the key. Every other parameter (tracking tags such as utm_* and
fbclid, or ``?x=1``, ``?x=2``... sent to turn cached traffic into renders) selects
nothing: the page is served from the entry of the address without it, and on a
miss the view is handed the request without it too, so what is stored is exactly
what the canonical address renders (nothing a stranger typed can be echoed into a
page others are served). Only the parameters in `bypasses()` pass the cache by: the
reader's own thank-you (``?comment=sent``, web/readers.py) and, on a benchmark
server only, ``?bench=cold``. A view that starts reading a new parameter must add
it to KEYED_PARAMS (or it never sees it with the cache on).
"""

import re
from dataclasses import dataclass

from django.conf import settings

from web.readers import JUST_WROTE
from web.scopes import MEDIA, TOPICS, comments_scope, edition_scope, every_edition, slug_scope


@dataclass(frozen=True, slots=True)
class Profile:
    """Cache-Control figures for one kind of page, in seconds."""

    max_age: int  # browsers
    s_maxage: int  # shared caches (CDN, proxy)
    stale_while_revalidate: int


LISTING = Profile(max_age=30, s_maxage=60, stale_while_revalidate=60)
ARTICLE = Profile(max_age=60, s_maxage=120, stale_while_revalidate=120)
FEED = Profile(max_age=300, s_maxage=300, stale_while_revalidate=300)
SITEMAP = Profile(max_age=900, s_maxage=900, stale_while_revalidate=900)
NOT_FOUND = Profile(max_age=30, s_maxage=60, stale_while_revalidate=0)
# Answers kept under the NOT_FOUND profile: an address with nothing (404) and a story
# the desk took down or deleted (410). Either may have a page in a moment: the tag is
# created, the story put back.
NOT_FOUND_STATUSES = frozenset({404, 410})

# Scope names (web/scopes.py). An edition's scope "ed:{lang}" covers its articles
# and everything listing them; "comments:{pk}" what the article page adds; "own"
# the section, tag, topic or author a page is of ("tag:{slug}"...), which creating,
# renaming or deleting it touches (pagecache/invalidation.py): a 404 kept at its
# address before it existed, or its page after it is gone, is stale at once.
EDITION = "ed"
EVERY_EDITION = "ed:*"
COMMENTS = "comments"
OWN = "own"

KEYED_PARAMS = frozenset({"page", "before", "after", "p", "play"})  # pages, keyset, sitemaps, films
# Feeds are the newest articles whatever is asked: with the lists' parameters keyed,
# ?page=2, ?page=3... each rendered and stored the same feed, without bound.
NO_PARAMS: frozenset[str] = frozenset()
# `make bench` measures renders through addresses carrying this (scripts/bench.py);
# it bypasses the cache only where ALWAGHT_BENCH_VIEWS=1, never on a public site.
BENCH_COLD = ("bench", "cold")

_SLUG = r"[-\w]+"
_OWN_SLUG = r"(?P<slug>[-\w]+)"
_FEED = r"feed/(?:atom/)?"

# (pattern after the /<edition>/ prefix, scopes, profile[, the parameters that select])
_EDITION_PAGES = [
    (r"", (EDITION, MEDIA, TOPICS), LISTING),  # front page
    (r"news/", (EDITION,), LISTING),
    # The article page carries the site-wide side blocks (galleries, films, map).
    (rf"news/(?P<pk>[0-9]+)/(?:{_SLUG}/)?", (EDITION, MEDIA, TOPICS, COMMENTS), ARTICLE),
    (rf"section/{_OWN_SLUG}/", (EDITION, OWN), LISTING),
    (rf"tags/{_OWN_SLUG}/", (EDITION, OWN), LISTING),
    (rf"(?:section|tags)/{_OWN_SLUG}/{_FEED}", (EDITION, OWN), FEED, NO_PARAMS),
    (_FEED, (EDITION,), FEED, NO_PARAMS),
    (r"in-focus/", (TOPICS,), LISTING),
    (rf"in-focus/{_OWN_SLUG}/", (EDITION, TOPICS, OWN), LISTING),
    (rf"in-focus/{_OWN_SLUG}/{_FEED}", (EDITION, TOPICS, OWN), FEED, NO_PARAMS),
    # Authors write for every edition; their page and feeds list this one's articles.
    (rf"authors/{_OWN_SLUG}/", (EDITION, OWN), LISTING),
    (rf"authors/{_OWN_SLUG}/{_FEED}", (EDITION, OWN), FEED, NO_PARAMS),
    (rf"most-viewed/(?:{_SLUG}/)?", (EDITION,), LISTING),
    (rf"gallery/(?:films/)?|gallery/(?:photos|films)/{_SLUG}/", (MEDIA,), LISTING),
    (rf"maps/(?:{_SLUG}/)?", (MEDIA,), LISTING),
]
# Addresses without an edition prefix list every edition.
_SITE_PAGES = [
    (r"sitemap\.xml", (EVERY_EDITION, MEDIA, TOPICS), SITEMAP),
    (r"sitemap-(?:news|articles|sections|tags)\.xml", (EVERY_EDITION,), SITEMAP),
    (r"sitemap-topics\.xml", (EVERY_EDITION, TOPICS), SITEMAP),
    (r"sitemap-(?:galleries|films|maps)\.xml", (MEDIA,), SITEMAP),
    (r"robots\.txt", (EVERY_EDITION,), SITEMAP),
]


@dataclass(frozen=True, slots=True)
class Kind:
    scopes: tuple[str, ...]  # resolved: "ed:en", "comments:12", ...
    profile: Profile
    edition: str | None  # from the path; None for addresses without a prefix
    params: frozenset[str] = KEYED_PARAMS  # the query parameters that select its content


def _compile(table):
    return [
        (re.compile(rf"(?:{pattern})\Z"), scopes, prof, params[0] if params else KEYED_PARAMS)
        for pattern, scopes, prof, *params in table
    ]


_EDITION_PREFIX = re.compile(r"/([a-z]{2,3}(?:-[a-z0-9]+)?)/")
_compiled_edition_pages = _compile(_EDITION_PAGES)
_compiled_site_pages = _compile(_SITE_PAGES)


def editions() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def page_kind(path: str) -> Kind | None:
    """Return what the page at `path` (path_info) depends on, or None if uncached."""
    prefix = _EDITION_PREFIX.match(path)
    if prefix and prefix.group(1) in editions():
        edition = prefix.group(1)
        rest = path[prefix.end() :]
        table = _compiled_edition_pages
    else:
        edition = None
        rest = path[1:]
        table = _compiled_site_pages
    for pattern, scopes, profile, params in table:
        match = pattern.match(rest)
        if match:
            return Kind(_resolve(scopes, edition, match), profile, edition, params)
    return None


# The address's first word names the kind of its own scope.
_OWN_KINDS = {"section": "section", "tags": "tag", "in-focus": "topic", "authors": "author"}


def _resolve(scopes, edition, match) -> tuple[str, ...]:
    resolved = []
    for scope in scopes:
        if scope == EDITION:
            resolved.append(edition_scope(edition))
        elif scope == EVERY_EDITION:
            resolved.extend(every_edition())
        elif scope == COMMENTS:
            resolved.append(comments_scope(match.group("pk")))
        elif scope == OWN:
            kind = _OWN_KINDS[match.string.split("/", 1)[0]]
            resolved.append(slug_scope(kind, match.group("slug")))
        else:
            resolved.append(scope)
    return tuple(resolved)


def response_profile(kind: Kind, status: int) -> Profile:
    """Return the Cache-Control profile of a `status` answer at a page of `kind`.

    A 404 or 410 is kept briefly and never served stale, whatever its address: the
    tag, topic or author may be created in a moment, a story taken down put back. A
    redirect is kept as its kind of page: a browser keeping one longer, after a slug
    was changed back, would follow it in a loop with the redirect the other way.
    """
    return NOT_FOUND if status in NOT_FOUND_STATUSES else kind.profile


def bypasses(params) -> bool:
    """Return whether these query parameters must reach the view past the cache."""
    named = JUST_WROTE | ({BENCH_COLD} if settings.BENCH_VIEWS else set())
    return any(value in params.getlist(name) for name, value in named)


def keyed_params(params, selecting: frozenset[str] = KEYED_PARAMS) -> list[tuple[str, list[str]]]:
    """Return the parameters that select the page (of those `selecting` names), by name,
    each with its values."""
    return [(name, params.getlist(name)) for name in sorted(params) if name in selecting]
