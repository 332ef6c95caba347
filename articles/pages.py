"""The article page as a response: public, for any app that shows an article.

The reader's article page, the staff preview and the comment form's error page
all render through `article_page_response()`, so the page's context is defined
here once and no app imports another app's views.
"""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from articles.models import Article
from articles.related import related_articles

MORE_IN_SECTION_LIMIT = 4


def more_in_section(article: Article) -> list[Article]:
    """Return the newest other articles of the article's section and edition (one query)."""
    return list(
        Article.objects.for_listing()
        .in_language(article.language)
        .filter(section_id=article.section_id)
        .exclude(pk=article.pk)[:MORE_IN_SECTION_LIMIT]
    )


def previous_and_next(article: Article) -> tuple[Article | None, Article | None]:
    """Return the edition's articles published just before and just after (one query)."""
    if article.publish_at is None:  # a draft in preview has no place in the sequence
        return None, None
    listed = Article.objects.for_listing().in_language(article.language)
    when, pk = article.publish_at, article.pk
    older = listed.filter(Q(publish_at__lt=when) | Q(publish_at=when, pk__lt=pk))[:1]
    newer = listed.filter(Q(publish_at__gt=when) | Q(publish_at=when, pk__gt=pk))
    neighbours = list(older.union(newer.order_by("publish_at", "id")[:1], all=True))
    before = [item for item in neighbours if (item.publish_at, item.pk) < (when, pk)]
    after = [item for item in neighbours if (item.publish_at, item.pk) > (when, pk)]
    return (before[0] if before else None), (after[0] if after else None)


def article_page_response(
    request: HttpRequest,
    article: Article,
    *,
    status: int = 200,
    extra_context: dict | None = None,
) -> HttpResponse:
    """Render articles/article_detail.html for `article` (visibility is the caller's check).

    The context holds `article`, `counterparts` (its live articles in other
    editions, by edition), `related`, `more_in_section`, `older` and
    `newer` (the edition's neighbours in publication order); the side blocks come from the
    site's `side_blocks` tag (alwaght/templatetags/site_tags.py), cached.
    `extra_context` is added on top. Keys other apps' template tags read from
    it: `preview` (hides comments), `comment_form` and `comment_error` (the
    comment section shows the reader's form and the error).
    """
    older, newer = previous_and_next(article)
    context = {
        "article": article,
        "counterparts": article.live_counterparts(),
        "related": related_articles(article),
        "more_in_section": more_in_section(article),
        "older": older,
        "newer": newer,
        **(extra_context or {}),
    }
    return render(request, "articles/article_detail.html", context, status=status)
