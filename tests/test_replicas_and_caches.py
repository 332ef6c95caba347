"""The page cache and rendered fragments beside a real streaming replica.

The cluster (tests/pgcluster.py) and how the site is pointed at it are those of
tests/test_streaming_replica.py; here the page cache and fragments are on, as in
production, where tests/settings.py leaves the page cache off.
"""

import pytest
import time_machine
from django.core.cache import caches
from django.utils import timezone

from pagecache.versions import forget_versions
from tests import test_streaming_replica as streaming
from tests.factories import make_article
from web.fragments import forget_fragments
from web.replay import forget_replayed

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]

# The cluster and the site pointed at it, as in tests/test_streaming_replica.py.
cluster = streaming.cluster
site = streaming.site
PRIMARY_QUERIES = streaming.PRIMARY_QUERIES
pause_replay = streaming.pause_replay
read = streaming.read


@pytest.fixture
def caches_on(settings):
    """The page cache and fragments as in production, in a fresh process."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_VERSION_MEMO_SECONDS = 0  # every request reads the tokens
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 600  # a paused replay is still read
    for alias in ("pages", "default"):
        caches[alias].clear()
    forget_versions()
    forget_fragments()
    forget_replayed()
    yield settings
    forget_versions()
    forget_fragments()


def state(response):
    return response.headers.get("X-Page-Cache")


def test_reader_pages_read_from_the_replica_are_cached(site, client, caches_on):
    article = make_article(title="Cached from the replica")
    site.wait_for_replay()

    # Stopped after the replay, as the first and second asks are two renders compared
    # byte for byte: the comment form's token carries the second it was made in.
    with time_machine.travel(timezone.now(), tick=False):
        for url in (
            "/en/",
            article.get_absolute_url(),
            article.section.get_absolute_url(),
        ):
            read_three_times(client, url)


def read_three_times(client, url):
    first, _, on_replica = read(client, url)
    # The primary answers only the page cache's lookup of the next scheduled change.
    assert all("SELECT LEAST(" in sql for sql in PRIMARY_QUERIES), PRIMARY_QUERIES
    second, _, _ = read(client, url)  # stored from the second ask
    third, _, again = read(client, url)

    assert first.status_code == 200 and on_replica > 0, url
    # Routing did not open the session: no Vary: Cookie, which no cache stores.
    assert "cookie" not in first.get("Vary", "").lower(), url
    assert (state(first), state(second), state(third)) == ("first-ask", "miss", "hit"), url
    assert again == 0 and third.content == first.content, url


@pytest.mark.parametrize("page_cache", [True, False], ids=["pages", "fragments only"])
def test_nothing_rendered_from_a_replica_behind_a_change_is_kept(
    site, client, caches_on, page_cache
):
    caches_on.PAGE_CACHE_ENABLED = page_cache
    # The cluster keeps its rows from test to test: a title of each run's own.
    title = f"Breaking: published while replay is paused ({'pages' if page_cache else 'fragments'})"
    make_article(title="Earlier story")
    site.wait_for_replay()
    read(client, "/en/")  # the front page and its fragments cached
    pause_replay(site)
    try:
        make_article(title=title)

        # Readers see the replica's front page, without the story, under the new token...
        during, on_primary, on_replica = read(client, "/en/")
        assert during.status_code == 200 and on_primary == 0 and on_replica > 0
        assert title not in during.content.decode()
        # ...and it is not kept: the next reader renders it again.
        again, _, on_replica = read(client, "/en/")
        assert state(again) is None and on_replica > 0
    finally:
        site.replica_sql("SELECT pg_wal_replay_resume()")

    site.wait_for_replay()
    after, _, _ = read(client, "/en/")
    assert title in after.content.decode()
    assert state(after) == ("miss" if page_cache else None)
    assert state(read(client, "/en/")[0]) == ("hit" if page_cache else None)


def test_a_replica_is_asked_what_it_replayed_once_per_change(site, caches_on):
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from web.replay import replayed
    from web.scopes import scope_tokens

    make_article(title="A change with a WAL position")
    site.wait_for_replay()
    tokens = scope_tokens(["ed:en"])

    with CaptureQueriesContext(connections["replica_1"]) as asked:
        assert replayed(tokens, "replica_1")
        assert replayed(tokens, "replica_1")  # remembered: replay positions only grow
        assert replayed(tokens, "default")  # the primary has every change

    assert "@" in tokens[0]  # the token carries the change's position
    assert len(asked) == 1


@pytest.mark.parametrize("page_cache", [True, False], ids=["pages", "page cache off"])
def test_a_story_taken_down_while_the_replica_lags_leaves_every_feed_and_no_copy_is_kept(
    site, client, caches_on, page_cache
):
    """Feeds as pages: what a lagging replica renders is served, and kept by no one.

    The take-down purges the CDN at once; a feed rendered from the replica before it
    replays the take-down still lists the story, so a CDN that kept that copy
    (Varnish keeps a page without Cache-Control for a minute, Fastly for an hour)
    would show it again after the purge. It is sent as not to be stored, whether
    the page cache is on or off (ALWAGHT_PAGE_CACHE=0: the CDN is the only cache).
    """
    from articles.models import Article

    caches_on.PAGE_CACHE_ENABLED = page_cache
    # The cluster keeps its rows from test to test: a title of each run's own.
    title = f"Withdrawn: taken down while replay is paused ({page_cache})"
    story = make_article(title=title, tags=["Withdrawn while lagging"])
    site.wait_for_replay()
    feeds = ["/en/feed/", "/en/feed/atom/", f"{story.section.get_absolute_url()}feed/"]
    feeds.append("/en/tags/withdrawn-while-lagging/feed/")
    for url in feeds:
        read(client, url)
        read(client, url)  # stored from the second ask
        cached, _, _ = read(client, url)
        assert state(cached) == ("hit" if page_cache else None), url
        assert title in cached.content.decode(), url
        assert cached["Cache-Control"].startswith("public, max-age="), url

    pause_replay(site)
    try:
        story.status = Article.Status.DRAFT
        story.save()

        for url in feeds:
            during, on_primary, on_replica = read(client, url)
            assert on_primary == 0 and on_replica > 0, url
            assert title in during.content.decode(), url  # the replica has not replayed it
            assert state(during) is None, url  # not kept by the page cache...
            assert "no-store" in during["Cache-Control"], url  # ...nor by a CDN
    finally:
        site.replica_sql("SELECT pg_wal_replay_resume()")

    site.wait_for_replay()
    for url in feeds:
        after, _, _ = read(client, url)
        assert title not in after.content.decode(), url
        if page_cache:
            assert (state(after), state(read(client, url)[0])) == ("miss", "hit"), url
        assert after["Cache-Control"].startswith("public, max-age="), url
