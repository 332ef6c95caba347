"""Every request traced: an id, its page kind, what the page cache did, how long, the status.

RequestTraceMiddleware is the first middleware, so it sees what the page cache
answers before the rest of the stack runs (hits carry `X-Page-Cache` and the
view's name in `request.resolver_match`), static files, and the 503 outage and
500 pages. For each request it:

- gives it an id: the one a trusted proxy sent (nginx's `$request_id` in
  `X-Request-ID`, kept only with DJANGO_TRUSTED_PROXIES set and when it looks like
  one), else a new one; every log record made meanwhile carries it
  (RequestIdFilter), the response returns it in `X-Request-ID`, and the 500 and
  503 pages show it, so a reader's report can be traced to the log;
- counts it in the metrics (web/metrics.py) by page kind, status and page-cache
  outcome;
- logs one line on "alwaght.requests" with the same facts and the duration.
  Neither the query string nor the reader's address is logged.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings

from web import metrics

logger = logging.getLogger("alwaght.requests")

HEADER = "X-Request-ID"
_INCOMING = re.compile(r"[A-Za-z0-9._-]{8,64}")
_request_id: ContextVar[str] = ContextVar("request_id", default="")

# View names (namespace:name) to the page kinds dashboards group by; any other
# view is its own kind under its name, so the labels stay a small, known set.
KINDS = {
    "articles:front": "front",
    "articles:detail": "article",
    "articles:detail-no-slug": "article",
    "articles:preview": "preview",
    "articles:archive": "archive",
    "articles:section": "section",
    "articles:tag": "tag",
    "articles:author": "author",
    "articles:search": "search",
    "topics:detail": "topic",
    "topics:index": "topic-index",
    "media:index": "gallery",
    "media:films": "gallery",
    "media:gallery": "gallery",
    "media:film": "film",
    "media:maps": "map",
    "media:map": "map",
    "popularity:most-viewed": "most-viewed",
    "popularity:most-viewed-period": "most-viewed",
    "beacon:view-beacon": "beacon",
    "comments:post": "comment-post",
    "pages:page": "standing-page",
    "sitemap": "sitemap",
    "sitemap-news": "sitemap",
    "sitemap-section": "sitemap",
    "robots": "robots",
    "healthz": "health",
    "readyz": "health",
    "healthz-background": "health",
    "metrics": "metrics",
}


def current_request_id() -> str:
    """Return the id of the request being answered ("" outside one)."""
    return _request_id.get()


def page_kind(request) -> str:
    """Return the kind of page `request` asked for, for labels and the log."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        if request.path_info.startswith(settings.STATIC_URL):
            return "static"
        return "unmatched"  # no address matched: a 404 (or a redirect added by a middleware)
    if match.view_name in KINDS:
        return KINDS[match.view_name]
    if "admin" in match.namespaces:
        return "desk"
    if match.url_name and match.url_name.endswith(("feed", "feed-atom")):
        return "feed"
    return match.view_name or "other"


class RequestIdFilter(logging.Filter):
    """Put the current request's id on every log record (empty outside a request)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class RequestTraceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request_id = self._incoming_id(request) or uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            response[HEADER] = request_id
            kind = page_kind(request)
            cache = response.get("X-Page-Cache", "bypass")
            metrics.request_observed(
                kind=kind, status=response.status_code, seconds=seconds, page_cache=cache
            )
            logger.info(
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                seconds * 1000,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "kind": kind,
                    "cache": cache,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 2),
                },
            )
            return response
        finally:
            _request_id.reset(token)

    @staticmethod
    def _incoming_id(request) -> str | None:
        if not settings.TRUSTED_PROXIES:
            return None  # anyone could choose it: make one
        value = request.META.get("HTTP_X_REQUEST_ID", "")
        return value if _INCOMING.fullmatch(value) else None
