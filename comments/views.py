"""Receiving comments without making the article page per-reader.

The article page is meant to be served from a full-page cache, so it carries no
CSRF token and sets no cookie. The comment form posts here instead, and this
view is CSRF-exempt on purpose: an anonymous comment carries no credentials for
a forged request to abuse. What protects it instead:

* a signed, time-limited form token, the same for every reader (refuses stale
  or forged forms; flags forms sent faster than a person types),
* a refusal of requests browsers mark as cross-site (Origin / Sec-Fetch-Site),
* a per-IP rate limit, a honeypot, size and link limits, and the blocklist.
"""

from django.http import HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.models import Article
from articles.pages import article_page_response
from comments.forms import CommentForm
from comments.services import comment_submit, comments_open_for, rate_limit_hit
from web.client_ip import client_ip


@csrf_exempt
@never_cache
@require_POST
def comment_post(request, pk):
    """Store a comment and redirect back to the article (303), or show the errors.

    Errors re-render the article page (articles/pages.py) with the form as the
    reader filled it; the page's comment section (comment_tags) shows it.
    """
    # Its own edition's address only: another's showed the story in that edition's
    # language and direction, and took the comment.
    article = get_object_or_404(Article.objects.for_detail(), pk=pk, language=request.LANGUAGE_CODE)
    if _is_cross_site(request):
        return _refusal(request, article, _("Comments can only be sent from this site."), 403)
    if not comments_open_for(article):
        # Closed while the reader wrote (the form was on the page they opened): what
        # they wrote comes back to keep. Not to a cross-site post, whose words are
        # another site's, shown on ours.
        message = _("Comments are closed on this article.")
        return _refusal(request, article, message, 403, written=_written(request))

    form = CommentForm(request.POST, article=article)
    retry_after = rate_limit_hit(client_ip(request))
    if retry_after:
        message = _("You have sent several comments in a short time. Please wait a minute.")
        response = article_page_response(
            request,
            article,
            status=429,
            extra_context={"comment_form": form, "comment_error": message},
        )
        response["Retry-After"] = str(retry_after)
        return response
    if not form.is_valid():
        form.refresh_token()
        return article_page_response(request, article, extra_context={"comment_form": form})

    if not form.is_honeypot_filled:  # bots are thanked, and nothing is stored
        comment_submit(
            article=article,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            text=form.cleaned_data["text"],
            ip=client_ip(request),
            sent_too_fast=form.sent_too_fast,
        )
    response = HttpResponseRedirect(f"{article.get_absolute_url()}?comment=sent#comment-sent")
    response.status_code = 303  # see other: the reader's reload will not post again
    return response


def _is_cross_site(request) -> bool:
    """Return whether a browser says the form was sent from another site.

    An Origin is judged as Django's CSRF check judges the desk's forms: this site's
    own (scheme, host and port) or one of CSRF_TRUSTED_ORIGINS, so the one setting
    that lets the desk sign in behind a proxy lets readers comment too. Without an
    Origin, by Sec-Fetch-Site.
    """
    origin = request.headers.get("Origin")
    if not origin:
        return request.headers.get("Sec-Fetch-Site") == "cross-site"
    # A private method, kept since Django 4.0; tests/comments/test_reader.py holds it
    # to the rule above, so an upgrade that changes it fails there, not in production.
    # Made per post: it reads the trusted origins from the settings once.
    csrf_check = CsrfViewMiddleware(lambda request: None)
    return origin == "null" or not csrf_check._origin_verified(request)


def _refusal(request, article, message, status, written=None):
    return render(
        request,
        "comments/refused.html",
        {"article": article, "message": message, "written": written},
        status=status,
    )


def _written(request) -> dict | None:
    """Return the name and text a refused post carried, to show back, or None."""
    written = {field: request.POST.get(field, "").strip() for field in ("name", "text")}
    return written if written["text"] else None
