"""The 400, CSRF 403 and 500 pages, in the edition's language and direction.

A reader who sent something the site cannot take, or met a bug, is told so in
the edition they were reading, and given its front page. These pages are shown
when something has already gone wrong, so they ask for nothing that can fail in
turn:

* no database and no cache: they are rendered without the request, so no context
  processor runs, in a plain frame (templates/plain.html: the site's name, the
  front page, and the 503 page's stylesheet). The 500 page may be there because
  the database or a cache broke, and a 400 may answer a flood of oversized posts;
  the 404's frame (base.html) reads the masthead's fragments and the sections,
  and builds absolute addresses from the Host.
* the language of the address (/ar/..., /fa/...), else the one this request's
  LocaleMiddleware (or the desk's) chose, else the browser's: never the one merely
  active in the thread, which a request that failed before LocaleMiddleware ran
  has from whichever request the thread answered before.
* no absolute address: a 400 may be the answer to a forged Host header, so the
  host is never read; links are paths.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext


def page_language(request) -> str:
    """Return the language an error page for `request` speaks (see the module docstring)."""
    return (
        translation.get_language_from_path(request.path_info)
        or getattr(request, "LANGUAGE_CODE", None)
        or translation.get_language_from_request(request)
    )


def plain_page(request, template_name: str, status: int, context=None) -> HttpResponse:
    """Return `template_name` in `request`'s edition, rendered without the request.

    Context: `site_name`, `front_page` (the edition's front page, a path) and `context`.
    """
    language = page_language(request)
    with translation.override(language):
        try:
            front_page = reverse("articles:front")
        except NoReverseMatch:  # a URLconf without the reader pages still gets its page
            front_page = "/"
        body = render_to_string(
            template_name,
            {"site_name": gettext(settings.SITE_NAME), "front_page": front_page, **(context or {})},
        )
    response = HttpResponse(body, status=status)
    response["Content-Language"] = language
    return response


def bad_request(request, exception):
    """handler400: templates/400.html. The exception is not shown: it may quote the request."""
    return plain_page(request, "400.html", 400)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: templates/403_csrf.html, in the edition's language.

    Django's own view renders the template with the request's context processors;
    this one needs none. The reason is not shown: it is for the log, which has it.
    """
    return plain_page(request, "403_csrf.html", 403)
