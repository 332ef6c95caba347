"""The article page as a response: public, for any app that shows an article.

The reader's article page, the staff preview and the comment form's error page
all render through `article_page_response()`, so the page's context is defined
here once and no app imports another app's views.

Most of the page is the same for every reader and is rendered once per change
(web/fragments.py), under the article's id and updated_at. The main column's own
part (the article, its picture, tags, topics and notes) is kept under the tokens of
the article and of each row it names (`column_scopes()`); its lists (Related
Content, More in the section, previous and next) and the head's metadata under the
tokens of its edition, which every change to a visible article of the edition bumps
(pagecache/invalidation.py), and expire at the next scheduled change: an edition
that publishes every few minutes re-renders an old article's lists, not its body.
So what those fragments show is computed
lazily, only when one is rendered: a later view reads the article's own row
(`page_article()`, kept the same way) and the fragments, and renders the
comment form: no query at all.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.conf import settings
from django.db import connection, router
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from articles.headlines import Headline, LinkedSection
from articles.models import Article, RelatedArticle, Section
from articles.models.article import SEARCH_COLUMNS
from articles.related import RELATED_LIMIT, stored_ids
from articles.schedule import next_change_remembered
from web.csp import enforce_site_policy
from web.fragments import cached_fragment, fragments_off
from web.prepared import PreparedQuery, fetch_prepared, written_condition
from web.scopes import CHROME, TOPICS, article_scope, photo_scope, slug_scope

MORE_IN_SECTION_LIMIT = 4
UNLINKED = "an article without counterparts"


@dataclass(slots=True)
class ArticleLists:
    """What the column's lists show: the edition's articles published just before
    and just after, Related Content, and More in the section."""

    older: Headline | None = None
    newer: Headline | None = None
    related: list[Headline] = field(default_factory=list)
    more_in_section: list[Headline] = field(default_factory=list)


# The column's lists as one statement. Each CTE is a query the page used to run on
# its own: the neighbours (a plain bound, publish_at <= when, is what lets the date
# index start at the article; with only the OR, PostgreSQL walked it from the
# newest or the oldest end: 0.4 s for an article 30,000 deep in 100,000), Related
# Content ({related}: see _RELATED), and More in the section, which leaves out the
# others' rows in SQL, so that they need not come back to Python first. A draft in
# preview has no publish time: `when` is NULL, and it has no neighbours.
_LISTS = """
WITH older AS (
    SELECT id FROM {article} WHERE {visible} AND language = %(language)s
    AND publish_at <= %(when)s AND (publish_at < %(when)s OR id < %(pk)s)
    ORDER BY publish_at DESC, id DESC LIMIT 1
), newer AS (
    SELECT id FROM {article} WHERE {visible} AND language = %(language)s
    AND publish_at >= %(when)s AND (publish_at > %(when)s OR id > %(pk)s)
    ORDER BY publish_at, id LIMIT 1
), related (id, position, link) AS (
    {related}
), more AS (
    SELECT id FROM {article} WHERE {visible} AND language = %(language)s
    AND section_id = %(section)s AND id <> %(pk)s AND id NOT IN (
        SELECT id FROM older UNION ALL SELECT id FROM newer UNION ALL SELECT id FROM related
    )
    ORDER BY publish_at DESC, id DESC LIMIT {more}
), listed (part, position, link, id) AS (
    SELECT 0, 0, 0, id FROM older UNION ALL SELECT 1, 0, 0, id FROM newer
    UNION ALL SELECT 2, position, link, id FROM related WHERE {related_shown}
    UNION ALL SELECT 3, 0, 0, id FROM more
)
SELECT part, a.id, a.language, a.slug, a.title, a.publish_at, s.id, s.language, s.name, s.slug
FROM listed JOIN {article} a ON a.id = listed.id JOIN {section} s ON s.id = a.section_id
ORDER BY part, listed.position, listed.link, a.publish_at DESC, a.id DESC
"""

# Related Content as related_articles() reads it (articles/related.py): the visible
# articles of the stored list in its order, or, without a list, the editors'
# visible picks in theirs; a preview's own list ("given") is only left out.
_RELATED = {
    "stored": """SELECT {article}.id, stored.position, 0
    FROM unnest(%(related)s::bigint[]) WITH ORDINALITY AS stored (id, position)
    JOIN {article} ON {article}.id = stored.id WHERE {visible}
    ORDER BY stored.position LIMIT {limit}""",
    "picks": """SELECT {article}.id, {picks}.position, {picks}.id FROM {picks}
    JOIN {article} ON {article}.id = {picks}.related_id
    WHERE {picks}.article_id = %(pk)s AND {visible}
    ORDER BY {picks}.position, {picks}.id LIMIT {limit}""",
    "given": "SELECT id, 0, 0 FROM unnest(%(related)s::bigint[]) AS given (id)",
}


@cache
def _lists_sql(related: str) -> str:
    """Return the lists' statement with Related Content read as `related` says."""
    quoted = connection.ops.quote_name
    names = {
        "article": quoted(Article._meta.db_table),
        "section": quoted(Section._meta.db_table),
        "picks": quoted(RelatedArticle._meta.db_table),
        # Article.objects.published()'s own condition, the clock a value of the call.
        "visible": written_condition(lambda now: Article.objects.published(now), now=datetime),
    }
    return _LISTS.format(
        related=_RELATED[related].format(limit=int(RELATED_LIMIT), **names),
        related_shown="false" if related == "given" else "true",
        more=int(MORE_IN_SECTION_LIMIT),
        **names,
    )


