"""The article page as a response: public, for any app that shows an article.

The reader's article page, the staff preview and the comment form's error page
all render through `article_page_response()`, so the page's context is defined
here once and no app imports another app's views.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from articles.models import Article
from articles.related import related_articles


def article_page_response(
    request: HttpRequest,
    article: Article,
    *,
    status: int = 200,
    extra_context: dict | None = None,
) -> HttpResponse:
    """Render articles/article_detail.html for `article` (visibility is the caller's check).

    The context holds `article` and `related`; the side blocks come from the
    site's `side_blocks` tag (alwaght/templatetags/site_tags.py), cached.
    `extra_context` is added on top. Keys other apps' template tags read from
    it: `preview` (hides comments), `comment_form` and `comment_error` (the
    comment section shows the reader's form and the error).
    """
    context = {
        "article": article,
        "related": related_articles(article),
        **(extra_context or {}),
    }
    return render(request, "articles/article_detail.html", context, status=status)
