"""Each kind of change makes exactly the pages showing it fresh, at once."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.counterparts import article_counterparts_link, article_counterparts_unlink
from articles.editors_choice import choice_place
from articles.models import Article, EditorsChoice
from comments.models import Comment
from comments.services import comment_moderate
from tests.factories import (
    make_article,
    make_comment,
    make_editors_choice,
    make_photo,
)
from tests.pagecache.conftest import state

pytestmark = pytest.mark.django_db

EVERY_PAGE = [
    "front",
    "article",
    "other",
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


def warm(client, site):
    for page in EVERY_PAGE:
        client.get(site["urls"][page])
    assert all(state(client.get(site["urls"][page])) == "hit" for page in EVERY_PAGE)


def rebuilt(client, site) -> set[str]:
    """Return the pages not served from the cache on the next request."""
    return {page for page in EVERY_PAGE if state(client.get(site["urls"][page])) != "hit"}


ARTICLE_LISTS = {
    "front",
    "article",
    "other",
    "archive",
    "section",
    "tag",
    "topic",
    "most-viewed",
    "feed",
    "section-feed",
    "topic-feed",
    "sitemap",
    "sitemap-articles",
    "news-sitemap",
}
TOPIC_PAGES = {"front", "article", "other", "topic", "topics", "topic-feed", "sitemap"}
# Article pages show the site-wide side blocks (galleries, films, the map).
MEDIA_PAGES = {"front", "article", "other", "gallery", "galleries", "film", "map", "sitemap"}


def test_publishing_refreshes_every_page_of_the_edition_but_not_the_gallery(client, site):
    draft = make_article(
        section=site["article"].section,
        status=Article.Status.DRAFT,
        publish_at=None,
        title="Breaking story",
    )
    warm(client, site)

    draft.status = Article.Status.PUBLISHED
    draft.save()

    assert rebuilt(client, site) == ARTICLE_LISTS
    for page in ("front", "section", "archive", "feed"):
        assert b"Breaking story" in client.get(site["urls"][page]).content


def test_editing_a_live_article_shows_at_once(client, site):
    warm(client, site)
    article = site["article"]
    article.title = "A corrected headline"
    article.save()

    assert rebuilt(client, site) == ARTICLE_LISTS
    assert b"A corrected headline" in client.get(site["urls"]["article"]).content


def test_unpublishing_removes_the_article_at_once(client, site):
    warm(client, site)
    article = site["article"]
    article.status = Article.Status.DRAFT
    article.save()

    assert client.get(site["urls"]["article"]).status_code == 404
    assert article.title.encode() not in client.get(site["urls"]["front"]).content


def test_saving_a_draft_changes_no_page(client, site):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    warm(client, site)

    draft.title = "Still a draft"
    draft.save()

    assert rebuilt(client, site) == set()


def test_approving_a_comment_refreshes_only_its_article(client, site):
    comment = make_comment(article=site["article"], text="A first reader's view")
    warm(client, site)

    comment.status = Comment.Status.APPROVED
    comment.save()

    assert rebuilt(client, site) == {"article"}
    assert b"A first reader&#x27;s view" in client.get(site["urls"]["article"]).content


def test_a_new_pending_comment_changes_no_page(client, site):
    warm(client, site)
    make_comment(article=site["article"])

    assert rebuilt(client, site) == set()


def test_moderating_in_bulk_refreshes_the_articles_concerned(client, site):
    comment = make_comment(article=site["other"], text="Approved in bulk")
    warm(client, site)
    moderator = get_user_model().objects.create_user("mod", password="x")

    comment_moderate(
        comments=Comment.objects.filter(pk=comment.pk),
        status=Comment.Status.APPROVED,
        moderator=moderator,
    )

    assert rebuilt(client, site) == {"other"}
    assert b"Approved in bulk" in client.get(site["urls"]["other"]).content


def test_rejecting_an_approved_comment_takes_it_down(client, site):
    comment = make_comment(
        article=site["article"], text="Soon rejected", status=Comment.Status.APPROVED
    )
    warm(client, site)

    comment.status = Comment.Status.REJECTED
    comment.save()

    assert b"Soon rejected" not in client.get(site["urls"]["article"]).content


def test_editors_choice_changes_refresh_the_front_page(client, site):
    warm(client, site)
    slot = make_editors_choice(site["other"], position=1)

    assert "front" in rebuilt(client, site)
    warm(client, site)
    slot.delete()
    assert "front" in rebuilt(client, site)
    assert "gallery" not in rebuilt(client, site)


def test_a_slot_given_another_editions_story_refreshes_the_front_page_it_leaves(client, site):
    slot = make_editors_choice(site["other"], position=1)
    persian = make_article(language="fa", title="خبر برگزیده")
    warm(client, site)

    slot.article = persian
    choice_place(slot=slot, position=1)  # the slot's form, its place untouched

    assert "front" in rebuilt(client, site)


@pytest.mark.parametrize("count", [5, 50])
def test_renumbering_a_list_asks_no_slot_for_its_stored_edition(count):
    slots = [make_editors_choice(make_article(), position=n) for n in range(1, count + 1)]

    with CaptureQueriesContext(connection) as queries:
        choice_place(slot=slots[-1], position=1)  # every other slot moves down one

    stored_edition = 'SELECT "articles_editorschoice"."language"'
    asked = [q["sql"] for q in queries if q["sql"].startswith(stored_edition)]
    # The moved slot only (choice_place's own read, and its save's), not one per slot renumbered.
    assert len(asked) == 2


def test_editors_choice_added_in_bulk_by_the_admin_action_refreshes_the_front_page(
    client, site, admin_client
):
    warm(client, site)
    admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "add_to_editors_choice", "_selected_action": [site["other"].pk]},
    )

    assert EditorsChoice.objects.filter(article=site["other"]).exists()
    assert "front" in rebuilt(client, site)


def test_a_topic_change_refreshes_the_pages_showing_topics(client, site):
    warm(client, site)
    topic = site["topic"]
    topic.description = "A new description of the subject."
    topic.save()

    assert rebuilt(client, site) == TOPIC_PAGES
    assert b"A new description" in client.get(site["urls"]["topics"]).content


def test_filing_an_article_under_a_topic_refreshes_its_edition(client, site):
    warm(client, site)
    site["other"].topics.add(site["topic"])

    assert rebuilt(client, site) == ARTICLE_LISTS
    assert site["other"].title.encode() in client.get(site["urls"]["topic"]).content


def test_tagging_an_article_refreshes_its_edition(client, site):
    warm(client, site)
    site["other"].tags.add("Oil")

    assert rebuilt(client, site) == ARTICLE_LISTS
    assert site["other"].title.encode() in client.get(site["urls"]["tag"]).content


def test_renaming_a_tag_refreshes_the_articles_showing_it(client, site):
    warm(client, site)
    tag = Tag.objects.get(slug="oil")
    tag.name = "Crude oil"
    tag.save()

    assert rebuilt(client, site) == ARTICLE_LISTS
    assert b"Crude oil" in client.get(site["urls"]["article"]).content


@pytest.mark.parametrize(
    ("kind", "page"),
    [
        ("tag", "/en/tags/desalination/"),
        ("topic", "/en/in-focus/desalination/"),
        ("author", "/en/authors/desalination/"),
    ],
)
def test_a_new_tag_topic_or_author_replaces_the_404_kept_at_its_address(client, site, kind, page):
    """Asked before it existed, its page was kept as 404; the CDN's copy is purged by
    its key, and the page cache's is kept under its scope (pagecache/kinds.py)."""
    from tests.factories import make_author, make_topic

    warm(client, site)
    urls = [page, f"{page}feed/"]
    for url in urls:
        client.get(url)
        answer = client.get(url)
        assert (answer.status_code, state(answer)) == (404, "hit"), url

    {
        "tag": lambda: Tag.objects.create(name="Desalination", slug="desalination"),
        "topic": lambda: make_topic(slug="desalination"),
        "author": lambda: make_author(slug="desalination"),
    }[kind]()

    for url in urls:
        answer = client.get(url)
        assert (answer.status_code, state(answer)) == (200, "miss"), url
    assert rebuilt(client, site) == set()  # no other page: it is on none yet


