"""Feeds walked across the rest of the site, as their readers, desks and the CDN meet them.

Every feed an article is in (its edition's, its section's, tag's, topic's and
author's, RSS and Atom) is read through the page cache, as in production, and
parsed with an XML parser. The desk is driven through its own pages: an Editor's
held change, a Chief Editor's review, schedule and take-down. What the CDN is told
is recorded after commit, as cdn/apps.py sends it.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from lxml import etree
from PIL import Image

from articles.models import Article, PendingChange
from articles.urling import article_slug
from pagecache.kinds import page_kind
from tests.desk.actions import press, press_schedule
from tests.desk.test_publishing_rights import make_user, post_form
from tests.factories import (
    make_article,
    make_author,
    make_gallery,
    make_photo,
    make_section,
    make_topic,
)
from tests.pagecache.conftest import page_cache, state  # noqa: F401 - page_cache is autouse

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


class Recorder:
    """A CDN purge backend that writes down the keys it is asked to purge."""

    calls: list[list[str]] = []

    def purge(self, keys):
        Recorder.calls.append(list(keys))


@pytest.fixture
def purged(settings, django_capture_on_commit_callbacks):
    """Run what a test does with on-commit callbacks as in production; return the keys purged."""
    settings.CDN_PURGE_BACKEND = "tests.articles.test_feed_journeys.Recorder"
    keys: set[str] = set()

    class Capture:
        def __enter__(self):
            Recorder.calls = []
            self.context = django_capture_on_commit_callbacks(execute=True)
            self.context.__enter__()
            return keys

        def __exit__(self, *exc):
            self.context.__exit__(*exc)
            keys.update(key for call in Recorder.calls for key in call)

    return Capture()


@dataclass
class Item:
    title: str
    summary: str
    link: str
    enclosures: list[dict]
    guid: str = ""  # RSS <guid>, Atom <id>
    permalink: str | None = None  # RSS isPermaLink as written (Atom has none)


@dataclass
class Feed:
    language: str
    title: str
    link: str
    items: list[Item]


def parse(response) -> Feed:
    """Parse an RSS 2.0 or Atom 1.0 response with a strict XML parser."""
    assert response.status_code == 200, response.status_code
    root = etree.fromstring(response.content)  # raises on anything that is not XML
    if root.tag == f"{ATOM}feed":
        return Feed(
            language=root.get("{http://www.w3.org/XML/1998/namespace}lang"),
            title=root.findtext(f"{ATOM}title"),
            link=root.find(f"{ATOM}link[@rel='alternate']").get("href"),
            items=[
                Item(
                    title=entry.findtext(f"{ATOM}title"),
                    summary=entry.findtext(f"{ATOM}summary"),
                    link=entry.find(f"{ATOM}link[@rel='alternate']").get("href"),
                    enclosures=[
                        {"url": link.get("href"), "length": link.get("length"),
                         "type": link.get("type")}
                        for link in entry.findall(f"{ATOM}link[@rel='enclosure']")
                    ],
                    guid=entry.findtext(f"{ATOM}id"),
                )
                for entry in root.iter(f"{ATOM}entry")
            ],
        )  # fmt: skip
    channel = root.find("channel")
    return Feed(
        language=channel.findtext("language"),
        title=channel.findtext("title"),
        link=channel.findtext("link"),
        items=[
            Item(
                title=item.findtext("title"),
                summary=item.findtext("description"),
                link=item.findtext("link"),
                enclosures=[dict(enclosure.attrib) for enclosure in item.findall("enclosure")],
                guid=item.findtext("guid"),
                permalink=item.find("guid").get("isPermaLink"),
            )
            for item in root.iter("item")
        ],
    )


def titles(client, url) -> list[str]:
    return [item.title for item in parse(client.get(url)).items]


def keys(response) -> set[str]:
    return set(response["Surrogate-Key"].split())


def feeds_of(article: Article, topic, tag_slug: str) -> list[str]:
    """Return every feed address `article` is listed in, RSS and Atom."""
    with override(article.language):
        feeds = [
            reverse("articles:feed"),
            reverse("articles:section-feed", args=[article.section.slug]),
            reverse("articles:tag-feed", args=[tag_slug]),
            reverse("topics:feed", args=[topic.slug]),
            reverse("articles:author-feed", args=[article.author.slug]),
        ]
    return [address for feed in feeds for address in (feed, f"{feed}atom/")]


def warm(client, urls) -> dict[str, set[str]]:
    """Read each feed twice (stored, then served from the cache); return their CDN keys."""
    for url in urls:
        client.get(url)
    served = {url: client.get(url) for url in urls}
    assert {url: state(response) for url, response in served.items()} == dict.fromkeys(urls, "hit")
    return {url: keys(response) for url, response in served.items()}


@pytest.fixture
def story():
    """A live English story in a section, under a tag and a topic, by an author."""
    topic = make_topic(name="Water diplomacy", slug="water-diplomacy")
    article = make_article(
        title="Port reopens",
        lead="The port reopens on Monday.",
        section=make_section(name="Report", slug="report"),
        author=make_author(name="Jane Doe", slug="jane-doe"),
        tags=["Water"],
        photo=make_photo(size=(160, 90)),
    )
    article.topics.add(topic)
    article.feeds = feeds_of(article, topic, "water")
    return article


def desk_user(role: str, desk: str = "English desk", username: str = ""):
    """Return an Editor or Chief Editor of one desk, signed in on a browser of their own."""
    user = make_user(role, username or f"{role}-{desk.split()[0].lower()}")
    if desk != "English desk":
        user.groups.remove(Group.objects.get(name="English desk"))
        user.groups.add(Group.objects.get(name=desk))
    browser = Client()
    browser.force_login(user)
    return browser


# --- Feeds × the review workflow --------------------------------------------------------


def test_a_held_change_stays_out_of_every_feed_until_a_chief_editor_publishes_it(
    client, story, purged
):
    cached_keys = warm(client, [*story.feeds, "/ar/feed/"])
    editor = desk_user("editor")

    held = post_form(
        editor,
        reverse("admin:articles_article_change", args=[story.pk]),
        {"title": "Port reopens late", "lead": "The port reopens on Tuesday."},
    )

    assert held.status_code == 302 and PendingChange.objects.get().state == "pending"
    for url in story.feeds:
        (item,) = parse(client.get(url)).items
        assert (item.title, item.summary) == ("Port reopens", "The port reopens on Monday."), url

    chief = desk_user("chief")
    with purged as purged_keys:
        published = chief.post(
            reverse("admin:articles_article_review", args=[story.pk]), {"publish": "1"}
        )

    assert published.status_code == 302
    for url in story.feeds:
        fresh = client.get(url)
        assert state(fresh) == "miss", url  # rebuilt at once, not served from before
        (item,) = parse(fresh).items
        assert (item.title, item.summary) == (
            "Port reopens late",
            "The port reopens on Tuesday.",
        ), url
        # The CDN is told a name every copy of this feed carries.
        assert cached_keys[url] & purged_keys, url
    # Another edition's feed lists none of it: its readers keep their copy.
    assert state(client.get("/ar/feed/")) == "hit"
    assert not cached_keys["/ar/feed/"] & purged_keys


@pytest.mark.parametrize(
    ("feed", "page"),
    [
        ("/en/feed/", "/en/news/"),  # the archive: the edition's articles, as the feed
        ("/en/section/report/feed/", "/en/section/report/"),
        ("/en/tags/water/feed/", "/en/tags/water/"),
        ("/en/in-focus/water-diplomacy/feed/", "/en/in-focus/water-diplomacy/"),
        ("/ar/authors/jane-doe/feed/", "/ar/authors/jane-doe/"),
    ],
)
def test_a_feed_is_kept_under_the_scope_tokens_of_the_page_listing_the_same(feed, page):
    assert page_kind(feed).scopes == page_kind(f"{feed}atom/").scopes == page_kind(page).scopes


# --- Feeds × slug edits: an item's guid is its id's ----------------------------------


def guids(client, urls) -> dict[str, Item]:
    """Return the one item of each feed at `urls`, by address."""
    items = {}
    for url in urls:
        (items[url],) = parse(client.get(url)).items
    return items


@pytest.mark.parametrize("through", ["held change", "chief editor"])
def test_a_slug_edit_leaves_every_feeds_guid_as_it_was(client, story, through):
    """Readers' apps know an item by its guid (Atom: id): a new one is a new story."""
    before = guids(client, story.feeds)
    change = {"title": "Port reopens late", "slug": "port-reopens-late"}
    chief = desk_user("chief")
    if through == "held change":
        post_form(
            desk_user("editor"), reverse("admin:articles_article_change", args=[story.pk]), change
        )
        assert PendingChange.objects.get().state == "pending"
        chief.post(reverse("admin:articles_article_review", args=[story.pk]), {"publish": "1"})
    else:
        post_form(chief, reverse("admin:articles_article_change", args=[story.pk]), change)

    story.refresh_from_db()
    assert story.slug == "port-reopens-late"
    permanent = f"http://testserver/en/news/{story.pk}/"
    for url, item in guids(client, story.feeds).items():
        assert item.title == "Port reopens late", url  # the feed is fresh...
        assert item.link == f"http://testserver{story.get_absolute_url()}", url
        assert item.guid == before[url].guid == permanent, url  # ...and knows the item
        assert item.permalink == ("true" if "atom" not in url else None), url
    # The guid is a permalink: it leads to the story at its address of the day.
    assert client.get(permanent).headers["Location"] == story.get_absolute_url()


