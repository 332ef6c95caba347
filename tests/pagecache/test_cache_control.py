"""Browsers and a CDN are told the same with the page cache on, off or down.

A CDN in front keeps what it is sent: a page without Cache-Control a minute in
Varnish (deploy/varnish/default.vcl), an hour in Fastly. So a reader's page that
the page cache does not store (ALWAGHT_PAGE_CACHE=0, the cache down, a HEAD that
missed) carries the Cache-Control and surrogate keys a stored copy carries; pages
for one person carry `private, no-store` and no keys, whichever the setting.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article
from articles.services import article_publish, article_unpublish
from tests.factories import make_article
from tests.pagecache.conftest import state
from tests.pagecache.test_hits import PAGES
from tests.pagecache.test_outage import DEAD_REDIS

pytestmark = pytest.mark.django_db

# A page of each kind, and what the cache keeps besides 200s.
ADDRESSES = [*PAGES, "not found", "redirect"]


def address(site, name: str) -> str:
    if name == "not found":
        return "/en/tags/no-such-tag/feed/"
    if name == "redirect":
        return f"/en/news/{site['article'].pk}/"  # to the address with its slug
    return site["urls"][name]


def headers(response) -> tuple[str, set[str]]:
    return response["Cache-Control"], set(response["Surrogate-Key"].split())


@pytest.mark.parametrize("name", ADDRESSES)
def test_a_page_is_sent_the_same_headers_with_the_page_cache_off(
    client, site, settings, stopped_clock, name
):
    url = address(site, name)
    stored = client.get(url)
    settings.PAGE_CACHE_ENABLED = False

    rendered = client.get(url)

    assert (state(stored), state(rendered)) == ("miss", None)
    assert rendered.status_code == stored.status_code
    assert rendered["Cache-Control"].startswith("public, max-age="), url
    assert headers(rendered) == headers(stored), url


@pytest.mark.parametrize("name", ["article", "feed", "not found"])
def test_a_head_that_missed_and_a_page_rendered_while_the_cache_is_down_too(
    client, site, settings, stopped_clock, name
):
    url = address(site, name)
    head = client.head(url)  # a miss: rendered, not stored
    stored = client.get(url)
    settings.CACHES = {**settings.CACHES, "pages": DEAD_REDIS}

    down = client.get(url)

    assert (state(head), state(stored), state(down)) == (None, "miss", None)
    assert headers(head) == headers(stored) == headers(down), url


@pytest.mark.parametrize("page_cache", [True, False], ids=["on", "off"])
def test_no_copy_is_kept_past_the_next_scheduled_change(client, site, settings, page_cache):
    settings.PAGE_CACHE_ENABLED = page_cache
    make_article(title="Later", publish_at=timezone.now() + timedelta(seconds=90))

    cache_control = client.get("/en/feed/")["Cache-Control"]

    assert "max-age=89," in cache_control or "max-age=90," in cache_control
    assert "stale-while-revalidate" not in cache_control


@pytest.mark.parametrize("page_cache", [True, False], ids=["on", "off"])
@pytest.mark.parametrize("who", ["signed in", "shown their own comment"])
def test_a_page_for_one_person_is_kept_by_no_one(client, site, settings, page_cache, who):
    settings.PAGE_CACHE_ENABLED = page_cache
    url = site["urls"]["article"]
    if who == "signed in":
        client.force_login(get_user_model().objects.create_user("reader"))
    else:
        url += "?comment=sent"

    response = client.get(url)

    assert response.status_code == 200 and state(response) is None
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert "public" not in response["Cache-Control"]


@pytest.mark.parametrize("page_cache", [True, False], ids=["on", "off"])
@pytest.mark.parametrize(
    "url", ["/en/tags/not-yet/", "/en/tags/not-yet/feed/", "/en/in-focus/not-yet/", "/en/news/0/"]
)
def test_a_404_is_kept_briefly_and_never_served_stale(
    client, site, settings, stopped_clock, page_cache, url
):
    """A tag, topic or author may be created at that address in a moment."""
    settings.PAGE_CACHE_ENABLED = page_cache

    response = client.get(url)

    assert response.status_code == 404
    assert response["Cache-Control"] == "public, max-age=30, s-maxage=60", url


@pytest.fixture
def taken_down(site):
    """The site's article, taken off the site by the desk (readers get 410 Gone)."""
    chief = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw")
    article = site["article"]
    article_unpublish(articles=Article.objects.filter(pk=article.pk), user=chief, reason="Legal")
    return article, chief


@pytest.mark.parametrize("page_cache", [True, False], ids=["on", "off"])
@pytest.mark.parametrize("variant", ["with its slug", "without a slug", "deleted since"])
def test_a_410_is_kept_as_briefly_as_a_404(
    client, taken_down, settings, stopped_clock, page_cache, variant
):
    """A story taken down may be put back in a moment, as a tag may be created: a CDN
    sent no Cache-Control kept the 410 as long as it liked (Fastly: an hour)."""
    settings.PAGE_CACHE_ENABLED = page_cache
    article, _chief = taken_down
    url = article.get_absolute_url() if variant == "with its slug" else f"/en/news/{article.pk}/"
    if variant == "deleted since":
        Article.objects.get(pk=article.pk).delete()  # the takedown record keeps the 410

    response = client.get(url)

    assert response.status_code == 410
    assert response["Cache-Control"] == "public, max-age=30, s-maxage=60", url


def test_a_kept_410_is_dropped_when_the_story_is_put_back(client, taken_down, stopped_clock):
    article, chief = taken_down
    url = article.get_absolute_url()
    first, again = client.get(url), client.get(url)

    article_publish(articles=Article.objects.filter(pk=article.pk), user=chief)
    back = client.get(url)

    assert (first.status_code, state(first)) == (410, "miss")
    assert (again.status_code, state(again)) == (410, "hit")
    assert again["Cache-Control"] == "public, max-age=30, s-maxage=60"
    assert (back.status_code, state(back)) == (200, "miss")
