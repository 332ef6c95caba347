"""Anonymous full-page cache, looked up before sessions, CSRF and authentication.

Design:

* **Placement.** Right after SecurityMiddleware and WhiteNoise, so a hit costs
  a cache read and a response, about what a view without a database costs; on a
  miss the rest of the stack runs as usual and the final response is stored.
* **Who gets cached pages.** GET and HEAD of the reader addresses listed in
  pagecache/kinds.py, without an ``Authorization`` header and without the
  session cookie. Readers never get a session (reader pages touch neither the
  session nor the CSRF token: the comment form posts a signed form token
  instead), so the session cookie marks staff and whoever logged in: they
  always get a fresh page and never store one. The session is not opened to
  decide this.
* **What is stored.** 200, 301, 404 and 410 responses that set no cookie, do not
  vary on Cookie (or anything but the edition and encoding), are not streamed
  and are not marked private/no-store/no-cache (previews, the beacon, comment
  posts). Bodies are stored once in identity, gzip and brotli (entries.py).
* **Key.** Scheme, host, edition (from the path, else as LocaleMiddleware
  would choose it), path and the query parameters that select a page; others
  are dropped from the key and from the request the view sees (kinds.py), and
  only the reader's own thank-you (``?comment=sent``) passes the cache by.
* **Freshness.** An entry is fresh while the tokens of the scopes its page
  depends on are unchanged (versions.py: a change in the admin bumps them at
  once and on commit; a page read from a replica that has not replayed that
  change yet is served, not stored, and marked for no CDN to store either:
  web/replay.py) and until ``PAGE_CACHE_SECONDS`` or the next scheduled
  (un)publication (transitions.py), whichever is first. Most Viewed lists are
  themselves recomputed by the background job every ``MOST_VIEWED_CACHE_SECONDS``
  (it runs each minute), so that block may lag by up to that plus a minute plus
  ``PAGE_CACHE_SECONDS``.
* **First asks.** A page is stored from its second ask within an entry's lifetime
  (``PAGE_CACHE_STORE_FROM_SECOND_ASK``): the first leaves a marker
  (``pages:asked:``, one small write) and is rendered and sent like a stored
  page, headers included (``X-Page-Cache: first-ask``). Most of an archive's
  pages and most searches are asked once; compressing and writing each of them
  cost a first view about as much as its fragments did, and evicted pages that
  are read.
* **Stampedes.** One process per key rebuilds a stale page (a short lock taken
  with ``cache.add``); others meanwhile get the stale copy, unless the change
  removed something from readers (unpublished, deleted: a "hard" change) or a
  scheduled change passed: then they render too, as for a page never cached.
* **HTTP.** ETag (weak, over the body) and Last-Modified; If-None-Match and
  If-Modified-Since are answered 304 from the entry. Cache-Control per kind of
  page (public, max-age, s-maxage, stale-while-revalidate), never promising
  freshness past the entry's own. A reader's page that is not stored (the page
  cache off or down, a HEAD that missed) is sent the same header, worked out as if
  it were: a CDN in front keeps what it is sent either way. Someone signed in, or
  a reader shown their own write, gets ``private, no-store``.
* **Outages.** Any cache error counts as a miss: it is logged (at most once a
  minute per process) and the page is rendered and served without storing.
* **Purging.** ``manage.py purge_pages`` makes every page stale at once;
  ``--delete`` also empties the cache.
"""

import hashlib
import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DEFAULT_DB_ALIAS
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, cc_delim_re, patch_cache_control

from pagecache.entries import (
    build_entry,
    cache_control,
    figures,
    load_entry,
    resolver_match,
    respond,
    shared_cache_control,
)
from pagecache.kinds import (
    NOT_FOUND_STATUSES,
    Kind,
    bypasses,
    keyed_params,
    page_kind,
    response_profile,
)
from pagecache.transitions import (
    NEXT_CHANGE_KEY,
    next_visibility_change,
    next_visibility_change_asked,
)
from pagecache.versions import (
    CHANGED_KEY,
    HARD_KEY,
    current_versions,
    pages_cache,
    remember,
    remembered_versions,
    version_key,
)
from web.readers import may_be_signed_in
from web.replay import replayed

logger = logging.getLogger(__name__)

