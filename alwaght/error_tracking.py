"""Errors to Sentry, when SENTRY_DSN is set, with nothing personal in them.

sentry-sdk's Django integration reports unhandled errors and error-level log
records. Readers' and commenters' personal data never leaves: the SDK collects no
user, address or cookies (`data_collection`, which replaces `send_default_pii`,
left off), request bodies are not sent at all (a comment form holds a name, an
email and the text), and `scrub_event` takes out what could still carry them:
headers that name a client or a session, the query string, and any email address
or IP address in the messages, the exception values and the breadcrumbs. Each
event carries the request id (alwaght/request_trace.py) as a tag, to find the
same request's log lines.
"""

import re

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from alwaght.request_trace import current_request_id

EMAIL = re.compile(r"[^\s@<>\"']+@[^\s@<>\"']+\.[A-Za-z]{2,}")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6 = re.compile(r"\b(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{0,4}\b")
KEPT_HEADERS = {"accept", "accept-encoding", "accept-language", "content-type", "host"}
FILTERED = "[filtered]"


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float = 0.0, **options):
    """Start sending errors to Sentry (extra `options` are for tests: a transport)."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        # What the SDK itself collects (its send_default_pii successor): no user, no
        # cookies, no bodies, no query strings, no frame variables (a frame may hold
        # the comment being saved), a few harmless headers.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(KEPT_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "stack_frame_variables": False,
            "database_query_data": False,
        },
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=_scrub_breadcrumb,
        **options,
    )


def scrub(text):
    """Return `text` without email or IP addresses (other values unchanged)."""
    if not isinstance(text, str):
        return text
    return IPV6.sub(FILTERED, IPV4.sub(FILTERED, EMAIL.sub(FILTERED, text)))


def _scrub_tree(value):
    if isinstance(value, dict):
        return {key: _scrub_tree(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_tree(item) for item in value]
    return scrub(value)


def scrub_event(event, hint=None):
    """Take personal data out of an event before it is sent; tag it with the request id."""
    request = event.get("request")
    if request:
        request.pop("data", None)
        request.pop("cookies", None)
        request.pop("env", None)
        if "query_string" in request:
            request["query_string"] = FILTERED
        headers = request.get("headers") or {}
        request["headers"] = {
            name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS
        }
    event.pop("user", None)
    event.pop("server_name", None)
    for key in ("message", "logentry", "exception", "breadcrumbs", "extra", "contexts"):
        if key in event:
            event[key] = _scrub_tree(event[key])
    for frame_holder in (event.get("exception") or {}).get("values", []):
        for frame in (frame_holder.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)  # local variables may hold the comment being saved
    request_id = current_request_id()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def _scrub_breadcrumb(crumb, hint=None):
    return _scrub_tree(crumb)
