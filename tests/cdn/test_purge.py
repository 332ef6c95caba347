"""Content changes purge the surrogate keys of the pages that show them.

The keys are the scopes a change touches (pagecache/invalidation.py): the same
names whose page-cache tokens it bumps, so the CDN drops exactly the pages the
page cache rebuilds, plus those that link to what changed.
"""

import http.server
import json
import threading

import pytest
from django.contrib.auth.models import User

from articles.models import Article, ArticleNote
from articles.services import article_publish, article_unpublish
from cdn import purge
from comments.models import Comment
from comments.services import comment_moderate
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_photo,
    make_related,
    make_section,
    make_topic,
)

pytestmark = pytest.mark.django_db


class Recorder:
    calls: list[list[str]] = []

    def purge(self, keys):
        Recorder.calls.append(keys)


@pytest.fixture
def purged(settings, django_capture_on_commit_callbacks):
    """Record the keys purged by what a test does (after commit, as in production)."""
    settings.CDN_PURGE_BACKEND = "tests.cdn.test_purge.Recorder"
    Recorder.calls = []

    class Capture:
        def __enter__(self):
            self.context = django_capture_on_commit_callbacks(execute=True)
            self.context.__enter__()
            Recorder.calls = []
            return self

        def __exit__(self, *exc):
            self.context.__exit__(*exc)

        @property
        def keys(self) -> set[str]:
            return {key for call in Recorder.calls for key in call}

    return Capture()


@pytest.fixture
def chief(db):
    return User.objects.create_superuser("chief", "chief@example.org", "pw")


def test_publishing_purges_the_edition_and_the_article(purged, chief):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)

    with purged:
        article_publish(articles=Article.objects.filter(pk=draft.pk), user=chief)

    # Its address may have been answered 404, and a CDN keeps 404s.
    assert purged.keys == {"ed:en", f"article:{draft.pk}"}


def test_unpublishing_purges_the_edition(purged, chief):
    live = make_article()

    with purged:
        article_unpublish(articles=Article.objects.filter(pk=live.pk), user=chief, reason="Legal")

    assert purged.keys == {"ed:en", f"article:{live.pk}"}


def test_deleting_a_taken_down_article_purges_its_address_which_stays_gone(purged, chief, client):
    """The CDN keeps 404s and 410s: the purge lets the address be asked again, and the
    takedown record, kept apart from the row, still answers 410 Gone."""
    live = make_article()
    address = live.get_absolute_url()
    article_unpublish(articles=Article.objects.filter(pk=live.pk), user=chief, reason="Legal")

    with purged:
        Article.objects.get(pk=live.pk).delete()

    assert purged.keys == {"ed:en", f"article:{live.pk}"}
    assert client.get(address).status_code == 410


def test_editing_a_live_article_purges_its_edition_and_its_pages(purged):
    live = make_article()

    with purged:
        live.title = "A corrected title"
        live.save()

    # The edition's pages list its title: the page cache rebuilds them all, so
    # the CDN drops them too; other editions' pages linking to it by its key.
    assert purged.keys == {"ed:en", f"article:{live.pk}"}


def test_moving_a_live_article_purges_both_sections(purged):
    live = make_article(section=make_section(slug="news"))
    analysis = make_section(slug="analysis")

    with purged:
        live.section = analysis
        live.save()

    assert purged.keys == {"ed:en", f"article:{live.pk}", "section:news", "section:analysis"}


def test_editing_a_draft_purges_nothing(purged):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)

    with purged:
        draft.title = "Still a draft"
        draft.save()

    assert purged.keys == set()


def test_tagging_a_live_article_purges_it_and_the_tag(purged):
    live = make_article()

    with purged:
        live.tags.add("Gulf")

    assert purged.keys == {"ed:en", f"article:{live.pk}", "tag:gulf"}


def test_approving_a_comment_purges_the_comments_of_its_article(purged, chief):
    comment = make_comment(article=make_article())

    with purged:
        comment.status = Comment.Status.APPROVED
        comment.save()

    assert purged.keys == {f"comments:{comment.article_id}"}


def test_approving_comments_in_bulk_purges_their_articles(purged, chief):
    first, second = make_comment(), make_comment()

    with purged:
        comment_moderate(
            comments=Comment.objects.filter(pk__in=[first.pk, second.pk]),
            status=Comment.Status.APPROVED,
            moderator=chief,
        )

    assert purged.keys == {f"comments:{first.article_id}", f"comments:{second.article_id}"}


