from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from articles.feeds import FEED_LENGTH
from articles.models import Article
from tests.factories import make_article, make_author, make_photo, make_section, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    section = make_section(name="Report", slug="report")
    topic = make_topic(name="Water diplomacy", slug="water-diplomacy")
    visible = make_article(
        title="Talks resume & continue",
        lead="Delegations <met> again.",
        section=section,
        tags=["Water", "Gulf"],
        photo=make_photo(size=(160, 90)),
        byline="Staff reporter",
    )
    visible.topics.add(topic)
    hidden = [
        make_article(title="Draft story", status=Article.Status.DRAFT, publish_at=None),
        make_article(title="Scheduled story", publish_at=timezone.now() + timedelta(hours=2)),
    ]
    for article in hidden:
        article.section = section
        article.save()
        article.tags.add("Water")
        article.topics.add(topic)
    return visible


FEEDS = [
    "/en/feed/",
    "/en/feed/atom/",
    "/en/section/report/feed/",
    "/en/section/report/feed/atom/",
    "/en/tags/water/feed/",
    "/en/tags/water/feed/atom/",
    "/en/in-focus/water-diplomacy/feed/",
    "/en/in-focus/water-diplomacy/feed/atom/",
]


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_parse_cleanly_and_hold_only_published_items(client, newsroom, url):
    response = client.get(url)

    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == ["Talks resume & continue"]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver{newsroom.get_absolute_url()}"
    assert "Delegations &lt;met&gt; again." in response.content.decode()
    assert {tag.term for tag in entry.tags} == {"Water", "Gulf"}
    assert entry.published_parsed is not None
    enclosure = entry.enclosures[0]
    assert enclosure.href.startswith("http://testserver/uploads/photos/")
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == newsroom.photo.image.size


@pytest.mark.parametrize(
    "url", ["/en/section/nope/feed/", "/en/tags/nope/feed/atom/", "/en/in-focus/nope/feed/"]
)
def test_unknown_feed_subjects_are_404(client, url):
    assert client.get(url).status_code == 404


def test_pages_link_to_their_feeds(client, newsroom):
    section_page = client.get("/en/section/report/").content.decode()
    front_page = client.get("/en/").content.decode()

    assert 'type="application/rss+xml"' in front_page and 'href="/en/feed/"' in front_page
    assert 'href="/en/section/report/feed/"' in section_page
    assert 'href="/en/section/report/feed/atom/"' in section_page


SUBJECT_FEEDS = {
    # feed: queries (its subject, the articles with their sections, photos and authors,
    # their tags)
    "/en/feed/": 2,
    "/en/section/report/feed/": 3,
    "/en/tags/common/feed/": 3,
    "/en/in-focus/floods/feed/": 3,
    "/en/authors/jane-doe/feed/": 3,
}


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("feed", list(SUBJECT_FEEDS))
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_query_count_is_fixed(client, django_assert_num_queries, count, feed, kind):
    section = make_section(slug="report")
    topic = make_topic(slug="floods")
    author = make_author(slug="jane-doe")
    for number in range(count):
        article = make_article(
            section=section,
            author=author,
            photo=make_photo(size=(16, 9)) if number % 2 else None,
            tags=[f"t{number}", "common"],
        )
        article.topics.add(topic)
    url = feed if kind == "rss" else f"{feed}atom/"

    with django_assert_num_queries(SUBJECT_FEEDS[feed]):
        response = client.get(url)

    assert response.status_code == 200
    entries = feedparser.parse(response.content).entries
    assert len(entries) == min(count, FEED_LENGTH)
    assert all("common" in [tag.term for tag in entry.tags] for entry in entries)
    assert sum(bool(entry.enclosures) for entry in entries) == min(count, FEED_LENGTH) // 2