@pytest.mark.parametrize("item", ["gallery", "film", "map"])
def test_a_media_change_refreshes_the_pages_showing_media(client, site, item):
    warm(client, site)
    thing = site[item]
    thing.title = "A renamed item"
    thing.save()

    assert rebuilt(client, site) == MEDIA_PAGES
    assert b"A renamed item" in client.get(site["urls"][item]).content


def test_linking_counterparts_refreshes_their_editions(client, site):
    persian = make_article(language="fa", title="Persian counterpart")
    warm(client, site)

    article_counterparts_link(article=site["article"], counterpart=persian)

    assert rebuilt(client, site) == ARTICLE_LISTS
    assert b'<link rel="alternate" hreflang="fa"' in client.get(site["urls"]["article"]).content

    article_counterparts_unlink(article=persian)

    assert rebuilt(client, site) == ARTICLE_LISTS
    assert b'<link rel="alternate" hreflang="fa"' not in client.get(site["urls"]["article"]).content


def test_a_section_change_refreshes_everything(client, site):
    warm(client, site)
    section = site["article"].section
    section.name = "Renamed section"
    section.save()

    assert rebuilt(client, site) == set(EVERY_PAGE)


def test_a_new_photo_changes_no_page_and_an_edited_one_every_page(client, site):
    warm(client, site)
    photo = make_photo()
    assert rebuilt(client, site) == set()

    photo.caption = "A corrected caption"
    photo.save()
    assert rebuilt(client, site) == set(EVERY_PAGE)


