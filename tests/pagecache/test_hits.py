"""Anonymous readers get stored pages: 0 queries, right encoding, 304s, no cookies."""

import gzip

import brotli
import pytest
from django.urls import reverse
from django.utils.http import http_date

from tests.factories import make_article
from tests.pagecache.conftest import state

pytestmark = pytest.mark.django_db

PAGES = [
    "front",
    "article",
    "archive",
    "section",
    "tag",
    "topic",
    "topics",
    "gallery",
    "galleries",
    "film",
    "map",
    "most-viewed",
    "feed",
    "section-feed",
    "topic-feed",
    "sitemap",
    "sitemap-articles",
    "news-sitemap",
]


@pytest.mark.parametrize("name", PAGES)
def test_second_request_is_a_hit_without_queries(client, site, django_assert_num_queries, name):
    url = site["urls"][name]
    first = client.get(url)
    assert first.status_code == 200
    assert state(first) == "miss"

    with django_assert_num_queries(0):
        second = client.get(url)

    assert state(second) == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_pages_set_no_cookie_and_do_not_vary_on_it(client, site, name):
    for response in (client.get(site["urls"][name]), client.get(site["urls"][name])):
        assert not response.cookies
        assert "Set-Cookie" not in response.headers
        assert "cookie" not in response.get("Vary", "").lower()
        assert response["Cache-Control"].startswith("public, max-age=")
    assert not client.cookies


def test_each_encoding_is_served_as_the_client_asks(client, site):
    url = site["urls"]["article"]
    plain = client.get(url).content

    gzipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    brotlied = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    refused = client.get(url, headers={"Accept-Encoding": "br;q=0, gzip;q=0"})

    assert gzipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(gzipped.content) == plain
    assert brotlied["Content-Encoding"] == "br"
    assert brotli.decompress(brotlied.content) == plain
    assert "Content-Encoding" not in refused and refused.content == plain
    assert gzipped["Vary"] == "Accept-Encoding"
    assert int(brotlied["Content-Length"]) == len(brotlied.content) < len(plain) / 2


def test_if_none_match_is_answered_304_without_rendering(client, site, django_assert_num_queries):
    url = site["urls"]["article"]
    etag = client.get(url)["ETag"]

    with django_assert_num_queries(0):
        response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_if_modified_since_is_answered_304(client, site):
    url = site["urls"]["front"]
    last_modified = client.get(url)["Last-Modified"]

    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    older = http_date(0)
    assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200


def test_a_changed_page_gets_a_new_etag(client, site):
    url = site["urls"]["front"]
    etag = client.get(url)["ETag"]
    make_article(title="Fresh news")

    response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_head_is_served_from_the_cache(client, site, django_assert_num_queries):
    url = site["urls"]["front"]
    body = client.get(url).content

    with django_assert_num_queries(0):
        response = client.head(url)

    assert response.status_code == 200
    assert response.content == b""
    assert int(response["Content-Length"]) == len(body)


def test_cache_control_follows_the_kind_of_page(client, site, settings):
    settings.PAGE_CACHE_SECONDS = 3600  # the profiles, not the entries' freshness, decide
    article = client.get(site["urls"]["article"])["Cache-Control"]
    feed = client.get(site["urls"]["feed"])["Cache-Control"]

    assert article == "public, max-age=60, s-maxage=120, stale-while-revalidate=120"
    assert feed == "public, max-age=300, s-maxage=300, stale-while-revalidate=300"


def test_tracking_parameters_share_the_entry_and_page_numbers_do_not(client, site):
    url = site["urls"]["archive"]
    client.get(url)

    assert state(client.get(url + "?utm_source=aggregator&fbclid=x")) == "hit"
    assert state(client.get(url + "?page=1")) == "miss"


def test_keyset_pages_are_cached_each_under_its_own_key(client, site):
    url = site["urls"]["archive"]
    older = f"{url}?before={site['other'].pk}"
    first = client.get(older)
    assert first.status_code == 200

    assert state(client.get(older)) == "hit"
    assert client.get(older).content == first.content
    assert state(client.get(f"{url}?before={site['article'].pk}")) == "miss"


