"""Tell the CDN or caching proxy in front which surrogate keys are stale.

The backend is chosen by ALWAGHT_CDN_PURGE (CDN_PURGE_BACKEND):

* `none` (default): nothing in front, or a CDN left to expire pages by s-maxage.
* `http`: an HTTP request per URL in ALWAGHT_CDN_PURGE_URLS with the keys in a
  Surrogate-Key header: method PURGE for Varnish (deploy/varnish/default.vcl
  bans by key), or POST to https://api.fastly.com/service/ID/purge with
  ALWAGHT_CDN_PURGE_HEADERS="Fastly-Key: TOKEN" for Fastly.
* `cloudflare`: Cloudflare's purge-by-tag API (Cache-Tag headers), with
  ALWAGHT_CLOUDFLARE_ZONE_ID and ALWAGHT_CLOUDFLARE_API_TOKEN.

Purges run once the change is committed (web/scopes.py sends `scopes_touched`), with
short timeouts; a CDN outage is
logged and never fails the editor's save (pages then expire by s-maxage).
"""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

BACKENDS = {
    "none": "cdn.purge.NoPurge",
    "http": "cdn.purge.HttpPurge",
    "cloudflare": "cdn.purge.CloudflarePurge",
}
TIMEOUT_SECONDS = 3
CLOUDFLARE_TAGS_PER_CALL = 30  # the API's limit per purge request


class NoPurge:
    def purge(self, keys: list[str]) -> None:
        pass


class HttpPurge:
    """PURGE (or POST) each configured URL with a Surrogate-Key header."""

    def purge(self, keys: list[str]) -> None:
        headers = {"Surrogate-Key": " ".join(keys), **_parse_headers(settings.CDN_PURGE_HEADERS)}
        for url in settings.CDN_PURGE_URLS:
            method = settings.CDN_PURGE_METHOD
            _send(urllib.request.Request(url, method=method, headers=headers))  # noqa: S310


class CloudflarePurge:
    """Purge by Cache-Tag through Cloudflare's API (tags in batches it accepts)."""

    API = "https://api.cloudflare.com/client/v4/zones/{zone}/purge_cache"

    def purge(self, keys: list[str]) -> None:
        url = settings.CDN_CLOUDFLARE_API_URL or self.API.format(
            zone=settings.CDN_CLOUDFLARE_ZONE_ID
        )
        for start in range(0, len(keys), CLOUDFLARE_TAGS_PER_CALL):
            body = json.dumps({"tags": keys[start : start + CLOUDFLARE_TAGS_PER_CALL]}).encode()
            request = urllib.request.Request(  # noqa: S310 - _send allows only http(s)
                url,
                data=body,
                method="POST",
                headers={
                    "Authorization": f"Bearer {settings.CDN_CLOUDFLARE_API_TOKEN}",
                    "Content-Type": "application/json",
                },
            )
            _send(request)


def _send(request: urllib.request.Request) -> None:
    # The operator's URL, but only over HTTP(S): never file: or a custom scheme
    # (every Request above is sent through here, hence their noqa).
    if request.type not in ("http", "https"):
        raise ValueError(f"CDN purge URLs must be http(s), not {request.full_url!r}")
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):  # noqa: S310 - checked above
        pass


def backend():
    name = settings.CDN_PURGE_BACKEND
    return import_string(BACKENDS.get(name, name))()


def scopes_touched_purge(sender, scopes, **kwargs) -> None:
    """Purge the scopes a committed change touched: they are the pages' surrogate keys."""
    purge_keys(scopes)


def purge_keys(keys) -> None:
    """Purge `keys` from the CDN now (a failure is logged, never raised)."""
    keys = list(dict.fromkeys(key for key in keys if key))
    if not keys or settings.CDN_PURGE_BACKEND == "none":
        return
    try:
        backend().purge(keys)
    except Exception:  # the CDN's outage must not fail the editor's save
        logger.exception("CDN purge of %s failed; those pages expire by s-maxage", keys)


def _parse_headers(text: str) -> dict[str, str]:
    headers = {}
    for line in text.split(";"):
        name, sep, value = line.partition(":")
        if sep and name.strip():
            headers[name.strip()] = value.strip()
    return headers
