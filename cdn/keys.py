"""Surrogate keys: which content a page shows, named so a CDN can purge by it.

A page's keys are read from the page itself: the articles, sections, tags, topics,
photos and gallery items it links to or shows, plus its edition. Whatever
template or block shows an article (teasers, Most Viewed, Related Content, a
feed's items) links to it, so no view has to declare anything, and a new block is
covered the day it is added.

| key                      | on pages that                                   |
|--------------------------|-------------------------------------------------|
| `alwaght`                | every page (purge everything)                   |
| `edition-en`             | belong to the English edition (lists of latest) |
| `article-12`             | show or link to article 12                      |
| `comments-12`            | show article 12's comments (its own page)       |
| `section-news`, `tag-gulf`, `topic-nato` | show or link to that section, tag, topic |
| `author-jane-doe`        | show or link to that author (bylines, their     |
|                          | page and feeds)                                 |
| `page-about`             | are that standing page, in any edition (not the |
|                          | footer's links to it: they show no title)       |
| `photo-7`                | show photo 7 (its renditions or its original)   |
| `media`                  | show or link to galleries, films, maps          |

Slugs appear as in URLs (non-ASCII percent-encoded), so keys are ASCII.
"""

import re
from urllib.parse import quote

SITE_KEY = "alwaght"
MAX_KEYS = 300  # CDNs cap the header (16 KB); past this, edition keys still purge

_EDITION = r"/(?P<lang>[a-z]{2}(?:-[a-z]{2,4})?)/"
_SLUG = r"(?P<slug>[-\w%]+)"
_SLUG_TEXT = r"[-\w%]+"
# Two scans of the page, each starting from a literal Python's re looks for fast
# (seven scans, one per kind, were ~1 ms of a 40 KB article page's cold render, a
# third of it; one pattern with the two alternatives at its start was slower
# still). The closing slash is looked at, not taken, so adjacent links count.
_LINKS = re.compile(
    r"/[a-z]{2}(?:-[a-z]{2,4})?/(?:"
    r"news/(?P<article>[0-9]+)"
    rf"|section/(?P<section>{_SLUG_TEXT})"
    rf"|tags/(?P<tag>{_SLUG_TEXT})"
    rf"|in-focus/(?P<topic>{_SLUG_TEXT})"
    rf"|authors/(?P<author>{_SLUG_TEXT})"
    r"|(?P<media>gallery|maps)"
    r")(?=/)"
)
# A photo's renditions, or its original (data-photo) until they are made.
_RENDITIONS = re.compile(r'(?:renditions/|data-photo=")(?P<photo>[0-9]+)(?=[/"])')
_OWN_EDITION = re.compile(r"^" + _EDITION)
_OWN_ARTICLE = re.compile(_EDITION + r"news/(?P<pk>[0-9]+)/")
_OWN_PAGE = re.compile(r"^" + _EDITION + r"pages/" + _SLUG + "/")


def article_key(pk: int) -> str:
    return f"article-{pk}"


def comments_key(pk: int) -> str:
    return f"comments-{pk}"


def edition_key(language: str) -> str:
    return f"edition-{language}"


def slug_key(kind: str, slug: str) -> str:
    """Return the key of a section, tag, topic, author or standing page, as its slug
    appears in URLs."""
    return f"{kind}-{quote(slug, safe='-_').lower()}"


def photo_key(pk: int) -> str:
    return f"photo-{pk}"


def keys_for(path: str, content: bytes | str) -> list[str]:
    """Return the surrogate keys of the page at `path` with this body."""
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    keys = {SITE_KEY: None}
    own = _OWN_EDITION.match(path)
    if own:
        keys[edition_key(own["lang"])] = None
    own_article = _OWN_ARTICLE.match(path)
    if own_article:
        keys[article_key(int(own_article["pk"]))] = None
        keys[comments_key(int(own_article["pk"]))] = None
    own_page = _OWN_PAGE.match(path)
    if own_page:
        keys[f"page-{own_page['slug'].lower()}"] = None
    for source in (path, text):
        for match in [*_LINKS.finditer(source), *_RENDITIONS.finditer(source)]:
            kind = match.lastgroup
            value = match[kind]
            if kind == "media":
                keys["media"] = None
            elif kind in ("article", "photo"):
                keys[f"{kind}-{int(value)}"] = None
            elif not (kind == "topic" and value == "feed"):
                keys[f"{kind}-{value.lower()}"] = None
    return list(keys)[:MAX_KEYS]
