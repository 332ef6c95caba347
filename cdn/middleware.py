"""Add Surrogate-Key and Cache-Tag headers to pages a shared cache may store.

Placed inside the page cache (after it in MIDDLEWARE), so the keys are worked out
once when a page is rendered and stored with it; a hit replays them.
"""

from django.conf import settings
from django.utils.cache import cc_delim_re

from cdn.keys import keys_for
from web.readers import may_be_signed_in

_PRIVATE = frozenset({"private", "no-store", "no-cache"})


class SurrogateKeyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CDN_SURROGATE_KEYS and _shareable(request, response):
            scopes = getattr(request, "cache_scopes", ())  # set by the page cache
            keys = keys_for(request.path, response.content, scopes)
            response["Surrogate-Key"] = " ".join(keys)  # Fastly, Varnish (space-separated)
            response["Cache-Tag"] = ",".join(keys)  # Cloudflare (comma-separated)
        return response


def _shareable(request, response) -> bool:
    if request.method not in ("GET", "HEAD") or response.streaming or response.cookies:
        return False
    if response.status_code not in (200, 301, 404, 410):
        return False
    if may_be_signed_in(request):
        return False  # signed-in pages are never shared
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return not directives & _PRIVATE