EVERYTHING = {"ed:en", "ed:ar", "ed:fa", "media", "topics", "chrome"}


def test_editing_a_photo_purges_every_page(purged):
    photo = make_photo()

    with purged:
        photo.caption = "A better caption"
        photo.save()

    # It may be on any page, and the page cache cannot tell which: every page.
    assert purged.keys == {f"photo:{photo.pk}", *EVERYTHING}


EVERY_EDITION = {"ed:en", "ed:ar", "ed:fa"}


@pytest.mark.parametrize(
    "field, value", [("name", "Jane Doe-Smith"), ("bio", "Now in Beirut."), ("photo", "new")]
)
def test_editing_an_author_purges_their_page_and_every_edition(purged, field, value):
    author = make_author(slug="jane-doe")
    make_article(author=author)

    with purged:
        setattr(author, field, make_photo() if value == "new" else value)
        author.save()

    # Bylines are on lists, feeds and article pages of any edition.
    assert purged.keys == {"author:jane-doe", *EVERY_EDITION}


def test_a_new_author_slug_purges_the_old_and_the_new_address(purged):
    author = make_author(slug="jane-doe")

    with purged:
        author.slug = "jane-doe-smith"
        author.save()

    assert purged.keys == {"author:jane-doe", "author:jane-doe-smith", *EVERY_EDITION}


def test_deleting_an_author_purges_the_pages_that_named_them(purged):
    author = make_author(slug="gone")
    make_article(author=author)

    with purged:
        author.delete()

    # The delete unsets their articles' bylines (articles saved by the database,
    # no signal): every edition, as for an edit.
    assert purged.keys == {"author:gone", *EVERY_EDITION}


def test_giving_a_live_article_another_author_purges_both_authors(purged):
    before, after = make_author(slug="first"), make_author(slug="second")
    live = make_article(author=before)

    with purged:
        live.author = after
        live.save()

    assert purged.keys == {"ed:en", f"article:{live.pk}", "author:first", "author:second"}


@pytest.mark.parametrize("kind", ["tag", "topic"])
def test_renaming_a_tag_or_topic_slug_purges_the_old_and_the_new_key(purged, kind):
    if kind == "tag":
        from taggit.models import Tag

        item = Tag.objects.create(name="Gulf", slug="gulf")
    else:
        item = make_topic(slug="gulf")

    with purged:
        item.slug = "persian-gulf"
        item.save()

    shown_on = EVERY_EDITION if kind == "tag" else {"topics"}  # its name on those pages
    assert purged.keys == {f"{kind}:gulf", f"{kind}:persian-gulf", *shown_on}


def test_renaming_a_section_purges_everything(purged):
    section = make_section(slug="news")

    with purged:
        section.name = "Latest news"
        section.save()

    assert purged.keys == {"section:news", *EVERYTHING}  # in every page's menu


def test_adding_articles_from_the_topic_side_purges_them_and_the_topic(purged):
    topic = make_topic(slug="nato")
    live = make_article()
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)

    with purged:
        topic.articles.add(live, draft)

    assert purged.keys == {"topic:nato", "ed:en", f"article:{live.pk}"}


@pytest.mark.parametrize("side", ["article", "topic"])
def test_clearing_topics_purges_what_was_linked(purged, side):
    topic = make_topic(slug="nato")
    live = make_article()
    live.topics.add(topic)

    with purged:
        (live.topics if side == "article" else topic.articles).clear()

    assert purged.keys == {"topic:nato", "ed:en", f"article:{live.pk}"}


def test_a_note_or_a_related_pick_on_a_live_article_purges_its_page(purged):
    live, draft, other = (
        make_article(),
        make_article(status="draft", publish_at=None),
        make_article(),
    )

    with purged:
        ArticleNote.objects.create(article=live, text="Corrected the minister's name.")
        make_related(live, other)
        ArticleNote.objects.create(article=draft, text="Unseen.")

    assert purged.keys == {"ed:en", f"article:{live.pk}"}


def test_editing_a_standing_page_purges_it_in_every_edition(purged):
    from alwaght.models import Page

    with purged:
        page = Page.objects.create(language="en", slug="about", title="About", body="<p>Hi</p>")
    assert purged.keys == {"page:about"}  # a 404 at its address may have been kept

    with purged:
        page.body = "<p>Who we are.</p>"
        page.slug = "about-us"
        page.save()
    assert purged.keys == {"page:about", "page:about-us"}


