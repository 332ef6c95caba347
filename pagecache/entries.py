"""A cached page: its final bytes in each encoding, its headers, and when it stales.

Bodies are compressed once, when the page is stored (gzip always, brotli too),
and each reader gets the best encoding their Accept-Encoding allows. ETag and
Last-Modified are computed then too, so a conditional GET is answered 304 from
the entry alone.
"""

import gzip
import hashlib
from functools import lru_cache
from typing import NamedTuple

import brotli
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import ResolverMatch
from django.utils.http import http_date, parse_etags, parse_http_date_safe

MIN_COMPRESS_BYTES = 200  # below this, compression saves nothing worth a header
GZIP_LEVEL = 6
# Quality 5: an article page (34 KB) in 0.3 ms and 5,779 bytes; 9 took 6.5 ms for
# 5,725 (1 % smaller), most of a first view's CPU, as every page stored paid it
# (docs/benchmarks.md). Above 6 the encoder's cost jumps, the output hardly shrinks.
BROTLI_QUALITY = 5

# Headers the entry decides itself (or that must never be replayed).
_OWN_HEADERS = frozenset(
    {
        "cache-control",
        "content-encoding",
        "content-length",
        "date",
        "etag",
        "expires",
        "last-modified",
        "set-cookie",
        "vary",
        "x-page-cache",
    }
)


class Entry(NamedTuple):
    versions: tuple[str, ...]  # scope tokens it was built under
    hard_token: str | None  # pages:hard when it was built
    built_at: float
    fresh_until: float  # epoch; never past the next visibility change
    transition_bound: bool  # fresh_until is a scheduled change: never served stale
    status: int
    headers: tuple[tuple[str, str], ...]
    vary: str
    bodies: dict[str, bytes]  # "identity", and "gzip"/"br" when worth it
    etag: str
    last_modified: str
    profile: tuple[int, int, int]  # max-age, s-maxage, stale-while-revalidate
    route: tuple | None  # (url_name, app_names, namespaces, route) of the view that ran

    def may_serve_stale(self, now: float, hard_token) -> bool:
        """Return whether others may get this copy while it is being rebuilt."""
        if self.hard_token != hard_token:
            return False
        return not (self.transition_bound and now >= self.fresh_until)


def figures(profile) -> tuple[int, int, int]:
    """Return a kind's Cache-Control profile as stored: (max-age, s-maxage, swr)."""
    return (profile.max_age, profile.s_maxage, profile.stale_while_revalidate)


def build_entry(
    response, *, versions, hard_token, built_at, fresh_until, transition_bound, profile, match
):
    body = response.content
    bodies = {"identity": body}
    if len(body) >= MIN_COMPRESS_BYTES:
        bodies["gzip"] = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        bodies["br"] = brotli.compress(body, quality=BROTLI_QUALITY)
    vary = ["Accept-Encoding"]
    if "accept-language" in response.get("Vary", "").lower():
        vary.append("Accept-Language")
    headers = tuple(
        (name, value) for name, value in response.items() if name.lower() not in _OWN_HEADERS
    )
    return Entry(
        versions=versions,
        hard_token=hard_token,
        built_at=built_at,
        fresh_until=fresh_until,
        transition_bound=transition_bound,
        status=response.status_code,
        headers=headers,
        vary=", ".join(vary),
        bodies=bodies,
        etag=f'W/"{hashlib.blake2b(body, digest_size=12).hexdigest()}"',
        last_modified=http_date(built_at),
        profile=figures(profile),
        route=(
            (match.url_name, tuple(match.app_names), tuple(match.namespaces), match.route)
            if match is not None
            else None
        ),
    )


def served_from_cache(request, *args, **kwargs):
    """Stand in for the view in `request.resolver_match` when a page came from the cache."""
    raise RuntimeError("Pages served from the page cache run no view.")


def resolver_match(entry: Entry) -> ResolverMatch | None:
    """Return a match naming the view that made `entry`, so no one resolves the path again."""
    if entry.route is None:
        return None
    url_name, app_names, namespaces, route = entry.route
    return ResolverMatch(served_from_cache, (), {}, url_name, app_names, namespaces, route)


def load_entry(raw) -> Entry | None:
    """Return the Entry stored as `raw` (a plain tuple), or None if not of this format.

    Entries are stored as tuples of built-in types, so a deploy that changes
    Entry never fails to unpickle an older one: it is a miss, and is replaced.
    """
    if type(raw) is not tuple or len(raw) != len(Entry._fields):
        return None
    return Entry._make(raw)


@lru_cache(maxsize=512)
def preferred_encoding(accept_encoding: str) -> tuple[str, ...]:
    """Return the encodings a client takes, best first, from its Accept-Encoding."""
    weights = {}
    for part in accept_encoding.lower().split(","):
        name, _sep, params = part.partition(";")
        weight = 1.0
        params = params.replace(" ", "")
        if params.startswith("q="):
            try:
                weight = float(params[2:])
            except ValueError:
                weight = 0.0
        weights[name.strip()] = weight
    wildcard = weights.get("*", 0.0)
    return tuple(name for name in ("br", "gzip") if weights.get(name, wildcard) > 0)


def cache_control(entry: Entry, now: float, stale: bool = False) -> str:
    """Return Cache-Control for `entry`: its profile, never past its freshness."""
    left = 0 if stale else entry.fresh_until - now
    return shared_cache_control(entry.profile, left, entry.transition_bound)


def shared_cache_control(profile: tuple[int, int, int], left: float, transition_bound: bool) -> str:
    """Return Cache-Control for a page of `profile` fresh `left` seconds more.

    No stale-while-revalidate for a page whose freshness ends at a scheduled change:
    a copy served past it would show what the clock has taken away (or not yet what
    it brings).
    """
    max_age, s_maxage, stale_while_revalidate = profile
    left = max(int(left), 0)
    value = f"public, max-age={min(max_age, left)}, s-maxage={min(s_maxage, left)}"
    if stale_while_revalidate and not transition_bound:
        value += f", stale-while-revalidate={stale_while_revalidate}"
    return value


def is_not_modified(request, entry: Entry) -> bool:
    """Return whether the client's copy (If-None-Match, else If-Modified-Since) is current."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if_modified_since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if entry.status != 200 or not (if_none_match or if_modified_since):
        return False
    if if_none_match:
        tags = parse_etags(if_none_match)
        return "*" in tags or _weak(entry.etag) in {_weak(tag) for tag in tags}
    since = parse_http_date_safe(if_modified_since)
    return since is not None and int(entry.built_at) <= since


def _weak(etag: str) -> str:
    return etag.removeprefix("W/")


def respond(request, entry: Entry, state: str, now: float) -> HttpResponse:
    """Return the response for `entry`: 304, or its body in the client's best encoding."""
    if is_not_modified(request, entry):
        response = HttpResponseNotModified()
    else:
        encoding = "identity"
        if len(entry.bodies) > 1:
            for name in preferred_encoding(request.META.get("HTTP_ACCEPT_ENCODING", "")):
                encoding = name
                break
        body = entry.bodies[encoding]
        response = HttpResponse(b"" if request.method == "HEAD" else body, status=entry.status)
        for name, value in entry.headers:
            response.headers[name] = value
        if encoding != "identity":
            response.headers["Content-Encoding"] = encoding
        response.headers["Content-Length"] = str(len(body))
    response.headers["Vary"] = entry.vary
    response.headers["ETag"] = entry.etag
    response.headers["Last-Modified"] = entry.last_modified
    response.headers["Cache-Control"] = cache_control(entry, now, stale=state == "stale")
    response.headers["X-Page-Cache"] = state
    return response
