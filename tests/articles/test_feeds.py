from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles.feeds import FEED_LENGTH, LatestArticlesFeed, SectionFeed, atom
from articles.models import Article, TaggedArticle
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
    # their tags; and, the first time after a change, the next scheduled change, which
    # bounds its Cache-Control: pagecache/middleware.py)
    "/en/feed/": 3,
    "/en/section/report/feed/": 4,
    "/en/tags/common/feed/": 4,
    "/en/in-focus/floods/feed/": 4,
    "/en/authors/jane-doe/feed/": 4,
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


def article_rows_read(sql: str) -> int:
    """Return how many rows of articles_article the plan of `sql` reads (kept or filtered
    out) when it must take its order from an index.

    Sorts and sequential or bitmap scans are refused, so the planner walks the index
    in the feed's order that costs least: one that leads with the feed's subject
    reads FEED_LENGTH rows and stops; the edition's reads past every other article
    to find them. (Left to choose on a table this small, it may walk either.)
    """
    with connection.cursor() as cursor:
        # Statistics of these rows, not of rows earlier tests left (rolled back with the test).
        cursor.execute("ANALYZE articles_article")
        for method in ("seqscan", "bitmapscan", "sort", "incremental_sort"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
        for method in ("seqscan", "bitmapscan", "sort", "incremental_sort"):
            cursor.execute(f"SET LOCAL enable_{method} = on")
    nodes, read = [plan[0]["Plan"]], 0
    while nodes:
        node = nodes.pop()
        nodes += node.get("Plans", [])
        if node.get("Relation Name") == "articles_article":
            rows = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
            read += rows * node["Actual Loops"]
    return read


@pytest.mark.parametrize("feed", list(SUBJECT_FEEDS))
def test_a_feed_reads_its_articles_along_an_index_in_its_order(client, feed):
    """Every 50th of 3,000 articles is the subject's: an index on the subject and the
    publish time gives the newest 30 reading 30 rows, where walking the edition's
    newest reads 1,500 and sorting the subject's reads all 60.

    So rare a subject keeps the choice clear of the planner's other inputs (earlier
    tests' dead rows grow the indexes' page counts, which rollbacks keep).
    """
    section, elsewhere = make_section(slug="report"), make_section(slug="other")
    topic, author, writer = make_topic(slug="floods"), make_author(slug="jane-doe"), make_author()
    tag = Tag.objects.create(name="common", slug="common")
    start = timezone.now() - timedelta(days=1)
    articles = Article.objects.bulk_create(
        Article(
            title=f"Story {number}",
            slug=f"story-{number}",
            lead="A lead.",
            body="<p>A body.</p>",
            status=Article.Status.PUBLISHED,
            publish_at=start + timedelta(minutes=number),
            section=elsewhere if number % 50 else section,
            author=writer if number % 50 else author,
        )
        for number in range(3000)
    )
    ours = articles[::50]
    TaggedArticle.objects.bulk_create(TaggedArticle(content_object=a, tag=tag) for a in ours)
    Article.topics.through.objects.bulk_create(
        Article.topics.through(article=article, topic=topic) for article in ours
    )

    with CaptureQueriesContext(connection) as queries:
        assert client.get(feed).status_code == 200

    (sql,) = [q["sql"] for q in queries if f"LIMIT {FEED_LENGTH}" in q["sql"]]
    assert article_rows_read(sql) <= FEED_LENGTH + 1, sql


@pytest.mark.parametrize("feed", [LatestArticlesFeed, atom(SectionFeed)])
def test_the_urlconfs_feed_object_keeps_nothing_of_a_request(rf, feed):
    section = make_section()
    make_article(section=section, photo=make_photo())
    view = feed()
    request = rf.get("/en/feed/", HTTP_HOST="127.0.0.1")

    response = view(request, **({"slug": section.slug} if feed is not LatestArticlesFeed else {}))

    assert response.status_code == 200
    assert "request" not in vars(view)  # a thread serving another reader would read it