def test_each_article_has_one_guid_in_every_feed_and_no_other_article_has_it(client):
    """Counterparts in three editions are three items, each the same in RSS and Atom."""
    author = make_author(name="Jane Doe", slug="jane-doe")
    titles = {"en": "Talks resume", "ar": "المحادثات تُستأنف", "fa": "گفت‌وگوها از سر گرفته شد"}
    stories = [
        make_article(
            title=title,
            slug=article_slug(title),
            language=code,
            section=make_section(slug="report", language=code),
            author=author,
        )
        for code, title in titles.items()
    ]
    Article.objects.filter(pk__in=[a.pk for a in stories]).update(translation_group=stories[0].pk)
    seen: dict[str, set[int]] = {}
    for article in stories:
        for feed in ("feed/", "section/report/feed/", "authors/jane-doe/feed/"):
            for url in (f"/{article.language}/{feed}", f"/{article.language}/{feed}atom/"):
                for item in parse(client.get(url)).items:
                    seen.setdefault(item.guid, set()).add(item.link)

    assert len(seen) == 3  # one guid an article, whichever feed and format lists it
    for article in stories:
        guid = f"http://testserver/{article.language}/news/{article.pk}/"
        assert seen[guid] == {f"http://testserver{article.get_absolute_url()}"}
        redirect = client.get(guid)  # a permalink in every edition, Persian slugs too
        assert redirect.status_code == 301
        assert redirect.headers["Location"] == article.get_absolute_url()


