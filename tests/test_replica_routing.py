"""Which database each kind of request reads from, with one replica configured."""

import pytest
from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory
from django.urls import resolve
from django.utils.functional import SimpleLazyObject

from alwaght import replicas
from alwaght.replicas import ReplicaMiddleware, ReplicaRouter, read_alias
from articles.models import Article

ARTICLE = "/en/news/1/a-story/"
USABLE = replicas._usable
PRIMARY = "default"


@pytest.fixture(autouse=True)
def one_replica(settings, monkeypatch):
    """A replica that answers and keeps up (the decisions here need no real one; see the
    last test, and tests/test_streaming_replica.py for lag)."""
    monkeypatch.setattr(replicas, "_usable", lambda alias: True)
    settings.DATABASE_REPLICAS = ["replica_1"]
    settings.DATABASE_REPLICA_PIN_SECONDS = 5
    settings.TRUSTED_PROXIES = 0
    return settings


def never_opened():
    pytest.fail("the session was opened to route the request")  # it would add Vary: Cookie


def reads_from(method, path, *, session=False, ip="198.51.100.7", data=None):
    """Send a request through the middleware; return where the view's reads went.

    `session`: the request carries the session cookie, as a signed-in browser's does.
    """
    request = getattr(RequestFactory(), method.lower())(path, data or {}, REMOTE_ADDR=ip)
    if session:
        request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session-key"
    request.user = SimpleLazyObject(never_opened)
    seen = {}

    def view(request):
        seen["read"] = ReplicaRouter().db_for_read(Article) or PRIMARY
        seen["write"] = ReplicaRouter().db_for_write(Article)
        return HttpResponseRedirect("/") if method == "POST" else HttpResponse()

    def handler(request):
        match = resolve(request.path_info)
        request.resolver_match = match
        middleware.process_view(request, match.func, match.args, match.kwargs)
        return view(request)

    middleware = ReplicaMiddleware(handler)
    middleware(request)
    assert seen["write"] == PRIMARY  # writes never go to a replica
    assert read_alias() is None  # nothing leaks into the next request
    return seen["read"]


@pytest.mark.parametrize(
    "path", [ARTICLE, "/en/", "/en/section/news/", "/en/feed/", "/en/search/?q=gulf"]
)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_anonymous_reader_pages_read_from_the_replica(method, path):
    assert reads_from(method, path) == "replica_1"


def test_without_replicas_everything_reads_from_the_primary(settings):
    settings.DATABASE_REPLICAS = []

    assert reads_from("GET", ARTICLE) == PRIMARY


def test_whoever_carries_the_session_cookie_reads_from_the_primary():
    # Staff and signed-in readers: decided from the cookie, the session never opened.
    assert reads_from("GET", ARTICLE, session=True) == PRIMARY
    assert reads_from("GET", ARTICLE) == "replica_1"  # and never opened for readers either


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/admin/articles/article/"])
def test_the_admin_reads_from_the_primary_even_before_signing_in(path):
    assert reads_from("GET", path) == PRIMARY


def test_the_comment_post_and_its_thank_you_read_from_the_primary():
    assert reads_from("POST", "/en/comments/1/") == PRIMARY
    # The redirect's marker, for when the pin is in another process's memory.
    assert reads_from("GET", ARTICLE + "?comment=sent", ip="192.0.2.1") == PRIMARY


def test_a_client_that_wrote_reads_from_the_primary_for_a_few_seconds():
    reads_from("POST", "/en/comments/1/", ip="203.0.113.5")

    assert reads_from("GET", ARTICLE, ip="203.0.113.5") == PRIMARY
    assert reads_from("GET", ARTICLE, ip="203.0.113.6") == "replica_1"  # others unaffected


def test_the_pin_expires(one_replica):
    one_replica.DATABASE_REPLICA_PIN_SECONDS = -1  # stored already expired
    reads_from("POST", "/en/comments/1/", ip="203.0.113.5")

    assert reads_from("GET", ARTICLE, ip="203.0.113.5") == "replica_1"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_view_beacon_reads_from_the_primary_and_pins_nobody(method):
    assert reads_from(method, "/beacon/articles/1/view", ip="203.0.113.8") == PRIMARY

    assert reads_from("GET", ARTICLE, ip="203.0.113.8") == "replica_1"


