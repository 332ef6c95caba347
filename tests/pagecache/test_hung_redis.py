"""A Redis that accepts connections and never answers (paused, not dead) costs a
page one socket timeout, for every Redis-backed alias, as settings.py builds them.

The server is a few lines of `socket`: it accepts and holds every connection and
never writes a byte, as Redis does under `kill -STOP`. Times are measured with a
monotonic clock; nothing sleeps.
"""

import runpy
import socket
import threading
import time

import pytest
from django.core.cache import caches

import alwaght.settings
from tests.pagecache.conftest import state
from web import cache as fail_safe

pytestmark = pytest.mark.django_db

TIMEOUT = alwaght.settings.REDIS_TIMEOUT_SECONDS  # DJANGO_CACHE_TIMEOUT_MS
SLACK = 1.0  # a loaded shared machine's scheduling; far below the 5 s the client waits by default
PAGES = ("front", "article", "section", "tag", "topic", "feed", "gallery", "sitemap")


@pytest.fixture
def hung_redis():
    """Yield the URL of a server that accepts connections and never answers, and them."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)  # so the accepting thread notices the end of the test
    held: list[socket.socket] = []
    done = threading.Event()

    def accept():
        while not done.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0", held
    done.set()
    thread.join()
    server.close()
    for connection in held:
        connection.close()


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch):
    """No server is remembered as hung from another test."""
    monkeypatch.setattr(fail_safe, "_hung_until", {})


def production_caches(url, monkeypatch) -> dict:
    """Return CACHES as alwaght/settings.py builds them with REDIS_URL=url."""
    monkeypatch.setenv("REDIS_URL", url)
    return runpy.run_path(alwaght.settings.__file__)["CACHES"]


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_every_redis_alias_gives_up_on_a_hung_server_within_the_timeout(
    hung_redis, settings, monkeypatch
):
    url, held = hung_redis
    settings.CACHES = production_caches(url, monkeypatch)

    for alias in ("default", "pages"):
        fail_safe._hung_until.clear()  # each alias pays its own timeout here
        missed, elapsed = timed(lambda alias=alias: caches[alias].get("key", "missed"))

        assert missed == "missed"
        assert TIMEOUT * 0.9 <= elapsed < TIMEOUT + SLACK, (alias, elapsed)  # it did wait
    assert len(held) == 2, held  # each alias really connected, and waited for an answer


def test_pages_answer_within_one_timeout_while_redis_hangs(
    hung_redis, settings, monkeypatch, client, site
):
    url, _held = hung_redis
    urls = [site["urls"][page] for page in PAGES]
    for address in urls:  # templates compiled, as in a running worker
        client.get(address)
    settings.PAGE_CACHE_ENABLED = False  # the same renders, with no cache at all
    healthy = sum(timed(lambda address=address: client.get(address))[1] for address in urls)
    settings.PAGE_CACHE_ENABLED = True
    settings.CACHES = production_caches(url, monkeypatch)

    answers = [timed(lambda address=address: client.get(address)) for address in urls]

    assert [response.status_code for response, _ in answers] == [200] * len(urls)
    assert {state(response) for response, _ in answers} == {None}  # rendered, not stored
    hung = sum(elapsed for _, elapsed in answers)
    # One timeout for the whole run, not one per cache call (before: 0.25 s per call,
    # dozens per page: 10 s for the front page; with no timeout on "pages", 27 s).
    assert hung < healthy + TIMEOUT + SLACK, (hung, healthy)


def test_a_hung_server_is_tried_again_after_a_while(hung_redis, settings, monkeypatch):
    url, held = hung_redis
    settings.CACHES = production_caches(url, monkeypatch)
    now = [1000.0]
    monkeypatch.setattr(fail_safe, "clock", lambda: now[0])
    cache = caches["default"]

    _, first = timed(lambda: cache.get("key"))
    _, skipped = timed(lambda: caches["pages"].get_many(["a", "b"]))  # the same server
    now[0] += fail_safe.HUNG_SECONDS
    _, again = timed(lambda: cache.get("key"))

    assert first >= TIMEOUT * 0.9 and again >= TIMEOUT * 0.9
    assert skipped < TIMEOUT / 5
    assert len(held) == 2  # the skipped call did not even connect


def test_a_change_is_written_even_just_after_a_timeout(hung_redis, settings, monkeypatch):
    from web.scopes import scopes_changed

    url, held = hung_redis
    settings.CACHES = production_caches(url, monkeypatch)
    caches["pages"].get("key")  # times out: the server counts as hung
    connections = len(held)

    _, elapsed = timed(lambda: scopes_changed(["ed:en"]))

    assert elapsed >= TIMEOUT * 0.9  # tried, not skipped: a lost bump leaves pages stale
    assert len(held) == connections + 1


def test_a_refused_connection_is_not_remembered(settings, monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nobody listens once it is closed
    settings.CACHES = production_caches(f"redis://127.0.0.1:{port}/0", monkeypatch)

    assert caches["default"].get("key", "missed") == "missed"

    assert fail_safe._hung_until == {}  # Redis restarted a moment later is used at once