# --- Feeds × scheduling -----------------------------------------------------------------


def test_a_scheduled_story_joins_every_feed_at_its_time_and_an_expiring_one_leaves(
    client, story, stopped_clock
):
    chief = desk_user("chief")
    draft = make_article(
        title="Talks at dawn",
        status=Article.Status.DRAFT,
        publish_at=None,
        section=story.section,
        author=story.author,
        tags=["Water"],
    )
    draft.topics.add(story.topics.get())
    press_schedule(chief, draft, timezone.now() + timedelta(minutes=10))
    draft.refresh_from_db()
    assert draft.visibility_key == "scheduled"
    story.unpublish_at = draft.publish_at + timedelta(minutes=5)
    story.save()
    warm(client, story.feeds)

    stopped_clock.move_to(draft.publish_at)  # nobody presses anything, nothing is purged
    for url in story.feeds:
        assert titles(client, url) == ["Talks at dawn", "Port reopens"], url

    stopped_clock.move_to(story.unpublish_at)
    for url in story.feeds:
        assert titles(client, url) == ["Talks at dawn"], url


def test_a_feed_is_never_kept_past_the_next_scheduled_change(client, story, stopped_clock):
    make_article(title="Later", publish_at=timezone.now() + timedelta(seconds=90))

    client.get("/en/feed/")
    cached = client.get("/en/feed/")

    assert state(cached) == "hit"
    assert "max-age=90," in cached["Cache-Control"] and "s-maxage=90" in cached["Cache-Control"]
    assert "stale-while-revalidate" not in cached["Cache-Control"]


# --- Feeds × take-down, deletion and unpublishing ---------------------------------------


def test_a_taken_down_then_deleted_story_leaves_every_feed_and_the_cdn(client, story, purged):
    other = make_article(title="Another story", section=story.section, author=story.author)
    other.tags.add("Water")
    other.topics.add(story.topics.get())
    cached_keys = warm(client, story.feeds)
    chief = desk_user("chief")

    with purged as taken_down:
        press(chief, story, "take_down", takedown_reason="The source withdrew it.")

    assert Article.objects.get(pk=story.pk).status == Article.Status.DRAFT
    for url in story.feeds:
        fresh = client.get(url)
        assert state(fresh) == "miss", url  # never a stale copy after a take-down
        assert [item.title for item in parse(fresh).items] == ["Another story"], url
        assert cached_keys[url] & taken_down, url

    cached_keys = warm(client, story.feeds)
    with purged as deleted:
        gone = chief.post(
            reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"}
        )

    assert gone.status_code == 302 and not Article.objects.filter(pk=story.pk).exists()
    for url in story.feeds:
        assert titles(client, url) == ["Another story"], url
        assert cached_keys[url] & deleted, url


