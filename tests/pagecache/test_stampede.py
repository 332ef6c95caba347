"""While one process rebuilds a page, others get the stale copy, unless it was taken down."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from tests.factories import make_article, make_author, make_section, make_topic
from tests.pagecache.conftest import state

pytestmark = pytest.mark.django_db


@pytest.fixture
def rebuilding_elsewhere(monkeypatch):
    """Make every rebuild lock look taken by another process."""
    cache = caches["pages"]
    add = cache.add

    def add_unless_lock(key, *args, **kwargs):
        return False if key.startswith("pages:lock:") else add(key, *args, **kwargs)

    monkeypatch.setattr(cache, "add", add_unless_lock)


def test_others_get_the_stale_copy_while_it_is_rebuilt(
    client, site, django_assert_num_queries, rebuilding_elsewhere, monkeypatch
):
    url = site["urls"]["front"]
    before = client.get(url).content
    article = site["article"]
    article.title = "Edited while a storm runs"
    article.save()

    with django_assert_num_queries(0):
        stale = client.get(url)

    assert state(stale) == "stale"
    assert stale.content == before
    assert stale["Cache-Control"].startswith("public, max-age=0, s-maxage=0")
    monkeypatch.undo()
    assert b"Edited while a storm runs" in client.get(url).content


def test_the_lock_is_released_after_the_rebuild(client, site):
    url = site["urls"]["front"]
    client.get(url)
    make_article(title="Another")

    assert state(client.get(url)) == "miss"
    make_article(title="And another")
    assert state(client.get(url)) == "miss"  # not "stale": nobody holds the lock


def test_no_stale_copy_after_an_article_is_taken_down(client, site, rebuilding_elsewhere):
    url = site["urls"]["article"]
    client.get(url)
    article = site["article"]
    article.status = Article.Status.DRAFT
    article.save()

    response = client.get(url)

    assert response.status_code == 404
    assert state(response) == "miss"


def test_no_stale_copy_after_a_scheduled_change(client, site, rebuilding_elsewhere, stopped_clock):
    url = site["urls"]["front"]
    publish_at = timezone.now() + timedelta(seconds=1)
    make_article(title="Due in a second", publish_at=publish_at)
    client.get(url)

    stopped_clock.move_to(publish_at)
    response = client.get(url)

    assert b"Due in a second" in response.content


def named_rows():
    """Return an author, a tag, a topic and a section with an empty page each, by kind."""
    author = make_author(slug="jane-doe")
    topic = make_topic(slug="floods")
    article = make_article(author=author, tags=["Oil"])
    article.topics.add(topic)
    return {
        "author": (author, "/en/authors/jane-doe/"),
        "tag": (Tag.objects.get(slug="oil"), "/en/tags/oil/"),
        "topic": (topic, "/en/in-focus/floods/"),
        "section": (make_section(slug="empty"), "/en/section/empty/"),  # deletable: no articles
    }


@pytest.mark.parametrize("kind", ["author", "tag", "topic", "section"])
@pytest.mark.parametrize("write", ["deleted", "given a new slug"])
def test_no_stale_copy_after_an_author_tag_topic_or_section_is_deleted_or_moved(
    client, rebuilding_elsewhere, kind, write
):
    """Their page and feeds leave readers at that address: nothing from before is served."""
    row, page = named_rows()[kind]
    urls = [page, f"{page}feed/", f"{page}feed/atom/"]
    for url in urls:
        client.get(url)
        assert state(client.get(url)) == "hit", url

    if write == "deleted":
        row.delete()
    else:
        row.slug = "moved"
        row.save()

    for url in urls:
        response = client.get(url)
        assert (response.status_code, state(response)) == (404, "miss"), url
