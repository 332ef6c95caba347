"""A page is stored from its second ask: the first is rendered and sent, not kept."""

import pytest
from django.core.cache import caches

from tests.pagecache.conftest import state
from tests.pagecache.test_cache_control import DEAD_REDIS, headers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_ask(settings):
    settings.PAGE_CACHE_STORE_FROM_SECOND_ASK = True  # production's rule


@pytest.mark.parametrize("name", ["article", "front", "tag"])
def test_the_second_ask_is_stored_and_the_third_is_a_hit(
    client, site, django_assert_num_queries, name, stopped_clock
):
    # The first ask and the second are two renders, compared byte for byte: the
    # comment form's token carries the second it was made in.
    url = site["urls"][name]
    first = client.get(url)
    second = client.get(url)

    with django_assert_num_queries(0):
        third = client.get(url)

    assert (state(first), state(second), state(third)) == ("first-ask", "miss", "hit")
    assert first.content == second.content == third.content


def test_a_first_ask_is_sent_the_headers_of_a_stored_page(client, site, stopped_clock):
    url = site["urls"]["article"]
    first = client.get(url)
    stored = client.get(url)

    assert headers(first) == headers(stored)
    assert first["Cache-Control"].startswith("public, max-age=")


def test_a_first_ask_is_remembered_as_long_as_an_entry_would_be_kept(client, site, settings):
    settings.PAGE_CACHE_SECONDS, settings.PAGE_CACHE_STALE_SECONDS = 120, 600
    asked = []
    pages = caches["pages"]
    original_add = pages.add

    def add(key, value, timeout=None, version=None):
        asked.append((key, timeout))
        return original_add(key, value, timeout, version)

    pages.add = add
    try:
        client.get(site["urls"]["article"])
    finally:
        del pages.add

    assert [timeout for key, timeout in asked if key.startswith("pages:asked:")] == [720]


def test_each_address_is_asked_for_itself(client, site):
    client.get(site["urls"]["article"])

    assert state(client.get(site["urls"]["other"])) == "first-ask"
    assert state(client.get(site["urls"]["article"])) == "miss"


def test_a_head_leaves_no_first_ask_behind(client, site):
    url = site["urls"]["article"]
    client.head(url)

    assert state(client.get(url)) == "first-ask"


def test_a_cache_that_is_down_renders_the_page_unstored(client, site, settings):
    settings.CACHES = {**settings.CACHES, "pages": DEAD_REDIS}

    down = client.get(site["urls"]["article"])

    assert down.status_code == 200 and state(down) is None
    assert down["Cache-Control"].startswith("public, max-age=")