def article_lists(article: Article, detail: Article, given_related=None) -> ArticleLists:
    """Return the column's lists for `article` (one query).

    Previous and next: the edition's visible articles published just before and
    just after. Related Content: `related_articles(detail)`'s articles, or
    `given_related` (a preview's) if given. More in the section: the newest other
    articles of its section and edition, leaving out the headlines the column
    shows already (Related Content, previous and next), so the same two or three
    titles are not listed twice.
    """
    values = {
        "language": article.language,
        "section": article.section_id,
        "pk": article.pk,
        "when": article.publish_at,
        "now": timezone.now(),
    }
    if given_related is not None:
        shape, values["related"] = "given", [item.pk for item in given_related]
    else:
        ids = stored_ids(detail)
        shape = "picks" if ids is None else "stored"
        if ids is not None:
            values["related"] = ids
    rows = fetch_prepared(_lists_sql(shape), values, using=router.db_for_read(Article))
    lists, sections = ArticleLists(), {}
    for part, pk, language, slug, title, publish_at, *section in rows:
        listed = sections.get(section[0])
        if listed is None:
            listed = sections[section[0]] = LinkedSection(*section)
        headline = Headline(pk, language, slug, title, publish_at, listed)
        if part == 0:
            lists.older = headline
        elif part == 1:
            lists.newer = headline
        elif part == 2:
            lists.related.append(headline)
        else:
            lists.more_in_section.append(headline)
    return lists


def _detailed_article(pk, now):
    # Not the search columns: the page never shows them, and the vector is as long
    # as the body (read, converted and kept with the row for nothing).
    detailed = Article.objects.published(now).with_detail().defer(*SEARCH_COLUMNS)
    return detailed.filter(pk=pk).order_by()[:2]


_DETAILED_ARTICLE = PreparedQuery(_detailed_article, pk=int, now=datetime)


def detailed_article(pk: int) -> Article:
    """Return `Article.objects.for_detail().get(pk=pk)`, its SQL made once per process."""
    found = _DETAILED_ARTICLE(pk=pk, now=timezone.now())
    if not found:
        raise Article.DoesNotExist("Article matching query does not exist.")
    return found[0]


def page_article(pk: int, edition: str, next_change=None) -> Article | None:
    """Return the visible article `pk` with everything its page shows (`with_detail()`),
    no query when cached.

    An article of `edition` is kept like a fragment (web/fragments.py), until
    the next scheduled change (its own unpublication among them) and under the
    tokens of every fragment that reads it (`row_scopes()`): whenever one of
    them must be rendered again, this row is read again too, so no fragment is
    rendered from a stale copy. A first view thus reads the article once, not
    once for its checks and again for its fragments. An article of another
    edition (the page will redirect) is looked up every time. `next_change` is
    the request's own `page_next_change()`, if the page is rendered next.
    """
    looked_up = []

    def find():
        found = _DETAILED_ARTICLE(pk=pk, now=timezone.now())
        looked_up.append(found[0] if found else None)
        article = looked_up[0]
        return article if article is not None and article.language == edition else None

    until = next_change or _next_change
    article = cached_fragment("article-row", [pk], row_scopes(pk), find, until=until)
    return article if article is not None else looked_up[0]  # None is never stored


def row_scopes(pk: int) -> list[str]:
    """Return the scopes of the page's fragments that read the article's row: the
    metadata's (every edition) and the main column's (also the topics and itself)."""
    return [*every_edition(), TOPICS, article_scope(pk)]


