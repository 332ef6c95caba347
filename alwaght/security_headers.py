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
"""

from urllib.parse import urlsplit

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import Resolver404, resolve, reverse

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


class SitePolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the desk's and film pages' allowances and two more headers."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if is_enforced_reader_page(response):
            return parts  # a preview under /admin/ is a reader page: no desk allowances
        if request.path_info.startswith(reverse("admin:index")):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        elif view_name(request, response) in VIDEO_FRAME_VIEWS:
            parts.replace = {**(parts.replace or {}), "frame-src": VIDEO_FRAMES}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if settings.CROSS_ORIGIN_RESOURCE_POLICY:
            response.headers.setdefault(
                "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
            )
        return response