def test_a_broken_cache_sends_reads_to_the_primary(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(replicas.cache, "get", broken)

    assert reads_from("GET", ARTICLE) == PRIMARY


def test_migrations_and_relations():
    router = ReplicaRouter()

    assert router.allow_migrate("default", "articles") is True
    assert router.allow_migrate("replica_1", "articles") is False
    assert router.allow_relation(object(), object()) is True


def test_an_unreachable_replica_sends_readers_to_the_primary(
    settings, django_db_blocker, monkeypatch, caplog
):
    from django.db import connections

    from tests.servers import free_port

    dead = {**connections["default"].settings_dict, "HOST": "127.0.0.1", "PORT": free_port()}
    connections.settings["replica_dead"] = dead
    settings.DATABASE_REPLICAS = ["replica_dead"]
    monkeypatch.setattr(replicas, "_down_until", {})
    monkeypatch.setattr(replicas, "_usable", USABLE)
    try:
        with django_db_blocker.unblock():
            assert reads_from("GET", ARTICLE) == PRIMARY
            assert "replica_dead is unreachable" in caplog.text
            caplog.clear()
            assert reads_from("GET", ARTICLE) == PRIMARY  # not tried again at once
            assert "unreachable" not in caplog.text
    finally:
        connections["replica_dead"].close()
        del connections["replica_dead"]
        del connections.settings["replica_dead"]


# --- Lag checks: the decisions, with scripted answers (tests/test_streaming_replica.py
# runs them against a real replica whose replay is paused) ---------------------------


class ScriptedDatabase:
    """A connection whose one-row answers (or errors) a test sets; counts its queries."""

    def __init__(self, row=None, error=None):
        self.row, self.error, self.queries = row, error, 0

    def cursor(self):
        database = self

        class Cursor:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute(self, sql, params=()):
                database.queries += 1
                if database.error:
                    raise database.error

            def fetchone(self):
                return database.row

        return Cursor()


@pytest.fixture
def lag(settings, monkeypatch):
    """Scripted primary and replica answers; a clock the test moves."""
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 10
    clock = {"now": 1000.0}
    databases = {
        "default": ScriptedDatabase(row=("0/3000000",)),
        "replica_1": ScriptedDatabase(row=(True, 3600.0)),
    }
    monkeypatch.setattr(replicas, "connections", databases)
    monkeypatch.setattr(replicas, "_lag", {})
    monkeypatch.setattr(replicas, "_down_until", {})
    monkeypatch.setattr(replicas, "clock", lambda: clock["now"])

    class Lag:
        primary, replica = databases["default"], databases["replica_1"]

        @staticmethod
        def behind():
            return replicas._too_far_behind("replica_1")

        @staticmethod
        def wait(seconds):
            clock["now"] += seconds

    return Lag


def test_a_replica_that_replayed_everything_is_not_behind_however_quiet_the_primary(lag):
    lag.replica.row = (True, 3600.0)  # caught up; last commit an hour ago

    assert lag.behind() is False


def test_the_lag_is_checked_at_most_every_few_seconds_per_process(lag):
    lag.behind()
    lag.behind()
    assert (lag.primary.queries, lag.replica.queries) == (1, 1)

    lag.wait(replicas.LAG_CHECK_SECONDS)
    lag.behind()
    assert (lag.primary.queries, lag.replica.queries) == (2, 2)


def test_behind_the_primary_the_lag_is_the_smaller_bound(lag):
    lag.behind()  # caught up at t = 1000
    lag.replica.row = (False, 3600.0)  # the first write after an hour's quiet, not replayed
    lag.wait(3)
    assert lag.behind() is False  # 3 s since it was seen caught up, not an hour

    lag.wait(8)
    assert lag.behind() is True  # 11 s without catching up

    lag.replica.row = (False, 2.0)  # replaying again, two seconds behind
    lag.wait(replicas.LAG_CHECK_SECONDS)
    assert lag.behind() is False


def test_an_unknown_lag_counts_as_too_much(lag):
    lag.replica.row = (False, None)  # never replayed a commit, never seen caught up

    assert lag.behind() is True


def test_without_a_limit_nothing_is_asked(lag, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0

    assert lag.behind() is False
    assert lag.primary.queries == lag.replica.queries == 0


def test_a_replica_failing_the_check_counts_as_down(lag, caplog):
    from django.db import OperationalError

    lag.replica.error = OperationalError("server closed the connection")

    assert lag.behind() is True
    assert replicas._down_until["replica_1"] > 1000
    assert "did not answer the lag check" in caplog.text


def test_a_primary_failing_the_check_leaves_the_last_verdict(lag, caplog):
    from django.db import OperationalError

    lag.replica.row = (False, 60.0)
    assert lag.behind() is True
    lag.primary.error = OperationalError("primary down")
    lag.replica.row = (True, 0.0)
    lag.wait(replicas.LAG_CHECK_SECONDS)

    assert lag.behind() is True
    assert "Primary did not answer" in caplog.text