def test_an_author_deleted_at_the_desk_leaves_their_page_and_feeds_at_once(client, story, purged):
    """Gone at once from the page cache (a hard change: no copy from before is
    served while others rebuild) and from the CDN; the story stays, without them."""
    urls = ["/en/authors/jane-doe/", *story.feeds[-2:], "/en/feed/"]
    cached_keys = warm(client, urls)
    chief = desk_user("chief")

    with purged as purged_keys:
        gone = chief.post(
            reverse("admin:articles_author_delete", args=[story.author.pk]), {"post": "yes"}
        )

    assert gone.status_code == 302 and Article.objects.get(pk=story.pk).author is None
    for url in urls[:-1]:
        fresh = client.get(url)
        assert (fresh.status_code, state(fresh)) == (404, "miss"), url
        assert cached_keys[url] & purged_keys, url
    assert titles(client, "/en/feed/") == ["Port reopens"]
    assert cached_keys["/en/feed/"] & purged_keys  # its items named the author


def test_unpublishing_through_the_form_leaves_every_feed(client, story, purged):
    """A Chief Editor's "unpublish at" set to a time already past is a take-down too."""
    cached_keys = warm(client, story.feeds)
    chief = desk_user("chief")
    past = timezone.localtime() - timedelta(minutes=1)

    with purged as purged_keys:
        post_form(
            chief,
            reverse("admin:articles_article_change", args=[story.pk]),
            {
                "unpublish_at_0": past.strftime("%Y-%m-%d"),
                "unpublish_at_1": past.strftime("%H:%M:%S"),
                "takedown_reason": "Legal advice.",
            },
        )

    assert not Article.objects.get(pk=story.pk).is_live
    for url in story.feeds:
        assert titles(client, url) == [], url
        assert cached_keys[url] & purged_keys, url


def test_a_persian_story_with_persian_slugs_leaves_its_feeds_and_the_cdn(client, purged):
    section = make_section(name="گزارش", slug="گزارش", language="fa")
    topic = make_topic(name="دیپلماسی آب", slug="دیپلماسی-آب", language="fa")
    article = make_article(
        title="بندر دوباره باز شد",
        language="fa",
        section=section,
        author=make_author(name="مریم", slug="مریم"),
        tags=["آب"],
    )
    article.topics.add(topic)
    feeds = feeds_of(article, topic, article.tags.get().slug)
    cached_keys = warm(client, feeds)
    chief = desk_user("chief", "Persian desk")

    with purged as purged_keys:
        press(chief, article, "take_down", takedown_reason="نادرست بود.")

    for url in feeds:
        # Keys a CDN can read: ASCII, as the purge names them (web/scopes.py slug_scope).
        assert all(key.isascii() for key in cached_keys[url]), url
        assert cached_keys[url] & purged_keys, url
        assert titles(client, url) == [], url


# --- Feeds × editions -------------------------------------------------------------------


@pytest.mark.parametrize("edition", ["en", "ar", "fa"])
def test_each_editions_feeds_carry_its_language_its_articles_and_its_addresses(client, edition):
    texts = {
        "en": ("Talks resume & continue", "Delegations <met> again."),
        "ar": ("المحادثات تُستأنف «اليوم» & <غداً>", "الوفود تلتقي مجدداً في فيينا."),
        "fa": ("گفت‌وگوها از سر گرفته شد & «ادامه» دارد", "هیئت‌ها دوباره در وین دیدار کردند."),
    }
    stories = {
        code: make_article(
            title=title,
            lead=lead,
            language=code,
            section=make_section(name=f"{code} report", slug="report", language=code),
            author=make_author(name=f"Writer {code}", slug=f"writer-{code}"),
            tags=["Vienna"],
        )
        for code, (title, lead) in texts.items()
    }
    for code, article in stories.items():
        article.topics.add(make_topic(slug="vienna-talks", language=code))
    own = stories[edition]
    with override(edition):
        base = f"/{edition}/"
        feeds = [
            reverse("articles:feed"),
            reverse("articles:section-feed", args=["report"]),
            reverse("articles:tag-feed", args=["vienna"]),
            reverse("topics:feed", args=["vienna-talks"]),
            reverse("articles:author-feed", args=[own.author.slug]),
        ]

    for url in [address for feed in feeds for address in (feed, f"{feed}atom/")]:
        feed = parse(client.get(url))
        assert feed.language == edition, url
        assert feed.link.startswith(f"http://testserver{base}"), url
        (item,) = feed.items
        assert (item.title, item.summary) == texts[edition], url  # not escaped twice, not lost
        assert item.link == f"http://testserver{own.get_absolute_url()}", url
        assert item.link.startswith(f"http://testserver{base}news/{own.pk}/"), url