STORED_STATUSES = frozenset({200, 301, *NOT_FOUND_STATUSES})
NOT_FOUND_SECONDS = 60
LOCK_SECONDS = 30  # longer than any render; a crashed worker's lock lapses by itself
ERROR_LOG_INTERVAL = 60
_UNCACHEABLE_DIRECTIVES = frozenset({"private", "no-store", "no-cache"})
_ALLOWED_VARY = frozenset({"accept-encoding", "accept-language"})


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._last_error_log = 0.0

    def __call__(self, request):
        kind = page_kind(request.path_info)
        if kind is None:
            return self.get_response(request)
        # The CDN's surrogate keys name the same scopes (cdn/middleware.py).
        request.cache_scopes = kind.scopes
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if may_be_signed_in(request) or (
            request.META.get("QUERY_STRING") and bypasses(request.GET)
        ):
            # Someone signed in, or a reader shown their own write: theirs alone.
            return _kept_by_no_one(self.get_response(request))
        key = self._key_for(request, kind)
        if key is None:
            return self.get_response(request)  # a host not allowed: the full stack answers 400
        if not settings.PAGE_CACHE_ENABLED:
            return self._render_unstored(request, kind)
        try:
            return self._serve(request, key, kind)
        except _CacheDown:
            return self._render_unstored(request, kind)

    def _key_for(self, request, kind: Kind) -> str | None:
        """Return the page cache's key for this reader's request for a page of `kind`.

        With the page cache off too, the view is handed the request without the
        parameters that select nothing: it renders what the cache would have kept,
        and a CDN keeps that under the address as sent.
        """
        keyed = []
        if request.META.get("QUERY_STRING"):
            keyed = keyed_params(request.GET, kind.params)
            _select_only(request, keyed)
        query = repr(keyed) if keyed else ""
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        edition = kind.edition or translation.get_language_from_request(request)
        return f"{request.scheme}://{host}|{edition}|{request.path}|{query}"

    def _serve(self, request, url_key, kind: Kind):
        cache = pages_cache()
        key = "pages:p:" + _digest(url_key)  # entries are plain tuples: see load_entry
        version_keys = [version_key(scope) for scope in kind.scopes]
        memo_age = settings.PAGE_CACHE_VERSION_MEMO_SECONDS
        versions = remembered_versions(version_keys, memo_age) if memo_age else None
        if versions is not None:  # one read: the entry
            entry = load_entry(self._cache_call(cache.get, key))
            now = time.time()
            if entry is not None and entry.versions == versions and now < entry.fresh_until:
                return self._answer(request, entry, "hit", now, kind)
        found = self._cache_call(cache.get_many, [key, *version_keys])
        versions = self._cache_call(current_versions, cache, version_keys, found)
        remember(version_keys, versions)
        entry = load_entry(found.get(key))
        now = time.time()
        if entry is not None and entry.versions == versions and now < entry.fresh_until:
            return self._answer(request, entry, "hit", now, kind)
        state = self._cache_call(cache.get_many, [NEXT_CHANGE_KEY, CHANGED_KEY, HARD_KEY])
        if request.method == "HEAD":
            return self._render(request, kind, cache, versions, state)  # stored from GETs only
        if entry is None:
            # No copy to serve meanwhile, so no lock to take. Kept from the second ask
            # within an entry's lifetime: most of an archive's pages, and most
            # searches, are asked once, and storing them (compressing, writing,
            # evicting a page that is read) bought nothing.
            if settings.PAGE_CACHE_STORE_FROM_SECOND_ASK and self._cache_call(
                cache.add, "pages:asked:" + key[len("pages:p:") :], 1, _entry_seconds()
            ):
                response = self._render(request, kind, cache, versions, state)
                response.headers.setdefault("X-Page-Cache", "first-ask")
                return response
            return self._render(request, kind, cache, versions, state, key)

        lock_key = "pages:lock:" + key
        locked = self._cache_call(cache.add, lock_key, 1, LOCK_SECONDS)
        if not locked and entry is not None and entry.may_serve_stale(now, state.get(HARD_KEY)):
            return self._answer(request, entry, "stale", now, kind)
        try:
            return self._render(request, kind, cache, versions, state, key)
        finally:
            if locked:
                self._quietly(cache.delete, lock_key)

    @staticmethod
    def _answer(request, entry, state, now, kind):
        """Respond from `entry` as if its view had run: in the page's edition, and
        with the view's name in `request.resolver_match`.

        Middleware outside this one (the security headers choose a policy by
        view) then needs no second resolution of the address.
        """
        if kind.edition:
            translation.activate(kind.edition)
        request.resolver_match = resolver_match(entry)
        return respond(request, entry, state, now)

    def _render_unstored(self, request, kind: Kind):
        """Render a page that is not stored: the page cache is off, or down.

        A CDN in front keeps what it is sent all the same (a page without
        Cache-Control: a minute in Varnish, an hour in Fastly), so the page is sent
        with the headers a stored copy would carry, read from the same tokens.
        """
        version_keys = [version_key(scope) for scope in kind.scopes]
        try:
            cache = pages_cache()
            found = cache.get_many([*version_keys, CHANGED_KEY])
            versions = current_versions(cache, version_keys, found)
        except Exception:  # noqa: BLE001 - any backend fault: the tokens are unknown
            self._log_cache_error()
            cache, found, versions = None, {}, ("",) * len(version_keys)
        return self._render(request, kind, cache, versions, found)

    def _render(self, request, kind, cache, versions, state, key=None):
        """Render the page; store it under `key` if given and storable.

        Whether stored or not, a reader's page is sent with the Cache-Control of its
        kind, bounded as a stored copy's would be, or with no-store if no cache may
        keep it: browsers and a CDN in front keep it exactly as the page cache does.
        """
        built_at = time.time()
        now = timezone.now()
        response = self.get_response(request)
        if not self._storable(response):
            return response
        if not _current(versions, getattr(request, "reads_from", None)):
            # A replica behind the change that bumped a token: served, kept by no one.
            # The change has purged the CDN already; a copy it kept from this render
            # (a page without Cache-Control: a minute in Varnish, an hour in Fastly)
            # would show a taken-down story again until then.
            add_never_cache_headers(response)
            return response
        horizon = settings.PAGE_CACHE_SECONDS
        if response.status_code in NOT_FOUND_STATUSES:
            horizon = min(horizon, NOT_FOUND_SECONDS)
        fresh_until = built_at + horizon
        try:
            change = self._next_change(cache, state, now, horizon)
        except Exception:  # noqa: BLE001 - a database fault: serve what was rendered
            self._log_cache_error()
            add_never_cache_headers(response)  # when it stops being current is unknown
            return response
        transition_bound = change is not None and change <= fresh_until
        if transition_bound:
            fresh_until = change
        profile = response_profile(kind, response.status_code)
        if key is None or "" in versions:
            response["Cache-Control"] = shared_cache_control(
                figures(profile), fresh_until - time.time(), transition_bound
            )
            return response
        entry = build_entry(
            response,
            versions=versions,
            hard_token=state.get(HARD_KEY),
            built_at=built_at,
            fresh_until=fresh_until,
            transition_bound=transition_bound,
            profile=profile,
            match=getattr(request, "resolver_match", None),
        )
        # Kept past its freshness, to be served while it is rebuilt.
        timeout = horizon + settings.PAGE_CACHE_STALE_SECONDS
        if self._quietly(cache.set, key, tuple(entry), timeout) is _FAILED:
            response["Cache-Control"] = cache_control(entry, time.time())
            return response
        return respond(request, entry, "miss", time.time())

    def _next_change(self, cache, state, now, horizon) -> float | None:
        """Return the epoch time of the next scheduled change (None: none within reach)."""
        if cache is not None:
            # Read before the render if the cache had it then; else now, as the render
            # may have looked it up (under the change token read before it).
            known = state.get(NEXT_CHANGE_KEY) or self._quietly(cache.get, NEXT_CHANGE_KEY)
            known = None if known is _FAILED else known
            try:
                return next_visibility_change(cache, known, state.get(CHANGED_KEY), now, horizon)
            except Exception:  # noqa: BLE001 - the cache failed: ask the database
                self._log_cache_error()
        return next_visibility_change_asked(now)

    @staticmethod
    def _storable(response) -> bool:
        if response.status_code not in STORED_STATUSES or response.streaming:
            return False
        if response.cookies:
            return False
        vary = response.get("Vary")
        if vary and not {v.strip().lower() for v in cc_delim_re.split(vary)} <= _ALLOWED_VARY:
            return False
        directives = {
            part.split("=", 1)[0].strip().lower()
            for part in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        return not directives & _UNCACHEABLE_DIRECTIVES

    def _cache_call(self, function, *args):
        try:
            return function(*args)
        except Exception as error:  # any backend fault is a miss
            self._log_cache_error()
            raise _CacheDown from error

    def _quietly(self, function, *args):
        try:
            return function(*args)
        except Exception:  # noqa: BLE001 - any backend fault is a miss
            self._log_cache_error()
            return _FAILED

    def _log_cache_error(self):
        now = time.monotonic()
        if now - self._last_error_log >= ERROR_LOG_INTERVAL:
            self._last_error_log = now
            logger.warning("Page cache unavailable; serving uncached pages", exc_info=True)


class _CacheDown(Exception):
    pass


_FAILED = object()


def _entry_seconds() -> int:
    """How long a page's entry is kept at most (past its freshness, to be served
    while it is rebuilt): a first ask older than that would not have been served."""
    return settings.PAGE_CACHE_SECONDS + settings.PAGE_CACHE_STALE_SECONDS


def _current(versions, alias: str | None) -> bool:
    """Return whether a page read from database `alias` shows every change behind
    `versions` (a token "" could not be read: then only the primary is sure to)."""
    if "" in versions:
        return alias in (None, DEFAULT_DB_ALIAS)
    return replayed(versions, alias)


def _kept_by_no_one(response):
    """Mark a page shown to one person (signed in, or shown their own write) private.

    A CDN that ignores cookies (Fastly, Cloudflare with a cache-everything rule)
    would otherwise keep an editor's page, with its desk links, for every reader.
    """
    patch_cache_control(response, private=True, no_store=True)
    return response


def _select_only(request, keyed) -> None:
    """Hand the rest of the stack the request without the parameters that select nothing.

    The page is stored under the address without them, so it must be rendered
    without them: a stranger's `?x=<anything>` then costs no render (it is served
    from the entry) and cannot be echoed into a page others are served.
    """
    query = urlencode(keyed, doseq=True)
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
