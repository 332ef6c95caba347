"""Surrogate keys: which content a page shows, named so a CDN can purge by it.

The keys are the scopes of web/scopes.py: what a change touches is purged by the
same names its tokens are bumped under (pagecache/invalidation.py), so the CDN
and the page cache drop the same pages. A page's keys are the scopes its cached
kind depends on (pagecache/kinds.py, handed over by the page cache as
`request.cache_scopes`), its own edition, article and standing page, and what it
links to or shows, read from the page itself: the articles, sections, tags,
topics, authors, photos and gallery items. Whatever template or block shows an
article (teasers, Most Viewed, Related Content, a feed's items) links to it, so
no view has to declare anything, and a new block is covered the day it is added.

| key                      | on pages that                                   |
|--------------------------|-------------------------------------------------|
| `alwaght`                | every page (purge everything)                   |
| `ed:en`                  | list the English edition's articles (or belong  |
|                          | to it, if the page cache does not keep them)    |
| `article:12`             | show or link to article 12                      |
| `comments:12`            | show article 12's comments (its own page)       |
| `section:news`, `tag:gulf`, `topic:nato` | show or link to that section, tag, topic |
| `author:jane-doe`        | show or link to that author (bylines, their     |
|                          | page and feeds)                                 |
| `page:about`             | are that standing page, in any edition (not the |
|                          | footer's links to it: they show no title)       |
| `photo:7`                | show photo 7 (its renditions or its original)   |
| `media`, `topics`        | show or link to galleries, films, maps; In Focus|

Slugs appear as in URLs (non-ASCII percent-encoded), so keys are ASCII.
"""

import re

from django.utils.encoding import iri_to_uri

from web.scopes import MEDIA, article_scope, comments_scope, edition_scope, photo_scope

SITE_KEY = "alwaght"
MAX_KEYS = 300  # CDNs cap the header (16 KB); the scopes and own keys come first

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
# A photo's renditions, or its original (data-photo) until they are made: each mark
# found with str.find, then its number read. One pattern starting with either mark
# made the regex engine try a match at every "r" and "d" of the page: 0.18 of the
# 0.24 ms of keys of a 40 KB article page, whose every render runs it.
_PHOTO_MARKS = ("renditions/", 'data-photo="')
_PHOTO_ID = re.compile(r'[0-9]+(?=[/"])')
_OWN_EDITION = re.compile(r"^" + _EDITION)
_OWN_ARTICLE = re.compile(_EDITION + r"news/(?P<pk>[0-9]+)/")
_OWN_PAGE = re.compile(r"^" + _EDITION + r"pages/" + _SLUG + "/")


def keys_for(path: str, content: bytes | str, scopes=()) -> list[str]:
    """Return the surrogate keys of the page at `path` with this body, depending on
    `scopes` (the page cache's, for a cached kind of page)."""
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    # The page's links are percent-encoded, but request.path is not: /fa/tags/آب/
    # would name "tag:آب", and one non-ASCII key makes Django write the whole
    # header RFC 2047-encoded (=?utf-8?b?...?=), which no CDN reads as keys.
    path = iri_to_uri(path)
    keys = dict.fromkeys([SITE_KEY, *scopes])
    own = _OWN_EDITION.match(path)
    if own and not scopes:  # a page the page cache does not keep: named by its edition
        keys[edition_scope(own["lang"])] = None
    own_article = _OWN_ARTICLE.match(path)
    if own_article:
        keys[article_scope(own_article["pk"])] = None
        keys[comments_scope(own_article["pk"])] = None
    own_page = _OWN_PAGE.match(path)
    if own_page:
        keys[f"page:{own_page['slug'].lower()}"] = None
    for source in (path, text):
        for match in _LINKS.finditer(source):
            kind = match.lastgroup
            value = match[kind]
            if kind == "media":
                keys[MEDIA] = None
            elif kind == "article":
                keys[article_scope(value)] = None
            elif not (kind == "topic" and value == "feed"):
                keys[f"{kind}:{value.lower()}"] = None
        for photo in _photo_ids(source):
            keys[photo_scope(photo)] = None
    return list(keys)[:MAX_KEYS]


def _photo_ids(text: str):
    """Yield the number after each of _PHOTO_MARKS in `text`, mark by mark."""
    for mark in _PHOTO_MARKS:
        at = text.find(mark)
        while at != -1:
            at += len(mark)
            if found := _PHOTO_ID.match(text, at):
                yield found.group()
            at = text.find(mark, at)