def test_another_editions_publishing_leaves_this_editions_feeds_cached(client, story):
    draft = make_article(title="قصة عربية", language="ar", status="draft", publish_at=None)
    chief = desk_user("chief", "Arabic desk")
    warm(client, story.feeds)

    press(chief, draft, "publish")

    assert Article.objects.get(pk=draft.pk).is_live
    assert all(state(client.get(url)) == "hit" for url in story.feeds)
    assert titles(client, "/ar/feed/") == ["قصة عربية"]
    assert "قصة عربية" not in client.get("/en/feed/").content.decode()


@pytest.mark.parametrize("edition", ["en", "ar", "fa"])
def test_a_name_in_a_feeds_title_keeps_its_own_direction(client, edition):
    """A Latin name in a right-to-left title (or the reverse) is set apart.

    Pages put such names in <bdi> or dir="auto"; a feed's title is plain text, so
    the name is wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, which
    keeps "Jane Doe (ed.)" from being reordered around the site's name.
    """
    author = make_author(name="Jane Doe (ed.)", slug="jane-doe")
    article = make_article(language=edition, author=author, tags=["الحوثيون (حركة)"])
    tag = article.tags.get()

    with override(edition):
        named = {
            reverse("articles:author-feed", args=[author.slug]): author.name,
            reverse("articles:tag-feed", args=[tag.slug]): tag.name,
        }
    for feed, name in named.items():
        for url in (feed, f"{feed}atom/"):
            title = parse(client.get(url)).title
            assert title.endswith(f": \u2068{name}\u2069"), (url, title)


# --- Feeds × images, galleries and exclusive items --------------------------------------


def test_enclosures_point_at_the_stored_image_as_it_is(client, story, settings):
    for url in story.feeds:
        (item,) = parse(client.get(url)).items
        (enclosure,) = item.enclosures
        assert enclosure["url"].startswith(f"http://testserver{settings.MEDIA_URL}"), url
        name = enclosure["url"].removeprefix(f"http://testserver{settings.MEDIA_URL}")
        assert default_storage.exists(name), url
        assert int(enclosure["length"]) == default_storage.size(name), url
        with default_storage.open(name) as stored, Image.open(stored) as image:
            assert enclosure["type"] == Image.MIME[image.format], url


def test_galleries_exclusive_or_unpublished_never_reach_a_feed(client, story):
    hidden = make_gallery(photos=1, title="Unpublished album", status="draft", publish_at=None)
    exclusive = make_gallery(photos=1, title="Exclusive album", exclusive=True)
    later = make_gallery(
        photos=1, title="Tomorrow's album", publish_at=timezone.now() + timedelta(days=1)
    )
    photos = [gallery.items.get().photo for gallery in (hidden, exclusive, later)]

    for url in story.feeds:
        content = client.get(url).content.decode()
        assert "/gallery/" not in content, url
        assert not any(photo.image.url in content for photo in photos), url


# --- Feeds × bad input ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/en/section/nope/feed/",
        "/en/section/nope/feed/atom/",
        "/en/tags/nope/feed/",
        "/en/in-focus/nope/feed/atom/",
        "/en/authors/nope/feed/",
        "/ar/section/report/feed/",  # the English section's slug, asked in Arabic
        "/ar/in-focus/water-diplomacy/feed/",
        "/en/section/%F0%9F%92%A5/feed/",
        f"/en/tags/{'x' * 300}/feed/",
    ],
)
def test_unknown_or_other_editions_subjects_answer_404(client, story, url):
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "feed", ["/en/feed/", "/en/section/report/feed/atom/", "/en/tags/water/feed/"]
)
def test_query_strings_never_make_a_feed_render_again(
    client, story, feed, django_assert_num_queries
):
    client.get(feed)

    with django_assert_num_queries(0):
        answers = [
            client.get(f"{feed}?{query}")
            for query in ("page=2", "page=99999", "p=3", "before=1", "after=9", "play=1", "x=1")
        ]

    assert {state(answer) for answer in answers} == {"hit"}
    assert {answer.content for answer in answers} == {client.get(feed).content}


def test_author_pages_and_feeds_are_kept_by_the_page_cache_like_every_other_list(client, story):
    for url in ("/en/authors/jane-doe/", *story.feeds[-2:]):
        client.get(url)
        cached = client.get(url)
        assert state(cached) == "hit", url
        assert cached["Cache-Control"].startswith("public, max-age="), url
        assert "ed:en" in keys(cached), url  # purged with the edition's articles