def test_the_comment_thank_you_is_never_served_from_the_cache(client, site):
    url = site["urls"]["article"]
    client.get(url)
    client.get(url)

    response = client.get(url + "?comment=sent")

    assert state(response) is None
    assert b"Thank you. Your comment will appear" in response.content
    assert b"Thank you" not in client.get(url).content


def test_parameters_that_select_nothing_are_served_from_the_entry(
    client, site, django_assert_num_queries
):
    url = site["urls"]["front"]
    first = client.get(url)

    # ?x=1, ?x=2, ...: one entry for all, no render (they used to pass the cache by).
    with django_assert_num_queries(0):
        answers = [client.get(f"{url}?x={n}") for n in range(3)]
        answers.append(client.get(f"{url}?x=1&x=2&utm_source=feed"))

    assert [state(answer) for answer in answers] == ["hit"] * 4
    assert {answer.content for answer in answers} == {first.content}


def test_a_miss_is_rendered_without_the_parameters_that_select_nothing(client, site):
    url = site["urls"]["section"]

    miss = client.get(f"{url}?q=%3Cscript%3E&page=1")

    assert state(miss) == "miss"
    # The view saw the address it is stored under: nothing else to echo into the page.
    assert miss.wsgi_request.META["QUERY_STRING"] == "page=1"
    assert miss.wsgi_request.GET.dict() == {"page": "1"}
    assert state(client.get(f"{url}?page=1")) == "hit"


@pytest.mark.parametrize("bench_server", [False, True])
def test_the_benchmark_parameter_passes_the_cache_by_only_on_a_benchmark_server(
    client, site, settings, bench_server
):
    settings.BENCH_VIEWS = bench_server
    url = site["urls"]["front"]
    client.get(url)

    assert state(client.get(url + "?bench=cold")) == (None if bench_server else "hit")


def test_redirects_and_not_found_are_cached(client, site, django_assert_num_queries):
    article = site["article"]
    short = reverse("articles:detail-no-slug", args=[article.pk])
    missing = reverse("articles:detail", args=[999999, "nothing"])
    assert client.get(short).status_code == 301
    assert client.get(missing).status_code == 404

    with django_assert_num_queries(0):
        redirect = client.get(short)
        not_found = client.get(missing)

    assert redirect.status_code == 301
    assert redirect["Location"] == article.get_absolute_url()
    assert not_found.status_code == 404
    assert state(not_found) == "hit"


@pytest.mark.parametrize(
    "url",
    [
        "/en/search/?q=oil",
        "/",  # the edition is chosen per reader: a redirect
        "/admin/login/",
    ],
)
def test_uncached_addresses(client, site, url):
    client.get(url)

    assert state(client.get(url)) is None


def test_the_beacon_and_comment_posts_are_never_cached(client, site):
    article = site["article"]
    beacon = reverse("beacon:view-beacon", args=[article.pk])
    client.get(beacon)

    assert state(client.get(beacon)) is None
    post = client.post(reverse("comments:post", args=[article.pk]), {"text": "Hello"})
    assert state(post) is None


def test_the_page_cache_runs_before_anything_that_reads_the_session():
    from alwaght import settings as site_settings

    order = site_settings.MIDDLEWARE
    position = order.index("pagecache.middleware.PageCacheMiddleware")

    assert order[position - 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    for later in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    ):
        assert order.index(later) > position


def test_cached_pages_carry_the_security_headers_of_their_page(client, site):
    film = site["urls"]["film"]
    client.get(film)
    hit = client.get(film)
    front = client.get(site["urls"]["front"])

    assert state(hit) == "hit"
    assert "youtube-nocookie.com" in hit["Content-Security-Policy"]
    assert "youtube-nocookie.com" not in front["Content-Security-Policy"]
    assert hit["X-Content-Type-Options"] == "nosniff"