def test_changes_are_bumped_again_when_their_transaction_commits(
    client, site, django_capture_on_commit_callbacks
):
    """A page rendered between the change and its commit read the old rows."""
    url = site["urls"]["front"]
    with django_capture_on_commit_callbacks() as callbacks:
        make_article(title="Committed later")
        client.get(url)
        assert state(client.get(url)) == "hit"
    assert callbacks
    for callback in callbacks:
        callback()

    assert state(client.get(url)) == "miss"


def test_staff_never_get_nor_store_cached_pages(client, admin_client, site):
    url = site["urls"]["front"]
    staff_first = admin_client.get(url)
    assert state(staff_first) is None
    assert state(client.get(url)) == "miss"  # the staff render was not stored

    assert state(client.get(url)) == "hit"
    staff_again = admin_client.get(url)
    assert state(staff_again) is None
    assert staff_again.status_code == 200


def test_previews_are_never_cached(admin_client, client, site):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None, title="Draft preview")
    url = reverse("articles:preview", args=[draft.pk])

    assert b"Draft preview" in admin_client.get(url).content
    assert client.get(url).status_code == 404
    assert state(client.get(url)) is None


def test_a_scheduled_article_appears_at_its_time_through_the_cache(client, site, stopped_clock):
    publish_at = timezone.now() + timedelta(seconds=1.5)
    make_article(title="On the stroke of the hour", publish_at=publish_at)
    url = site["urls"]["front"]
    assert b"On the stroke" not in client.get(url).content
    cached = client.get(url)
    assert state(cached) == "hit"
    assert int(cached["Cache-Control"].split("max-age=")[1].split(",")[0]) <= 1
    assert "stale-while-revalidate" not in cached["Cache-Control"]

    stopped_clock.move_to(publish_at)

    assert b"On the stroke" in client.get(url).content


def test_an_expiring_article_disappears_at_its_time_through_the_cache(client, site, stopped_clock):
    unpublish_at = timezone.now() + timedelta(seconds=1.5)
    make_article(title="Gone at its hour", unpublish_at=unpublish_at)
    url = site["urls"]["front"]
    assert b"Gone at its hour" in client.get(url).content

    stopped_clock.move_to(unpublish_at)

    assert b"Gone at its hour" not in client.get(url).content


def test_a_published_article_is_in_the_sitemaps_at_once(client, site):
    warm(client, site)
    article = make_article(title="Sitemapped")

    for page in ("sitemap-articles", "news-sitemap"):
        assert article.get_absolute_url().encode() in client.get(site["urls"][page]).content


