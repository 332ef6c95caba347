import pytest
from django.urls import reverse

from pagecache.versions import forget_versions
from tests.factories import make_article, make_film, make_gallery, make_map, make_topic


@pytest.fixture(autouse=True)
def page_cache(settings):
    """Turn the page cache on (tests/settings.py leaves it off for other tests)."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 300
    # Every request reads the versions from the cache, as another process would.
    settings.PAGE_CACHE_VERSION_MEMO_SECONDS = 0
    # Stored at the first ask, so each test of what a stored page does needs one
    # request fewer; test_first_asks.py tests production's second-ask rule.
    settings.PAGE_CACHE_STORE_FROM_SECOND_ASK = False
    forget_versions()
    yield
    forget_versions()


@pytest.fixture
def site(db):
    """One page of each cached kind, with what it lists."""
    topic = make_topic(in_focus=True)
    article = make_article(tags=["Oil"])
    article.topics.add(topic)
    other = make_article(section=article.section)
    gallery = make_gallery(photos=1)
    film = make_film()
    map_ = make_map()
    return {
        "article": article,
        "other": other,
        "topic": topic,
        "gallery": gallery,
        "film": film,
        "map": map_,
        "urls": {
            "front": reverse("articles:front"),
            "article": article.get_absolute_url(),
            "other": other.get_absolute_url(),
            "archive": reverse("articles:archive"),
            "section": article.section.get_absolute_url(),
            "tag": reverse("articles:tag", args=["oil"]),
            "topic": topic.get_absolute_url(),
            "topics": reverse("topics:index"),
            "gallery": gallery.get_absolute_url(),
            "galleries": reverse("media:index"),
            "film": film.get_absolute_url(),
            "map": map_.get_absolute_url(),
            "most-viewed": reverse("popularity:most-viewed"),
            "feed": reverse("articles:feed"),
            "section-feed": reverse("articles:section-feed", args=[article.section.slug]),
            "topic-feed": reverse("topics:feed", args=[topic.slug]),
            "sitemap": reverse("sitemap"),
            "sitemap-articles": reverse("sitemap-section", args=["articles"]),
            "news-sitemap": reverse("sitemap-news"),
        },
    }


def state(response) -> str | None:
    return response.headers.get("X-Page-Cache")
