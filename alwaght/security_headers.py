"""Content-Security-Policy, Permissions-Policy and Cross-Origin-Resource-Policy.

The policy itself is in settings (CONTENT_SECURITY_POLICY, built from env);
this middleware adds what depends on the page:

* The desk (/admin/) may use inline style attributes: Django's admin widgets
  and the rich-text editor (ProseMirror) write them. Scripts stay 'self' plus a
  per-request nonce, which the article form puts on the editor's import map
  (web/csp.py, used by articles/admin/articles.py).
* Film pages may frame the allowed video hosts; no other page may frame anything.
  Decided here by the address, not by the view, so that a page served from a
  full-page cache (no view runs, nothing set on the response) gets it too.

* Previews of unpublished text (a held change, a draft) carry the reader pages'
  policy enforced even when the site sends it report-only: they show staff what
  someone else typed, inside a signed-in session (`web.csp.enforce_site_policy`).

It sits before WhiteNoise, so static files carry the same headers as pages.

Every response gets the headers, page-cache hits too, where they were the largest
part of the work: django-csp builds both policies' text afresh for each response,
and asked, twice, where the desk starts and which view a page is (~130 µs of a
cached page's ~1 ms of CPU). The text of each distinct policy is kept
(`policy_text`), and the page's allowance worked out once a response.
"""

import functools
from dataclasses import asdict
from urllib.parse import urlsplit

from csp.constants import HEADER, HEADER_REPORT_ONLY, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import Resolver404, get_script_prefix, get_urlconf, resolve, reverse

from media.models import EMBED_HOSTS
from web.csp import is_enforced_reader_page

VIDEO_FRAME_VIEWS = {"media:film"}
VIDEO_FRAMES = sorted(
    {f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for _, url in EMBED_HOSTS.values()}
)


def view_name(request, response) -> str | None:
    """Return the name of the view behind `request`'s page, resolving it when no view ran."""
    match = getattr(request, "resolver_match", None)
    if match is None and response.get("Content-Type", "").startswith("text/html"):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match.view_name if match else None


@functools.lru_cache(maxsize=8)
def _desk_path(script_prefix: str, urlconf) -> str:
    """Return where the desk's addresses start in a request's path_info."""
    return "/" + reverse("admin:index").removeprefix(script_prefix)


def is_desk_page(request) -> bool:
    return request.path_info.startswith(_desk_path(get_script_prefix(), get_urlconf()))


# The text of each policy built without a nonce, by its parts. Parts come from
# settings and a handful of allowances (and django-csp's decorators, should a
# view use them), so there are few; the bound is a guard, not an eviction.
_POLICIES: dict[tuple, str] = {}
_MAX_POLICIES = 64


def policy_text(parts: PolicyParts, report_only: bool) -> str:
    """Return build_policy() of `parts`, kept when the parts hold no nonce."""
    if parts.nonce is not None:  # one per request: nothing to keep
        return build_policy(**asdict(parts), report_only=report_only)
    key = (report_only, *map(_frozen, (parts.config, parts.update, parts.replace)))
    try:
        return _POLICIES[key]
    except KeyError:
        text = build_policy(parts.config, parts.update, parts.replace, report_only=report_only)
        if len(_POLICIES) < _MAX_POLICIES:
            _POLICIES[key] = text
        return text
    except TypeError:  # a directive's value we cannot hash: built each time
        return build_policy(**asdict(parts), report_only=report_only)


def _frozen(directives):
    if directives is None:
        return None
    return tuple(
        (name, tuple(value) if isinstance(value, list | tuple) else value)
        for name, value in directives.items()
    )


@receiver(setting_changed)
def _forget_policies(*, setting, **kwargs):
    # config=None means "the settings' policy": its text is kept under that key.
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "ROOT_URLCONF":
        _POLICIES.clear()
        _desk_path.cache_clear()


# What a page may do beyond the policy of settings, worked out once per response.
READER, DESK, VIDEO = "reader", "desk", "video"


class SitePolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the desk's and film pages' allowances and two more headers."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        allowance = self.allowance(request, response)
        if allowance == DESK:
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        elif allowance == VIDEO:
            parts.replace = {**(parts.replace or {}), "frame-src": VIDEO_FRAMES}
        return parts

    @staticmethod
    def allowance(request, response) -> str:
        try:
            return response._csp_allowance
        except AttributeError:
            pass
        if is_enforced_reader_page(response):
            allowance = READER  # a preview under /admin/ is a reader page: no desk allowances
        elif is_desk_page(request):
            allowance = DESK
        elif view_name(request, response) in VIDEO_FRAME_VIEWS:
            allowance = VIDEO
        else:
            allowance = READER
        response._csp_allowance = allowance
        return allowance

    def process_response(self, request, response):
        """Set the policies as CSPMiddleware.process_response does, from their kept text."""
        if response.status_code in (404, 500) and settings.DEBUG:
            return response  # Django's debug pages, as django-csp leaves them
        for header, report_only, exempt, setting in (
            (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = policy_text(self.get_policy_parts(request, response, report_only), report_only)
            excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(tuple(excluded))
            ):
                response[header] = policy
        if getattr(request, "_csp_nonce", None) is None:
            # As django-csp: asking for a nonce once the header is written is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if settings.CROSS_ORIGIN_RESOURCE_POLICY:
            response.headers.setdefault(
                "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
            )
        return response