def column_scopes(article: Article) -> list[str]:
    """Return the scopes of the main column's own part (header, picture, body, tags,
    topics, notes): the article, and each row it names, whose changes bump their
    own scope (pagecache/invalidation.py). Not its edition: the articles the edition
    publishes change only the column's lists, so an old article's own part outlives
    them. Nothing in it changes by the clock (its article's unpublication ends the
    page's row, `page_article()`), so it has no `until`.
    """
    scopes = [article_scope(article.pk), TOPICS, slug_scope("section", article.section.slug)]
    if article.author_id:
        scopes.append(slug_scope("author", article.author.slug))
    if article.photo_id:
        scopes.append(photo_scope(article.photo_id))
    scopes += [slug_scope("tag", tag.slug) for tag in article.shown_tags]
    return scopes


def _next_change():
    return next_change_remembered(timezone.now())


def page_next_change():
    """Return the next scheduled change, looked up once by whoever asks first: for
    one request's fragments (a cache read each time it was looked up)."""
    return cache(_next_change)


def every_edition() -> list[str]:
    """Return the scopes of every edition (an article's counterparts are in the others)."""
    return [f"ed:{code}" for code, _name in settings.LANGUAGES]


def _lazy(function):
    """Return `function()` computed on first use (a template reading it), then kept."""
    return SimpleLazyObject(function)


def preview_response(response: HttpResponse) -> HttpResponse:
    """Mark a staff preview of unpublished text: never cached, never indexed, policy enforced."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return enforce_site_policy(response)


def article_page_response(
    request: HttpRequest,
    article: Article,
    *,
    status: int = 200,
    extra_context: dict | None = None,
    next_change=None,
) -> HttpResponse:
    """Render the article page for `article` (visibility is the caller's check).

    The template is the site's (settings.ARTICLE_PAGE_TEMPLATE, which extends
    articles/article_detail.html with the comments and side blocks of the floors
    above this one).

    The context holds `article` (its own row is enough: `page_article()`),
    `column_scopes` (what the column's own part is kept under),
    `detail` (the article with everything the page shows, `for_detail()`),
    `counterparts` (its live articles in other editions, by edition), `related`,
    `more_in_section`, `older` and `newer` (the edition's neighbours in
    publication order), `fragment_scopes`, `page_scopes` and `next_change`
    (what the page's fragments are keyed by and expire at: the column depends
    on its edition, the metadata and the masthead, which link the
    counterparts, on every edition). All but `article` are computed only if a
    fragment is rendered. The side blocks come from the
    site's `side_blocks` tag (alwaght/templatetags/site_tags.py), cached.
    `extra_context` is added on top. Keys other apps' template tags read from
    it: `preview` (hides comments; no fragment is read or stored), `comment_form`
    and `comment_error` (the comment section shows the reader's form and the
    error).
    """
    pk = article.pk
    detailed = hasattr(article, "notes_json")  # from for_detail()/with_detail() already
    detail = article if detailed else _lazy(lambda: detailed_article(pk))
    # A preview shows its own Related Content (the held picks), and More in the
    # section leaves those out instead.
    given_related = (extra_context or {}).get("related")
    lists = _lazy(lambda: article_lists(article, detail, given_related))
    context = {
        "article": article,
        "detail": detail,
        "counterparts": _lazy(article.live_counterparts),
        "related": _lazy(lambda: lists.related),
        "more_in_section": _lazy(lambda: lists.more_in_section),
        "older": _lazy(lambda: lists.older),
        "newer": _lazy(lambda: lists.newer),
        "column_scopes": _lazy(lambda: column_scopes(detail)),
        # The column's lists: its edition, and itself (its Related Content list,
        # stored by the background job, and its counterparts' links).
        "fragment_scopes": [f"ed:{article.language}", article_scope(pk)],
        "page_scopes": every_edition(),
        # The masthead: its switcher names the article's counterparts, and an article
        # with none has the same masthead as every other such article of its edition.
        "page_key": (pk, article.updated_at) if article.translation_group else UNLINKED,
        "chrome_scopes": [CHROME, *every_edition()],
        # Called by the fragments that render (a template calls callables), once.
        "next_change": next_change or page_next_change(),
        **(extra_context or {}),
    }
    if context.get("preview"):
        with fragments_off():  # staff see what is saved now, and leave nothing behind
            return render(request, settings.ARTICLE_PAGE_TEMPLATE, context, status=status)
    return render(request, settings.ARTICLE_PAGE_TEMPLATE, context, status=status)
