"""Every reader page runs a fixed number of queries, whatever the amount of content."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from alwaght.background import run_jobs
from articles.models import Section
from popularity.services import article_view_record, most_viewed_refresh
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_editors_choice,
    make_film,
    make_gallery,
    make_map,
    make_photo,
    make_related,
    make_section,
    make_topic,
)

pytestmark = pytest.mark.django_db


def build_site(article_count, edition="en"):
    sections = [make_section(slug=f"s{number}", language=edition) for number in range(5)]
    topics = [make_topic(slug=f"t{number}", in_focus=True, language=edition) for number in range(3)]
    photos = [make_photo(size=(700, 400)) for _ in range(2)]
    authors = [make_author(photo=photos[0]), make_author()]
    articles = []
    for number in range(article_count):
        article = make_article(
            language=edition,
            section=sections[number % 5],
            author=authors[number % 2],
            tags=[f"tag {number}", f"tag {number + 1}", "common"],
            photo=photos[number % 2] if number % 3 else None,
        )
        article.topics.set([topics[number % 3]])
        make_comment(article=articles[0] if articles else article, status="approved")
        article_view_record(article_id=article.pk, when=timezone.now())
        articles.append(article)
    for article in articles[:4]:
        make_editors_choice(article)  # after any other edition's slots: one numbering
    make_related(articles[0], articles[3])
    make_gallery(photos=2, exclusive=True, language=edition)
    make_gallery(photos=2, language=edition)
    make_film(poster=photos[0], language=edition)
    make_map(photo=photos[1], language=edition)
    # What the background job stores for readers (alwaght/background.py); the
    # renditions are left out (the picture tag reads the cache, not the database).
    most_viewed_refresh(language=edition)
    run_jobs(["related"])
    cache.clear()  # the first view is an app server's first
    return articles


# name: (queries on the first view, queries on later views, url builder), on a site
# where the background job has stored the Most Viewed and Related Content lists
# (readers never compute them: tests/site/test_background.py). The first view of
# a page also fills what pages share: the sections of the navigation, the stored
# Most Viewed lists (1 read + 1 fetch on the front page), and the site-wide blocks
# (Editor's Choice, News, In Focus, the map, photo galleries + their photos,
# films, the newest exclusive gallery + photos and film), and the next scheduled
# change (when its rendered fragments expire: web/fragments.py; asked once per
# change: articles/schedule.py, so the article page, which asks it for its row
# and again for its column, now asks once). Later views (the
# cold pages that readers get when the full-page cache misses) read the rendered
# fragments: the article page and its own row (test_article_page_reads_its_
# fragments), the front page and the archive run no query at all, a list page one
# (the section, tag, topic or author it is filed under), a search none once asked
# twice (its page is kept per address from its second ask: articles/views.py).
PAGES = {
    "front page": (14, 0, lambda articles: reverse("articles:front")),
    "archive": (3, 0, lambda articles: reverse("articles:archive")),
    "section": (4, 1, lambda articles: articles[0].section.get_absolute_url()),
    # The article is read once, with its tags, topics and notes (`with_detail()`);
    # previous and next, Related Content and More in the section are one statement.
    "article": (17, 0, lambda articles: articles[0].get_absolute_url()),
    "author": (4, 1, lambda articles: articles[0].author.get_absolute_url()),
    "search": (2, 0, lambda articles: reverse("articles:search") + "?q=article"),
    "tag": (4, 1, lambda articles: reverse("articles:tag", args=["common"])),
    "topic": (4, 1, lambda articles: articles[0].topics.get().get_absolute_url()),
    # Their first views ask the next scheduled change for the page's Cache-Control
    # (pagecache/middleware.py: a CDN keeps no page past it); the others' fragments ask it.
    "topic index": (3, 1, lambda articles: reverse("topics:index")),
    "most viewed": (4, 1, lambda articles: reverse("popularity:most-viewed")),
}


# Pages kept only from their second view, and that view's queries: a search's page is
# stored when asked for again (its results, and when it must end: the next scheduled change).
KEPT_AT_THE_SECOND_VIEW = {"search": 2}


def second_view(client, django_assert_num_queries, page, url):
    if page in KEPT_AT_THE_SECOND_VIEW:
        with django_assert_num_queries(KEPT_AT_THE_SECOND_VIEW[page]):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("article_count", [5, 50])
@pytest.mark.parametrize("page", PAGES)
def test_query_count_is_fixed(client, django_assert_num_queries, page, article_count):
    first, later, url_for = PAGES[page]
    url = url_for(build_site(article_count))

    with django_assert_num_queries(first):
        assert client.get(url).status_code == 200
    second_view(client, django_assert_num_queries, page, url)
    with django_assert_num_queries(later):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("article_count", [5, 50])
def test_front_page_reads_most_viewed_from_cache(client, django_assert_num_queries, article_count):
    build_site(article_count)
    client.get(reverse("articles:front"))  # caches the three stored lists
    section = Section.objects.first()
    make_article(status="draft", publish_at=None, section=section)  # the blocks stay current
    make_article(section=section)  # the blocks are rendered again

    # Editor's Choice, News, In Focus, one fetch for the cached ids, the map, photo
    # galleries (+ photos), films, the newest exclusive gallery (+ photos) and film,
    # and the next scheduled change (the sections come from the cache).
    with django_assert_num_queries(12):
        client.get(reverse("articles:front"))
    with django_assert_num_queries(0):
        client.get(reverse("articles:front"))


@pytest.mark.parametrize("article_count", [5, 50])
def test_article_page_reads_its_fragments(client, django_assert_num_queries, article_count):
    articles = build_site(article_count)
    client.get(articles[1].get_absolute_url())  # renders and caches the side blocks
    client.get(articles[0].get_absolute_url())  # renders its fragments

    # Nothing: its own row, its metadata, main column (with More in the section
    # and the previous and next articles), comments, blank comment form and the
    # seven side blocks are fragments (web/fragments.py).
    with django_assert_num_queries(0):
        response = client.get(articles[0].get_absolute_url())

    html = response.content.decode()
    for heading in ("Editor's Choice", "News", "Most Viewed", "In Focus", "Map", "Gallery"):
        assert f">{heading}</" in html.replace("&#x27;", "'"), heading
    assert 'id="exclusive-heading"' in html
    assert 'id="comments-heading"' in html and 'id="comment-form"' in html


@pytest.mark.parametrize("edition", ["ar", "fa"])
@pytest.mark.parametrize("page", PAGES)
def test_other_editions_cost_the_same_queries(client, django_assert_num_queries, page, edition):
    """The edition is a filter on the same queries, not extra ones."""
    build_site(5, edition="en")  # another edition's content must not show or cost
    first, later, url_for = PAGES[page]
    with override(edition):
        url = url_for(build_site(20, edition=edition))

    with django_assert_num_queries(first):
        response = client.get(url)
    second_view(client, django_assert_num_queries, page, url)
    with django_assert_num_queries(later):
        assert client.get(url).status_code == 200

    assert response.status_code == 200
    assert response.headers["Content-Language"] == edition
