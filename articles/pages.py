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

from collections.abc import Iterable
from datetime import datetime
from functools import cache

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from articles.models import Article
from articles.models.article import SEARCH_COLUMNS
from articles.related import related_articles
from articles.schedule import next_change_remembered
from web.csp import enforce_site_policy
from web.fragments import cached_fragment, fragments_off
from web.prepared import PreparedQuery
from web.scopes import CHROME, TOPICS, article_scope, photo_scope, slug_scope

MORE_IN_SECTION_LIMIT = 4
UNLINKED = "an article without counterparts"


def more_in_section(article: Article, shown: Iterable[Article | None] = ()) -> list[Article]:
    """Return the newest other articles of the article's section and edition (one query).

    Headlines the column `shown` already (Related Content, previous and next) are
    left out, so the same two or three titles are not listed twice.
    """
    leave_out = [article.pk, *{item.pk for item in shown if item} - {article.pk}]
    return _more_in_section(len(leave_out))(
        language=article.language,
        section=article.section_id,
        leave_out=leave_out,
        now=timezone.now(),
    )


@cache
def _more_in_section(left_out: int) -> PreparedQuery:
    """The query of More in the section leaving out `left_out` articles (web/prepared.py)."""
    return PreparedQuery(
        lambda language, section, leave_out, now: (
            Article.objects.for_listing(now)
            .in_language(language)
            .filter(section_id=section)
            .exclude(pk__in=leave_out)[:MORE_IN_SECTION_LIMIT]
        ),
        language=str,
        section=int,
        leave_out=(int, left_out),
        now=datetime,
    )


def _neighbours(when, pk, language, now):
    listed = Article.objects.for_listing(now).in_language(language)
    # The plain bound (publish_at <= when) is what lets the date index start at the
    # article; with only the OR, PostgreSQL walked it from the newest or the oldest
    # end (0.4 s for an article 30,000 deep in 100,000).
    older = listed.filter(Q(publish_at__lt=when) | Q(pk__lt=pk), publish_at__lte=when)[:1]
    newer = listed.filter(Q(publish_at__gt=when) | Q(pk__gt=pk), publish_at__gte=when)
    return older.union(newer.order_by("publish_at", "id")[:1], all=True)


# Its SQL is made once per process (web/prepared.py): building it in the ORM cost
# more than PostgreSQL spent answering it.
_NEIGHBOURS = PreparedQuery(_neighbours, when=datetime, pk=int, language=str, now=datetime)


def previous_and_next(article: Article) -> tuple[Article | None, Article | None]:
    """Return the edition's articles published just before and just after (one query)."""
    if article.publish_at is None:  # a draft in preview has no place in the sequence
        return None, None
    when, pk = article.publish_at, article.pk
    neighbours = _NEIGHBOURS(when=when, pk=pk, language=article.language, now=timezone.now())
    before = [item for item in neighbours if (item.publish_at, item.pk) < (when, pk)]
    after = [item for item in neighbours if (item.publish_at, item.pk) > (when, pk)]
    return (before[0] if before else None), (after[0] if after else None)


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
    neighbours = _lazy(lambda: previous_and_next(article))
    related = _lazy(lambda: related_articles(detail))
    context = {
        "article": article,
        "detail": detail,
        "counterparts": _lazy(article.live_counterparts),
        "related": related,
        "older": _lazy(lambda: neighbours[0]),
        "newer": _lazy(lambda: neighbours[1]),
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
    # Leaves out the Related Content the page shows: a preview's held picks, not the live ones.
    shown_related = context["related"]
    context.setdefault(
        "more_in_section",
        _lazy(
            lambda: more_in_section(article, shown=[*shown_related, neighbours[0], neighbours[1]])
        ),
    )
    if context.get("preview"):
        with fragments_off():  # staff see what is saved now, and leave nothing behind
            return render(request, settings.ARTICLE_PAGE_TEMPLATE, context, status=status)
    return render(request, settings.ARTICLE_PAGE_TEMPLATE, context, status=status)