def test_a_new_photo_purges_nothing(purged):
    with purged:
        make_photo()

    assert purged.keys == set()  # on no page yet


def test_linking_counterparts_purges_the_pages_of_the_whole_group(purged):
    from articles.counterparts import article_counterparts_link, article_counterparts_unlink

    english, arabic = make_article(), make_article(language="ar")
    persian = make_article(language="fa")
    article_counterparts_link(article=english, counterpart=arabic)

    with purged:
        article_counterparts_link(article=persian, counterpart=english)
    group = {f"article:{a.pk}" for a in (english, arabic, persian)} | EVERY_EDITION
    assert purged.keys == group  # each page's edition switcher and hreflang links

    with purged:
        article_counterparts_unlink(article=persian)
    # The others linked to it: every former member's page changes.
    assert purged.keys == group


def test_publishing_an_article_with_counterparts_purges_their_pages(purged, chief):
    from articles.counterparts import article_counterparts_link

    english = make_article()
    arabic = make_article(language="ar", status=Article.Status.DRAFT, publish_at=None)
    article_counterparts_link(article=arabic, counterpart=english)

    with purged:
        article_publish(articles=Article.objects.filter(pk=arabic.pk), user=chief)

    # Its counterpart's page (in its own edition) gains a link to it.
    assert purged.keys == {"ed:ar", f"article:{arabic.pk}", "ed:en", f"article:{english.pk}"}


def test_a_rolled_back_change_purges_nothing(purged):
    live = make_article()

    with purged:
        try:
            from django.db import transaction

            with transaction.atomic():
                live.title = "Never saved"
                live.save()
                raise RuntimeError
        except RuntimeError:
            pass

    assert purged.keys == set()


def test_no_backend_by_default_sends_nothing(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    assert settings.CDN_PURGE_BACKEND == "none"
    sent = []
    monkeypatch.setattr(purge, "backend", lambda: sent.append("a backend was asked"))
    live = make_article()

    with django_capture_on_commit_callbacks(execute=True):
        live.title = "Edited"
        live.save()

    assert sent == []


# --- Backends against a local HTTP server ---------------------------------------------


@pytest.fixture
def receiver():
    """An HTTP server on 127.0.0.1 that records the purge requests it gets."""
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _record(self):
            length = int(self.headers.get("Content-Length") or 0)
            received.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()

        do_PURGE = do_POST = _record

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


def test_the_http_backend_sends_purge_with_the_keys(settings, receiver):
    url, received = receiver
    settings.CDN_PURGE_BACKEND = "http"
    settings.CDN_PURGE_URLS = [url + "/"]
    settings.CDN_PURGE_HEADERS = "Fastly-Key: secret"

    purge.purge_keys(["article:1", "ed:en"])

    method, _path, headers, _body = received[0]
    assert method == "PURGE"
    assert headers["Surrogate-Key"] == "article:1 ed:en"
    assert headers["Fastly-Key"] == "secret"


def test_the_cloudflare_backend_purges_by_tag_in_batches(settings, receiver):
    url, received = receiver
    settings.CDN_PURGE_BACKEND = "cloudflare"
    settings.CDN_CLOUDFLARE_API_URL = url + "/client/v4/zones/zone-1/purge_cache"
    settings.CDN_CLOUDFLARE_API_TOKEN = "token"

    purge.purge_keys([f"article:{number}" for number in range(45)])

    assert [json.loads(body)["tags"][0] for *_rest, body in received] == [
        "article:0",
        "article:30",
    ]
    assert received[0][2]["Authorization"] == "Bearer token"


def test_a_cdn_outage_never_fails_the_save(settings, caplog):
    settings.CDN_PURGE_BACKEND = "http"
    settings.CDN_PURGE_URLS = ["http://127.0.0.1:9/"]  # nothing listens there

    purge.purge_keys(["article:1"])

    assert "CDN purge of ['article:1'] failed" in caplog.text


def test_purge_urls_must_be_http(settings, caplog):
    settings.CDN_PURGE_BACKEND = "http"
    settings.CDN_PURGE_URLS = ["file:///etc/passwd"]

    purge.purge_keys(["article:1"])

    assert "must be http(s)" in caplog.text
