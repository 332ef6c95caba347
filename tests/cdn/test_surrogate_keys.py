"""Pages name what they show in Surrogate-Key and Cache-Tag headers."""

import pytest

from cdn.keys import keys_for
from tests.factories import make_article, make_author, make_photo, make_section, make_topic
from web.scopes import slug_scope

pytestmark = pytest.mark.django_db


def header_keys(response) -> set[str]:
    keys = set(response["Surrogate-Key"].split())
    assert keys == set(response["Cache-Tag"].split(","))  # both CDNs' spellings agree
    return keys


def test_an_article_page_names_its_article_section_tags_topics_and_edition(client):
    section = make_section(name="Analysis", slug="analysis")
    topic = make_topic(name="NATO", slug="nato")
    article = make_article(section=section, tags=["Gulf", "Water"], photo=make_photo())
    article.topics.add(topic)
    neighbour = make_article(section=section)

    keys = header_keys(client.get(article.get_absolute_url()))

    assert {
        "alwaght",
        "ed:en",
        f"article:{article.pk}",
        f"comments:{article.pk}",
        "section:analysis",
        "tag:gulf",
        "tag:water",
        "topic:nato",
        f"photo:{article.photo_id}",
    } <= keys
    assert f"article:{neighbour.pk}" in keys  # shown in the page's News block
    assert f"comments:{neighbour.pk}" not in keys  # its comments are not on this page


def test_a_listing_names_every_article_it_shows(client):
    section = make_section(slug="news")
    shown = [make_article(section=section) for _ in range(3)]

    keys = header_keys(client.get("/en/section/news/"))

    assert {f"article:{article.pk}" for article in shown} <= keys
    assert "section:news" in keys and "ed:en" in keys


def test_feeds_carry_keys_too(client):
    article = make_article()

    keys = header_keys(client.get("/en/feed/"))

    assert f"article:{article.pk}" in keys and "ed:en" in keys


def test_signed_in_pages_posts_and_the_admin_carry_no_keys(client, admin_user):
    article = make_article()
    client.force_login(admin_user)

    assert "Surrogate-Key" not in client.get(article.get_absolute_url())
    assert "Surrogate-Key" not in client.get("/admin/")


def test_keys_can_be_switched_off(client, settings):
    settings.CDN_SURROGATE_KEYS = False

    assert "Surrogate-Key" not in client.get("/en/")


def test_non_ascii_slugs_become_ascii_keys_that_match_the_purge_side():
    html = '<a href="/fa/tags/%D8%A2%D8%A8/">آب</a>'

    keys = keys_for("/fa/", html)

    assert slug_scope("tag", "آب") in keys
    assert all(key.isascii() for key in keys)


def test_a_page_at_a_non_ascii_address_names_itself_as_the_purge_does():
    """request.path is decoded: its slug is percent-encoded as the page's links are."""
    keys = keys_for("/fa/section/گزارش/feed/", "")

    assert slug_scope("section", "گزارش") in keys
    assert all(key.isascii() for key in keys)


def test_a_page_cache_hit_carries_the_keys_worked_out_when_it_was_rendered(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    article = make_article()

    client.get(article.get_absolute_url())  # stored from the second ask
    rendered = client.get(article.get_absolute_url())
    hit = client.get(article.get_absolute_url())

    assert hit["X-Page-Cache"] == "hit"
    assert hit["Surrogate-Key"] == rendered["Surrogate-Key"]
    assert f"article:{article.pk}" in header_keys(hit)


def test_bylines_the_author_page_and_feeds_name_the_author(client):
    author = make_author(slug="jane-doe")
    article = make_article(author=author)

    for url in (
        article.get_absolute_url(),
        "/en/authors/jane-doe/",
        "/en/authors/jane-doe/feed/",
        "/en/authors/jane-doe/feed/atom/",
        "/ar/authors/jane-doe/",  # authors answer in every edition
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "author:jane-doe" in header_keys(response), url


def test_a_standing_page_names_itself_and_the_footer_links_name_none(client):
    from alwaght.models import Page

    Page.objects.create(language="en", slug="about", title="About", body="<p>Hi</p>")

    assert "page:about" in header_keys(client.get("/en/pages/about/"))
    assert "page:about" in header_keys(client.get("/fa/pages/about/"))  # the default's version
    front = header_keys(client.get("/en/"))
    assert not any(key.startswith("page:") for key in front)


def test_an_article_page_names_its_counterparts_in_other_editions(client):
    from articles.counterparts import article_counterparts_link

    english, arabic = make_article(), make_article(language="ar")
    article_counterparts_link(article=english, counterpart=arabic)

    assert f"article:{arabic.pk}" in header_keys(client.get(english.get_absolute_url()))
    assert f"article:{english.pk}" in header_keys(client.get(arabic.get_absolute_url()))


def test_every_page_is_named_by_the_scopes_it_is_cached_under(client):
    """A change that makes a page stale in the page cache purges it from the CDN too."""
    from pagecache.kinds import page_kind

    article = make_article()
    for url in (
        "/en/",
        article.get_absolute_url(),
        "/en/in-focus/",
        "/en/gallery/",
        "/sitemap.xml",
    ):
        scopes = set(page_kind(url).scopes)

        assert scopes and scopes <= header_keys(client.get(url)), url


def test_photos_are_named_by_their_renditions_and_by_originals_awaiting_them():
    body = (
        '<img src="/uploads/renditions/12/640.webp" srcset="/uploads/renditions/12/1280.webp">'
        '<picture data-photo="7"><img src="/uploads/photos/a.jpg"></picture>'
        '<a href="/uploads/renditions/x/1.jpg">'  # no number: no photo
        '<picture data-photo="31"></picture>'
    )

    keys = keys_for("/en/", body)

    assert {key for key in keys if key.startswith("photo:")} == {"photo:12", "photo:7", "photo:31"}
