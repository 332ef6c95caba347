"""A cache that is down or empty costs a render, never an error."""

import logging
import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_article
from tests.pagecache.conftest import state
from tests.servers import redis_test_url

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
}


def test_pages_are_served_when_the_page_cache_is_down(client, site, settings, caplog):
    settings.CACHES = {**settings.CACHES, "pages": DEAD_REDIS}
    caplog.set_level(logging.WARNING, logger="pagecache")

    for page in ("front", "article", "feed", "sitemap"):
        response = client.get(site["urls"][page])
        assert response.status_code == 200
        assert state(response) is None
    assert "Page cache unavailable" in caplog.text

    article = make_article(title="Saved during the outage")  # the bump fails quietly
    assert b"Saved during the outage" in client.get(reverse("articles:front")).content
    assert article.pk


def test_the_sqlite_backend_serves_hits_without_queries(
    client, site, settings, tmp_path, django_assert_num_queries
):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "web.sqlite_cache.SQLiteCache", "LOCATION": str(tmp_path)},
    }
    url = site["urls"]["article"]
    first = client.get(url)

    with django_assert_num_queries(0):
        second = client.get(url)

    assert state(second) == "hit"
    assert second.content == first.content
    make_article(title="Invalidates the SQLite cache too")
    assert state(client.get(url)) == "miss"


def test_purge_makes_every_page_stale(client, site):
    urls = [site["urls"][page] for page in ("front", "gallery", "topics", "sitemap")]
    for url in urls:
        client.get(url)

    call_command("purge_pages")

    assert {state(client.get(url)) for url in urls} == {"miss"}


def test_purge_delete_empties_the_page_cache(client, site):
    from django.core.cache import caches

    client.get(site["urls"]["front"])
    call_command("purge_pages", "--delete")

    assert caches["pages"]._cache == {} or not caches["pages"]._cache
    assert state(client.get(site["urls"]["front"])) == "miss"


def test_a_lost_version_token_counts_as_a_change(client, site):
    from django.core.cache import caches

    url = site["urls"]["section"]
    client.get(url)
    caches["pages"].delete(f"pages:v:ed:{site['article'].language}")

    assert state(client.get(url)) == "miss"
    assert state(client.get(url)) == "hit"


def test_an_entry_of_another_format_is_a_miss_and_replaced(client, site):
    from django.core.cache import caches

    url = site["urls"]["front"]
    client.get(url)
    cache = caches["pages"]
    (key,) = [k.split(":", 2)[2] for k in cache._cache if ":pages:p:" in k]
    cache.set(key, ("an", "older", "format"))

    assert state(client.get(url)) == "miss"
    assert state(client.get(url)) == "hit"


@pytest.mark.django_db(transaction=True)
def test_cached_pages_are_served_while_the_database_is_down(site):
    from django.db import connection
    from django.test import Client

    reader = Client(raise_request_exception=False)
    cached, uncached = site["urls"]["article"], site["urls"]["section"]
    reader.get(cached)
    original = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        hit = reader.get(cached)
        down = reader.get(uncached)
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original

    assert hit.status_code == 200
    assert state(hit) == "hit"
    assert down.status_code == 503
    assert state(down) is None  # not stored
    assert state(reader.get(uncached)) == "miss"


@pytest.mark.skipif(
    not os.environ.get("CI") and not os.environ.get("ALWAGHT_TEST_REDIS"),
    reason="needs the Redis server at 127.0.0.1:6379 (CI has it)",
)
def test_redis_store_hits_invalidation_and_purge(client, site, settings, django_assert_num_queries):
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_test_url(),
            "KEY_PREFIX": "alwaght-pages-test",
        },
        "other": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_test_url(),
            "KEY_PREFIX": "alwaght-other-test",
        },
    }
    caches["other"].set("kept", 1, 60)
    url = site["urls"]["article"]
    try:
        client.get(url)
        with django_assert_num_queries(0):
            assert state(client.get(url)) == "hit"
        make_article(title="Through Redis")
        assert state(client.get(url)) == "miss"

        call_command("purge_pages", "--delete")

        assert state(client.get(url)) == "miss"
        assert caches["other"].get("kept") == 1  # only the page cache's keys went
    finally:
        call_command("purge_pages", "--delete")
        caches["other"].delete("kept")
