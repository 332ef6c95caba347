"""Content changes purge the surrogate keys of the pages that show them."""

import http.server
import json
import threading

import pytest
from django.contrib.auth.models import User

from articles.models import Article
from articles.services import article_publish, article_unpublish
from cdn import purge
from comments.models import Comment
from comments.services import comment_moderate
from tests.factories import make_article, make_comment, make_photo, make_section

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


def test_publishing_purges_the_edition(purged, chief):
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)

    with purged:
        article_publish(articles=Article.objects.filter(pk=draft.pk), user=chief)

    assert purged.keys == {"edition-en"}


def test_unpublishing_purges_the_edition(purged, chief):
    live = make_article()

    with purged:
        article_unpublish(articles=Article.objects.filter(pk=live.pk), user=chief, reason="Legal")

    assert purged.keys == {"edition-en"}


def test_editing_a_live_article_purges_its_pages_only(purged):
    live = make_article()

    with purged:
        live.title = "A corrected title"
        live.save()

    assert purged.keys == {f"article-{live.pk}"}


def test_moving_a_live_article_purges_both_sections(purged):
    live = make_article(section=make_section(slug="news"))
    analysis = make_section(slug="analysis")

    with purged:
        live.section = analysis
        live.save()

    assert purged.keys == {f"article-{live.pk}", "section-news", "section-analysis"}


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

    assert purged.keys == {f"article-{live.pk}", "tag-gulf"}


def test_approving_a_comment_purges_the_comments_of_its_article(purged, chief):
    comment = make_comment(article=make_article())

    with purged:
        comment.status = Comment.Status.APPROVED
        comment.save()

    assert purged.keys == {f"comments-{comment.article_id}"}


def test_approving_comments_in_bulk_purges_their_articles(purged, chief):
    first, second = make_comment(), make_comment()

    with purged:
        comment_moderate(
            comments=Comment.objects.filter(pk__in=[first.pk, second.pk]),
            status=Comment.Status.APPROVED,
            moderator=chief,
        )

    assert purged.keys == {f"comments-{first.article_id}", f"comments-{second.article_id}"}


def test_editing_a_photo_purges_pages_showing_it(purged):
    photo = make_photo()

    with purged:
        photo.caption = "A better caption"
        photo.save()

    assert purged.keys == {f"photo-{photo.pk}"}


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
    monkeypatch.setattr(purge, "_purge_now", sent.append)
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

    purge._purge_now(["article-1", "edition-en"])

    method, _path, headers, _body = received[0]
    assert method == "PURGE"
    assert headers["Surrogate-Key"] == "article-1 edition-en"
    assert headers["Fastly-Key"] == "secret"


def test_the_cloudflare_backend_purges_by_tag_in_batches(settings, receiver):
    url, received = receiver
    settings.CDN_PURGE_BACKEND = "cloudflare"
    settings.CDN_CLOUDFLARE_API_URL = url + "/client/v4/zones/zone-1/purge_cache"
    settings.CDN_CLOUDFLARE_API_TOKEN = "token"

    purge._purge_now([f"article-{number}" for number in range(45)])

    assert [json.loads(body)["tags"][0] for *_rest, body in received] == [
        "article-0",
        "article-30",
    ]
    assert received[0][2]["Authorization"] == "Bearer token"


def test_a_cdn_outage_never_fails_the_save(settings, caplog):
    settings.CDN_PURGE_BACKEND = "http"
    settings.CDN_PURGE_URLS = ["http://127.0.0.1:9/"]  # nothing listens there

    purge._purge_now(["article-1"])

    assert "CDN purge of ['article-1'] failed" in caplog.text


def test_purge_urls_must_be_http(settings, caplog):
    settings.CDN_PURGE_BACKEND = "http"
    settings.CDN_PURGE_URLS = ["file:///etc/passwd"]

    purge._purge_now(["article-1"])

    assert "must be http(s)" in caplog.text