def test_remembered_versions_show_other_processes_changes_within_their_lifetime(
    client, site, settings, django_assert_num_queries, monkeypatch
):
    from django.core.cache import caches

    from pagecache.versions import new_token, version_key
    from web import scopes

    moved = [0.0]  # seconds this process's clock is moved on, instead of sleeping
    monkeypatch.setattr(scopes, "clock", lambda: 1000.0 + sum(moved))
    settings.PAGE_CACHE_VERSION_MEMO_SECONDS = 0.3
    url = site["urls"]["section"]
    client.get(url)
    assert state(client.get(url)) == "hit"

    # This process's own change shows at once.
    make_article(section=site["article"].section, title="Seen at once")
    assert b"Seen at once" in client.get(url).content

    # Another process's change (its token written straight to the cache) shows
    # once the remembered token is older than the setting.
    caches["pages"].set(version_key(f"ed:{site['article'].language}"), new_token(), None)
    with django_assert_num_queries(0):
        assert state(client.get(url)) == "hit"
    moved.append(0.35)  # this process's memory of the tokens is now too old
    assert state(client.get(url)) == "miss"


def test_publishing_a_counterpart_shows_its_link_on_the_other_editions_cached_page(client, site):
    """The English page's edition switcher links the Persian article once it is out."""
    persian = make_article(language="fa", status=Article.Status.DRAFT, publish_at=None)
    article_counterparts_link(article=site["article"], counterpart=persian)
    url = site["urls"]["article"]
    client.get(url)
    assert state(client.get(url)) == "hit"

    persian.status, persian.publish_at = Article.Status.PUBLISHED, timezone.now()
    persian.save()  # an edit of the Persian edition only (its counterparts' pages link it)

    response = client.get(url)
    assert state(response) == "miss"
    assert b'<link rel="alternate" hreflang="fa"' in response.content


@pytest.mark.parametrize(
    "write",
    [
        "edit",
        "publish",
        "unpublish",
        "move",
        "tag",
        "topic",
        "note",
        "comment",
        "section",
        "author",
        "tag-rename",
        "topic-rename",
        "photo",
        "gallery",
        "counterparts",
    ],
)
def test_every_write_purges_exactly_the_scopes_it_makes_stale(
    write, site, settings, django_capture_on_commit_callbacks, monkeypatch
):
    """One set per write: the scopes whose tokens move are the keys the CDN purges."""
    from articles.models import ArticleNote
    from cdn import purge
    from tests.factories import make_author, make_section
    from web import scopes

    article, topic, gallery = site["article"], site["topic"], site["gallery"]
    author, section = make_author(slug="jane"), make_section(slug="world")
    persian = make_article(language="fa")
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    bumped, purged = [], []
    real_set_tokens = scopes.set_tokens
    monkeypatch.setattr(
        scopes, "set_tokens", lambda values: (bumped.append(set(values)), real_set_tokens(values))
    )
    settings.CDN_PURGE_BACKEND = "http"
    monkeypatch.setattr(purge, "backend", lambda: type("R", (), {"purge": purged.append})())
    oil = Tag.objects.get(slug="oil")
    writes = {
        "edit": lambda: save(article, title="A corrected title"),
        "publish": lambda: save(draft, status=Article.Status.PUBLISHED, publish_at=timezone.now()),
        "unpublish": lambda: save(article, status=Article.Status.DRAFT),
        "move": lambda: save(article, section=section),
        "tag": lambda: article.tags.add("Desalination"),
        "topic": lambda: topic.articles.remove(article),
        "note": lambda: ArticleNote.objects.create(article=article, text="A correction."),
        "comment": lambda: make_comment(article=article, status=Comment.Status.APPROVED),
        "section": lambda: save(section, name="Planet"),
        "author": lambda: save(author, bio="Now in Beirut."),
        "tag-rename": lambda: save(oil, slug="crude-oil"),
        "topic-rename": lambda: save(topic, slug="renamed"),
        "photo": lambda: save(site["article"].photo or make_photo(), caption="Recaptioned"),
        "gallery": lambda: save(gallery, title="Renamed"),
        "counterparts": lambda: article_counterparts_link(article=article, counterpart=persian),
    }

    with django_capture_on_commit_callbacks(execute=True):
        bumped.clear()
        writes[write]()

    tokens = {key.removeprefix("pages:v:") for values in bumped for key in values}
    scopes_bumped = {key for key in tokens if not key.startswith("pages:")}
    assert purged and scopes_bumped == {key for keys in purged for key in keys}


def save(row, **fields):
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
