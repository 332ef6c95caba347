"""Refuse admin addresses and query parameters that would otherwise reach PostgreSQL and fail.

Django's changelist turns any `?field__lookup=value` into SQL, and our own admin
views (tag suggestions, the photo picker) search with what they are given. A NUL
byte, an invalid regular expression or an out-of-range number made PostgreSQL
raise DataError, which surfaced as a 500. The address itself is checked too:
`/admin/articles/article/1%00/history/` reached PostgreSQL with the NUL in the
object id (reversion's history looks versions up by the id as text). Every admin
view goes through `guard_admin_view()` (wired in NewsroomAdminSite.admin_view),
so the rule holds for views written later too.
"""

import logging
import re
import warnings
from functools import wraps

from django.db import DataError, transaction
from django.http import HttpResponseBadRequest

from web.text import has_unsafe_characters

logger = logging.getLogger(__name__)

REGEX_LOOKUPS = ("__regex", "__iregex")


def bad_parameter(query) -> str | None:
    """Return why a GET parameter of `query` (a QueryDict) is refused, or None."""
    for key, values in query.lists():
        if has_unsafe_characters(key) or any(has_unsafe_characters(v) for v in values):
            return "control character"
        if key.endswith(REGEX_LOOKUPS):
            for value in values:
                try:
                    with warnings.catch_warnings():  # "possible nested set" and the like
                        warnings.simplefilter("ignore")
                        re.compile(value)
                except re.error:
                    return "invalid regular expression"
    return None


def guard_admin_view(view):
    """Wrap an admin view: 400 for refused parameters or a query PostgreSQL rejects."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if has_unsafe_characters(request.path_info):
            return HttpResponseBadRequest("Bad request: control character in the address.")
        reason = bad_parameter(request.GET)
        if reason:
            return HttpResponseBadRequest(f"Bad request: {reason} in the address.")
        if not request.GET or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        # Only a read with parameters can carry a filter that PostgreSQL refuses
        # where Python did not (its regex dialect differs, numbers overflow), or a
        # date Python cannot build (`?publish_at__year=99999999999`). The
        # savepoint keeps the connection usable after such an error; the response
        # is rendered inside it because the changelist's rows are read on render.
        try:
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
        except (DataError, OverflowError, ValueError):
            logger.warning("Admin refused the parameters of %s", request.path, exc_info=True)
            return HttpResponseBadRequest("Bad request: a filter the database cannot run.")
        return response

    return guarded
