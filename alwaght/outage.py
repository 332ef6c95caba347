"""Answer 503, not 500, while the database is unreachable.

The page says so in words, in the edition's language, is rendered from a template
that needs no database (no context processors, no queries), carries Retry-After
for crawlers and load balancers and is never cached. A comment that could not be
stored comes back in a form the reader can send again, and so does an editor's
desk form (an article, a photo, any admin form): the page posts every field again
to the same address and shows the text fields to copy. Nothing anyone typed is
lost. Django drops a broken connection at the end of the request, so the site
recovers by itself once the database answers again.
"""

import logging
import re
import sys

from django.core.exceptions import FieldDoesNotExist
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

from alwaght.error_pages import plain_page
from alwaght.request_trace import current_request_id

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
OUTAGES = (OperationalError, InterfaceError)


def outage_response(request) -> HttpResponse:
    """Return the static 503 page, with the reader's comment or the editor's form when sent."""
    comment = desk = None
    match = _match(request)
    if request.method == "POST" and match is not None:
        if match.view_name == "comments:post":
            comment = {
                "action": request.path,
                **{f: request.POST.get(f, "") for f in ("token", "name", "email", "text")},
            }
        else:
            desk = desk_form(request, match)
    # In the edition's language, or the desk's (alwaght/error_pages.py): the reader
    # of /fa/ is told in Persian, right to left, what happened to the comment.
    context = {"comment": comment, "desk": desk, "request_id": current_request_id()}
    response = plain_page(request, "503.html", 503, context)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def _match(request):
    """Return the URL match of `request`, resolving it when no view ran yet."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match


# Desk posts that carry a password or a code: nothing of them comes back.
SIGN_IN_VIEWS = {
    "login", "logout", "password_change", "two_factor_setup", "two_factor_recovery_codes",
}  # fmt: skip
SECRET_FIELDS = re.compile(r"password|otp_token", re.IGNORECASE)
# Fields nobody typed: posted again, not shown.
UNTYPED_FIELDS = re.compile(
    r"^(csrfmiddlewaretoken|_save|_continue|_addanother|_saveasnew|_popup|_to_field"
    r"|_changelist_filters|action|index|select_across|_selected_action)$"
    r"|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$|-(id|DELETE|ORDER)$"
)
FORMSET_FIELD = re.compile(r"^(?P<prefix>.+)-(?P<index>\d+)-(?P<field>[^-]+)$")


def desk_form(request, match) -> dict | None:
    """Return what the 503 page needs to give an editor's unsaved desk form back.

    Every field posted comes back as a hidden input of a form that posts it to the
    same address again (the CSRF token too: the cookie has not changed); the text
    fields are shown too, labelled as the form labels them, to copy. Passwords and
    codes never come back; chosen files cannot, and are named.
    """
    if match.namespace != "admin" or match.url_name in SIGN_IN_VIEWS:
        return None
    model_admin = getattr(match.func, "model_admin", None)  # set on every ModelAdmin URL
    fields, shown = [], []
    for name, values in request.POST.lists():
        if SECRET_FIELDS.search(name):
            continue
        fields += [{"name": name, "value": value} for value in values]
        if not UNTYPED_FIELDS.search(name) and any(value.strip() for value in values):
            shown.append({"label": _label(model_admin, name), "values": values})
    files = [upload.name for _name, uploads in request.FILES.lists() for upload in uploads]
    return {"action": request.get_full_path(), "fields": fields, "shown": shown, "files": files}


def _label(model_admin, name: str) -> str:
    """Return a posted field's label as its form shows it, else its name."""
    found = FORMSET_FIELD.match(name)
    label = found["field"] if found else name
    if model_admin is not None:
        try:
            label = str(model_admin.model._meta.get_field(label).verbose_name)
        except FieldDoesNotExist:
            pass
    label = label[:1].upper() + label[1:]
    return f"{label} ({int(found['index']) + 1})" if found else label


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
    # In the edition's language, without the database (alwaght/error_pages.py), with
    # the request's id for the reader to quote.
    return plain_page(request, "500.html", 500, {"request_id": current_request_id()})
