"""Database or cache down: 503 pages or degraded pages, never a 500; nothing typed is lost."""

import time

import pytest
from django.db import connection
from django.test import Client, override_settings

from comments.forms import form_token
from comments.models import Comment

DEAD_REDIS = {
    "default": {
        "BACKEND": "web.cache.FailSafeRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def database_down():
    """Point the connection at a port nobody listens on; put it back afterwards."""

    def stop():
        connection.close()
        connection.settings_dict["PORT"] = "1"

    def start():
        connection.close()
        connection.settings_dict["PORT"] = original

    original = connection.settings_dict["PORT"]
    yield stop, start
    start()


@pytest.fixture
def reader():
    # Exceptions must become responses as in production, not be re-raised.
    return Client(raise_request_exception=False)


def comment_data(article, text):
    return {
        "name": "Leila",
        "email": "leila@example.org",
        "text": text,
        "website": "",
        "token": form_token(article.pk, now=time.time() - 60),
    }


@pytest.mark.django_db(transaction=True)
def test_database_down_gives_503_with_retry_after_and_recovers(reader, reader_pages, database_down):
    article, urls = reader_pages
    stop, start = database_down
    pages = [url for url in urls if "sitemap" not in url and url != "/robots.txt"]

    stop()
    statuses = {url: reader.get(url) for url in pages}
    start()
    after = {url: reader.get(url).status_code for url in pages}

    assert {url: r.status_code for url, r in statuses.items()} == dict.fromkeys(pages, 503)
    for response in statuses.values():
        assert response["Retry-After"] == "30"
        assert "no-cache" in response["Cache-Control"]
        assert "We will be back in a moment" in response.content.decode()
    assert after == dict.fromkeys(pages, 200)


@pytest.mark.django_db(transaction=True)
def test_a_comment_sent_while_the_database_is_down_comes_back_to_send_again(
    reader, reader_pages, database_down, settings
):
    settings.COMMENTS_MIN_SECONDS = 0
    article, _ = reader_pages
    stop, start = database_down
    text = "My <b>careful</b> thoughts\non the talks."

    stop()
    response = reader.post(f"/en/comments/{article.pk}/", comment_data(article, text))
    start()

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Your comment was not sent" in page
    assert "My &lt;b&gt;careful&lt;/b&gt; thoughts\non the talks.</textarea>" in page
    assert 'value="Leila"' in page
    assert f'action="/en/comments/{article.pk}/"' in page
    # The form on the outage page sends it once the database is back.
    again = reader.post(f"/en/comments/{article.pk}/", comment_data(article, text))
    assert again.status_code == 303
    assert Comment.objects.filter(text=text).exists()


@pytest.mark.django_db(transaction=True)
def test_health_endpoints(reader, database_down):
    stop, start = database_down

    assert reader.get("/healthz").status_code == 200
    ready = reader.get("/readyz")
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ok", "database": True, "cache": True},
    )
    assert "no-cache" in ready["Cache-Control"]

    stop()
    alive, down = reader.get("/healthz"), reader.get("/readyz")
    start()

    assert alive.status_code == 200
    assert (down.status_code, down.json()["database"]) == (503, False)
    with override_settings(CACHES=DEAD_REDIS):
        assert reader.get("/readyz").json() == {
            "status": "unavailable",
            "database": True,
            "cache": False,
        }


@pytest.mark.django_db
def test_cache_down_the_site_keeps_serving(reader, reader_pages, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    article, urls = reader_pages

    with override_settings(CACHES=DEAD_REDIS):
        statuses = {url: reader.get(url).status_code for url in urls}
        beacon = reader.post(
            f"/beacon/articles/{article.pk}/view", headers={"User-Agent": "Mozilla/5.0"}
        )
        sent = reader.post(f"/en/comments/{article.pk}/", comment_data(article, "Still here."))

    assert statuses == dict.fromkeys(urls, 200)
    assert beacon.status_code == 204
    assert sent.status_code == 303
    assert Comment.objects.filter(text="Still here.").exists()


def test_a_cache_that_does_not_answer_misses_and_logs_once(caplog):
    from django.core.cache import caches

    with override_settings(CACHES=DEAD_REDIS):
        cache = caches["default"]
        with caplog.at_level("WARNING", logger="web.cache"):
            assert cache.get("k", "default") == "default"
            assert cache.get_many(["a", "b"]) == {}
            assert cache.add("k", 1) is False
            cache.set("k", 1)
            assert cache.set_many({"a": 1}) == ["a"]
            with pytest.raises(ValueError):
                cache.incr("k")
    assert len([r for r in caplog.records if r.name == "web.cache"]) <= 1


@pytest.fixture
def redis_server(tmp_path):
    """Start a throwaway redis-server on a free port; yield (url, stop, start)."""
    import shutil
    import socket
    import subprocess

    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = ["redis-server", "--port", str(port), "--save", "", "--dir", str(tmp_path)]
    processes = []

    def start():
        processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop():
        processes[-1].terminate()
        processes[-1].wait(10)

    start()
    yield f"redis://127.0.0.1:{port}/0", stop, start
    if processes[-1].poll() is None:
        stop()


@pytest.mark.django_db
def test_redis_stops_and_comes_back_without_a_restart(reader, reader_pages, redis_server):
    url, stop, start = redis_server
    _, pages = reader_pages
    caches = {"default": {**DEAD_REDIS["default"], "LOCATION": url}}
    with override_settings(CACHES=caches):
        from django.core.cache import cache

        before = [reader.get(page).status_code for page in pages]
        cache.set("probe", 1)
        stop()
        during = [reader.get(page).status_code for page in pages]
        start()
        cache.set("probe", 2)
        after = [reader.get(page).status_code for page in pages]
        back = cache.get("probe")

    assert before == during == after == [200] * len(pages)
    assert back == 2


class ReadsTheDatabaseFirst:
    """A middleware that reads the database before any view (as session or login ones do)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.auth.models import User

        User.objects.exists()
        return self.get_response(request)


@pytest.mark.django_db(transaction=True)
def test_the_database_failing_in_a_middleware_gives_the_503_page_too(
    reader, database_down, settings
):
    stop, start = database_down
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.ReadsTheDatabaseFirst"]

    stop()
    response = reader.get("/en/")
    start()

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert reader.get("/en/").status_code == 200


def test_other_errors_keep_the_plain_500_page(rf):
    from alwaght.outage import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/en/"))

    assert response.status_code == 500
    assert "Retry-After" not in response
