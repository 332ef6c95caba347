"""Answer 503, not 500, while the database is unreachable.

The page says so in words, is rendered from a template that needs no database
(no context processors, no queries), carries Retry-After for crawlers and load
balancers and is never cached. A comment that could not be stored comes back in
a form the reader can send again: nothing they typed is lost. Django drops a
broken connection at the end of the request, so the site recovers by itself
once the database answers again.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from alwaght.request_trace import current_request_id

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
OUTAGES = (OperationalError, InterfaceError)


def outage_response(request) -> HttpResponse:
    """Return the static 503 page, with the reader's comment when one was being sent."""
    comment = None
    match = getattr(request, "resolver_match", None)
    if request.method == "POST" and match and match.view_name == "comments:post":
        comment = {
            "action": request.path,
            **{field: request.POST.get(field, "") for field in ("token", "name", "email", "text")},
        }
    context = {"comment": comment, "request_id": current_request_id()}
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseOutageMiddleware:
    """Turn a database outage during a view into the 503 page (see module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGES):
            logger.error("Database unavailable for %s: %s", request.path, exception)
            return outage_response(request)
        return None


def server_error(request):
    """handler500: the outage page when the database failed outside a view, else the 500 page.

    The middleware above sees errors raised by views; this catches the rest
    (another middleware reading the session or the user, a response being saved).
    """
    if isinstance(sys.exc_info()[1], OUTAGES):
        return outage_response(request)
    # Django's own handler500, with the request's id for the reader to quote.
    return HttpResponseServerError(
        render_to_string("500.html", {"request_id": current_request_id()})
    )
