"""Rendered fragments: the same HTML as without them, stale exactly when what they show changes."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from articles.counterparts import article_counterparts_link
from articles.models import Article, ArticleNote
from articles.related import related_refresh_many
from comments.forms import TOKEN_SALT
from comments.models import Comment
from tests.articles.test_queries import build_site
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_photo,
    make_section,
    make_topic,
)
from web import fragments
from web.fragments import cached_fragment, fragments_off
from web.scopes import forget_versions, scope_tokens, scopes_changed

pytestmark = pytest.mark.django_db

# The comment form's token is signed with the time it was served: the one part of
# the page that differs between two requests, with or without fragments.
TOKEN = re.compile(r'name="token" value="[^"]*"')


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return TOKEN.sub('name="token" value=""', response.content.decode())


class Renders:
    """A render function that counts its calls."""

    def __init__(self, value="<p>fragment</p>"):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


# -- the helper -----------------------------------------------------------------------


def test_a_fragment_is_rendered_once_until_its_scope_changes():
    render = Renders()
    for _ in range(3):
        assert cached_fragment("box", [1], ["ed:en"], render) == "<p>fragment</p>"
    assert render.calls == 1

    scopes_changed(["ed:fa"])  # another scope: still current
    cached_fragment("box", [1], ["ed:en"], render)
    assert render.calls == 1

    scopes_changed(["ed:en"])
    cached_fragment("box", [1], ["ed:en"], render)
    assert render.calls == 2


def test_fragments_are_kept_per_part_and_per_edition():
    render = Renders()
    cached_fragment("box", [1], [], render)
    cached_fragment("box", [2], [], render)
    with override("fa"):
        cached_fragment("box", [1], [], render)
    cached_fragment("box", [1], [], render)
    assert render.calls == 3


def test_a_fragment_expires_at_the_next_scheduled_change(monkeypatch, settings):
    stored = []
    cache = caches[fragments.CACHE_ALIAS]
    monkeypatch.setattr(cache, "set", lambda key, value, timeout: stored.append(timeout))
    soon = timezone.now() + timedelta(seconds=90)

    cached_fragment("box", [], [], Renders(), until=lambda: soon)
    cached_fragment("other", [], [], Renders(), until=lambda: None)

    assert 85 <= stored[0] <= 90  # never past the change
    assert stored[1] == settings.FRAGMENT_SECONDS  # until its tokens move: no 300 s cap


def test_a_fragment_asked_for_once_is_not_stored():
    render = Renders()
    key, _tokens = fragments.fragment_key("search", [1], ["ed:en"])
    cache = caches[fragments.CACHE_ALIAS]

    cached_fragment("search", [1], ["ed:en"], render, repeated_within=300)
    assert cache.get(key) is None  # nothing of it in the shared cache

    cached_fragment("search", [1], ["ed:en"], render, repeated_within=300)  # again: stored
    cached_fragment("search", [1], ["ed:en"], render, repeated_within=300)
    assert render.calls == 2
    assert cache.get(key)[1] == "<p>fragment</p>"


def test_the_asks_are_counted_per_process():
    render = Renders()
    cached_fragment("search", [1], ["ed:en"], render, repeated_within=300)
    another_process()
    cached_fragment("search", [1], ["ed:en"], render, repeated_within=300)
    cached_fragment("search", [1], ["ed:en"], render, repeated_within=300)  # its second ask
    another_process()
    cached_fragment("search", [1], ["ed:en"], render, repeated_within=300)  # read, stored
    assert render.calls == 3


def test_a_change_of_what_it_shows_starts_the_count_again():
    render = Renders()
    cached_fragment("search", [1], ["ed:en"], render, repeated_within=300)
    scopes_changed(["ed:en"])

    for _ in range(3):
        cached_fragment("search", [1], ["ed:en"], render, repeated_within=300)
    assert render.calls == 3  # once before the change, twice after it


def test_the_asks_noted_are_bounded(monkeypatch):
    monkeypatch.setattr(fragments, "ASKED_LIMIT", 2)
    render = Renders()
    for part in (1, 2, 3):  # the third pushes the first's ask out
        cached_fragment("search", [part], ["ed:en"], render, repeated_within=300)
    cached_fragment("search", [1], ["ed:en"], render, repeated_within=300)
    cached_fragment("search", [3], ["ed:en"], render, repeated_within=300)

    assert len(fragments._asked) <= 2
    assert (
        caches[fragments.CACHE_ALIAS].get(fragments.fragment_key("search", [1], ["ed:en"])[0])
        is None
    )
    assert caches[fragments.CACHE_ALIAS].get(fragments.fragment_key("search", [3], ["ed:en"])[0])


def another_process():
    """Forget what this process remembers, as a worker that never read them would."""
    fragments.forget_fragments()
    forget_versions()


def test_a_fragment_outlives_the_page_cache_while_nothing_it_shows_changes(stopped_clock, settings):
    render = Renders()
    cached_fragment("box", [1], ["ed:en"], render)

    stopped_clock.shift(timedelta(days=1, seconds=settings.PAGE_CACHE_SECONDS))
    another_process()
    cached_fragment("box", [1], ["ed:en"], render)
    assert render.calls == 1  # an old article's column, a day on: still the column

    scopes_changed(["ed:en"])  # and gone the moment what it shows changes
    cached_fragment("box", [1], ["ed:en"], render)
    assert render.calls == 2


def test_a_kept_fragment_still_ends_at_the_next_scheduled_change(stopped_clock):
    render = Renders()
    due = timezone.now() + timedelta(hours=5)
    cached_fragment("box", [1], ["ed:en"], render, until=lambda: due)

    stopped_clock.shift(timedelta(hours=5) - timedelta(seconds=1))
    another_process()
    cached_fragment("box", [1], ["ed:en"], render, until=lambda: due)
    assert render.calls == 1

    stopped_clock.shift(timedelta(seconds=1))
    cached_fragment("box", [1], ["ed:en"], render, until=lambda: None)
    assert render.calls == 2


def test_another_release_of_the_code_renders_its_own(monkeypatch):
    render = Renders()
    cached_fragment("box", [1], ["ed:en"], render)
    monkeypatch.setattr(fragments, "code_release", lambda: "the next deploy")
    cached_fragment("box", [1], ["ed:en"], render)
    assert render.calls == 2  # a template changed by a deploy shows at once


def test_an_old_article_days_later_runs_no_query(client, stopped_clock, settings):
    """Not read for a day, its edition unchanged: served from what was rendered then."""
    settings.PAGE_CACHE_ENABLED = False  # the page rendered, from its fragments
    article, read_today = make_article(), make_article()
    page(client, article.get_absolute_url())

    stopped_clock.shift(timedelta(days=2))  # the edition's token set then still holds
    another_process()
    # The edition's side blocks end with each Most Viewed refresh: readers of its
    # other pages render them again (alwaght/blocks.py); the old article's own
    # fragments are still current.
    page(client, read_today.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        page(client, article.get_absolute_url())
    assert len(queries) == 0, [query["sql"] for query in queries]


def test_a_related_list_stored_by_the_job_reaches_a_kept_column(client):
    article = make_article(tags=["Water"])
    make_article(tags=["Water"], publish_at=timezone.now() - timedelta(hours=3))
    assert 'id="related-heading"' not in page(client, article.get_absolute_url())  # no list yet

    related_refresh_many(article_ids=[article.pk])  # the background job; the edition unchanged
    assert 'id="related-heading"' in page(client, article.get_absolute_url())


def test_an_article_published_by_the_clock_reaches_a_kept_column(client, stopped_clock):
    section = make_section()
    article = make_article(section=section)
    make_article(
        section=section, title="Due tonight", publish_at=timezone.now() + timedelta(hours=6)
    )
    assert "Due tonight" not in page(client, article.get_absolute_url())

    stopped_clock.shift(timedelta(hours=6, seconds=1))
    another_process()
    assert "Due tonight" in page(client, article.get_absolute_url())  # Next article


def test_with_fragments_off_nothing_is_read_or_stored():
    render = Renders()
    cached_fragment("box", [], [], render)
    with fragments_off():
        cached_fragment("box", [], [], render)
        cached_fragment("box", [], [], render)
    assert render.calls == 3
    cached_fragment("box", [], [], render)
    assert render.calls == 3  # the copy stored before is still the current one


def test_who_reads_the_primary_beside_replicas_neither_reads_nor_stores(settings):
    render = Renders()
    cached_fragment("box", [], [], render)
    settings.DATABASE_REPLICAS = ["replica_1"]  # this request's reads go to the primary

    cached_fragment("box", [], [], render)
    cached_fragment("box", [], [], render)

    assert render.calls == 3


# -- the pages: the same HTML with fragments as without ------------------------------


PAGE_URLS = {
    "article": lambda articles: articles[0].get_absolute_url(),
    "article with comments": lambda articles: articles[1].get_absolute_url(),
    "front page": lambda articles: reverse("articles:front"),
    "archive": lambda articles: reverse("articles:archive"),
    "archive, page 2": lambda articles: reverse("articles:archive") + "?page=2",
    "archive, by article": lambda articles: (
        reverse("articles:archive") + f"?before={articles[-5].pk}"
    ),
    "section": lambda articles: articles[0].section.get_absolute_url(),
    "tag": lambda articles: reverse("articles:tag", args=["common"]),
    "topic": lambda articles: articles[0].topics.get().get_absolute_url(),
    "author": lambda articles: articles[0].author.get_absolute_url(),
}


@pytest.mark.parametrize("name", PAGE_URLS)
def test_pages_are_the_same_with_fragments_as_without(client, settings, name):
    settings.ARTICLES_PER_PAGE = 3
    articles = build_site(12)
    make_comment(article=articles[1], status=Comment.Status.APPROVED, text="First!")
    url = PAGE_URLS[name](list(reversed(articles)))
    with fragments_off():
        fresh = page(client, url)

    first = page(client, url)  # renders and stores the fragments
    warm = page(client, url)  # reads them

    assert first == fresh
    assert warm == fresh


def test_the_comment_notice_is_the_readers_own(client):
    article = make_article()
    page(client, article.get_absolute_url())  # fragments stored

    thanked = page(client, article.get_absolute_url(), comment="sent")
    assert "Your comment will appear here" in thanked
    assert "Your comment will appear here" not in page(client, article.get_absolute_url())


def test_each_reader_gets_a_valid_form_token_of_their_own(client, monkeypatch):
    article = make_article()
    tokens = []
    for now in (1_000_000.0, 1_000_100.0):
        monkeypatch.setattr("comments.forms.time.time", lambda now=now: now)
        html = client.get(article.get_absolute_url()).content.decode()
        tokens.append(re.search(r'name="token" value="([^"]*)"', html)[1])

    assert tokens[0] != tokens[1]  # the blank form is shared, its token is not
    for token, now in zip(tokens, (1_000_000, 1_000_100), strict=True):
        assert signing.loads(token, salt=TOKEN_SALT) == {"a": article.pk, "t": now}


# -- invalidation: the change each fragment shows, and only that ---------------------


def quietly_retitle(article, title):
    """Change the row behind the cache's back (no signal, updated_at unchanged)."""
    Article.objects.filter(pk=article.pk).update(title=title)


def headline(html: str) -> str:
    return re.search(r'<h1 class="article__title">(.*?)</h1>', html).group(1)


def test_the_article_column_is_kept_until_its_edition_changes(client):
    section, persian = make_section(), make_section(language="fa")
    article = make_article(section=section, title="Original title")
    url = article.get_absolute_url()
    assert headline(page(client, url)) == "Original title"

    quietly_retitle(article, "Changed quietly")
    assert "Changed quietly" not in page(client, url)  # the column came from the cache

    comment = make_comment(article=article, text="Well argued.")
    comment.status = Comment.Status.APPROVED
    comment.save()
    html = page(client, url)
    assert "Well argued." in html  # the comments fragment is fresh...
    assert "Original title" in html  # ...and the column untouched by it

    make_article(section=persian, title="Another story", language="fa")
    assert "Original title" in page(client, url)  # another edition's change

    make_article(section=section, title="Newer in the section")
    html = page(client, url)
    assert "Newer in the section" in html  # More in the section, and Next article
    assert "<title>Changed quietly" in html  # the page's row is read again...
    assert headline(html) == "Original title"  # ...but the column's own part is kept


def rename(row, name):
    """Rename through the model, as the desk does (its signals bump its scopes)."""
    row.name = name
    row.save()


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda article: rename(article.author, "Jane Roe"), "Jane Roe"),
        (lambda article: rename(article.tags.get(), "Crude oil"), "Crude oil"),
        (lambda article: rename(article.section, "Business"), "Business"),
        (lambda article: rename(article.topics.get(), "The vote"), "The vote"),
        (
            lambda article: (
                setattr(article.photo, "caption", "Tankers at Kharg") or article.photo.save()
            ),
            "Tankers at Kharg",
        ),
        (
            lambda article: ArticleNote.objects.create(
                article=article, kind=ArticleNote.Kind.CORRECTION, text="An earlier version erred."
            ),
            "An earlier version erred.",
        ),
    ],
    ids=["author", "tag", "section", "topic", "photo", "note"],
)
def test_the_columns_own_part_follows_every_row_it_names(client, change, shown):
    article = make_article(
        author=make_author(name="Jane Doe"), photo=make_photo(caption="A port"), tags=["Oil"]
    )
    article.topics.set([make_topic(name="Elections")])
    url = article.get_absolute_url()
    page(client, url)

    change(article)

    column = page(client, url).split('<article class="article"', 1)[1].split("</article>")[0]
    assert shown in column


def test_editing_an_article_shows_at_once(client):
    article = make_article(title="Before the edit", lead="Old lead.")
    page(client, article.get_absolute_url())

    article.title, article.lead = "After the edit", "New lead."
    article.save()
    html = page(client, article.get_absolute_url())

    assert "After the edit" in html and "New lead." in html
    assert "Before the edit" not in html  # neither in the column nor in the metadata


def test_unpublishing_a_neighbour_takes_it_off_the_article_page(client):
    section = make_section()
    older = make_article(
        section=section, title="The older one", publish_at=timezone.now() - timedelta(hours=3)
    )
    article = make_article(section=section)
    assert "The older one" in page(client, article.get_absolute_url())

    older.status = Article.Status.DRAFT
    older.save()

    assert "The older one" not in page(client, article.get_absolute_url())


def record_timeouts(monkeypatch) -> dict:
    """Return a dict that fills with the timeout of each fragment stored from now on."""
    stored = {}
    cache = caches[fragments.CACHE_ALIAS]
    real_set = cache.set
    monkeypatch.setattr(
        cache,
        "set",
        lambda key, value, timeout: (
            stored.__setitem__(key, timeout) or real_set(key, value, timeout)
        ),
    )
    return stored


def test_a_scheduled_article_ends_the_fragments_that_would_list_it(client, monkeypatch):
    section = make_section()
    article = make_article(section=section)
    make_article(
        section=section, title="Due soon", publish_at=timezone.now() + timedelta(seconds=90)
    )
    stored = record_timeouts(monkeypatch)

    page(client, article.get_absolute_url())
    page(client, section.get_absolute_url())

    timed = {key.split(":")[1]: timeout for key, timeout in stored.items()}
    for name in ("article-lists", "article-head", "article-list", "blocks-aside"):
        assert timed[name] <= 90, name
    assert timed["article-column"] > 90  # it lists nothing: the schedule cannot change it


def test_a_counterpart_published_by_the_clock_reaches_the_edition_switcher(client, monkeypatch):
    article = make_article(title="In English")
    persian = make_article(
        title="به فارسی", language="fa", publish_at=timezone.now() + timedelta(seconds=90)
    )
    article_counterparts_link(article=article, counterpart=persian)
    article.refresh_from_db()
    stored = record_timeouts(monkeypatch)

    page(client, article.get_absolute_url())

    timed = {key.split(":")[1]: timeout for key, timeout in stored.items()}
    assert timed["masthead"] <= 90  # its switcher links the counterpart once live


def test_scheduling_an_article_bumps_its_edition():
    before = scope_tokens(["ed:en"])
    make_article(publish_at=timezone.now() + timedelta(hours=2))
    assert scope_tokens(["ed:en"]) != before


def test_a_draft_leaves_every_fragment_current():
    section = make_section()  # a new section is a change of the menu
    before = scope_tokens(["ed:en", "chrome"])
    make_article(status=Article.Status.DRAFT, publish_at=None, section=section)
    assert scope_tokens(["ed:en", "chrome"]) == before


def test_renaming_a_section_reaches_the_menu_and_the_article(client):
    section = make_section(name="Economy")
    article = make_article(section=section)
    other = make_article()
    page(client, article.get_absolute_url())
    page(client, other.get_absolute_url())

    section.name = "Business"
    section.save()

    assert ">Business<" in page(client, other.get_absolute_url())  # the menu
    html = page(client, article.get_absolute_url())
    assert "Economy" not in html  # the menu, the kicker, the metadata


def test_renaming_or_deleting_a_topic_reaches_the_article_column(client):
    topic = make_topic(name="Elections", slug="elections")
    article = make_article()
    article.topics.set([topic])
    url = article.get_absolute_url()
    assert "Elections" in page(client, url)

    topic.name, topic.slug = "The vote", "the-vote"
    topic.save()  # bumps the In Focus topics only: not the article's edition
    html = page(client, url)
    assert "The vote" in html and "/in-focus/the-vote/" in html
    assert "Elections" not in html and "/in-focus/elections/" not in html

    topic.delete()  # its links go by cascade, with no m2m signal
    assert "The vote" not in page(client, url)


def test_publishing_changes_the_lists_but_not_the_menu():
    section = make_section()
    before = scope_tokens(["chrome"])
    edition = scope_tokens(["ed:en"])
    make_article(section=section)
    assert scope_tokens(["chrome"]) == before
    assert scope_tokens(["ed:en"]) != edition


def test_approving_a_comment_changes_only_its_article():
    article, other = make_article(), make_article()
    scopes = ["ed:en", f"comments:{other.pk}", f"article:{article.pk}", f"comments:{article.pk}"]
    before = scope_tokens(scopes)
    comment = make_comment(article=article)
    comment.status = Comment.Status.APPROVED
    comment.save()
    after = scope_tokens(scopes)
    assert after[:3] == before[:3]
    assert after[3] != before[3]


def test_a_list_page_shows_a_new_article_at_once(client):
    section = make_section()
    make_article(section=section, title="First in the section")
    assert "First in the section" in page(client, section.get_absolute_url())

    make_article(section=section, title="Second in the section")

    assert "Second in the section" in page(client, section.get_absolute_url())


def test_a_bad_page_is_still_refused_after_good_ones_were_cached(client):
    make_article()
    archive = reverse("articles:archive")
    page(client, archive)
    assert client.get(archive, {"page": "2"}).status_code == 404
    assert client.get(archive, {"page": "abc"}).status_code == 404
    assert client.get(archive, {"page": "2"}).status_code == 404


# -- staff previews ------------------------------------------------------------------


def test_a_staff_preview_reads_and_stores_no_fragment(client, admin_user, monkeypatch):
    article = make_article(title="Seen by readers")
    page(client, article.get_absolute_url())  # readers' fragments are stored
    quietly_retitle(article, "Edited since")
    client.force_login(admin_user)
    touched = []
    cache = caches[fragments.CACHE_ALIAS]
    for method in ("get", "set"):
        real = getattr(cache, method)
        monkeypatch.setattr(
            cache, method, lambda key, *args, real=real: touched.append(key) or real(key, *args)
        )

    response = client.get(reverse("articles:preview", args=[article.pk]))

    assert "Edited since" in response.content.decode()
    assert not [key for key in touched if key.startswith("fragment:")]


def test_each_edition_has_its_own_menu(client):
    make_section(name="Economy")
    make_section(name="اقتصاد", language="fa", slug="eghtesad")
    english = page(client, reverse("articles:front"))
    with override("fa"):
        persian = page(client, reverse("articles:front"))

    assert "Economy" in english and "اقتصاد" not in english
    assert "اقتصاد" in persian and "Economy" not in persian


def test_articles_without_counterparts_share_one_masthead(client, monkeypatch):
    first, second, linked = (make_article(title=title) for title in ("One", "Two", "Three"))
    with override("fa"):
        persian = make_article(title="سه", language="fa")
    article_counterparts_link(article=linked, counterpart=persian)
    linked.refresh_from_db()
    counted = []
    monkeypatch.setattr(fragments.metrics, "fragment", lambda *outcome: counted.append(outcome))

    pages = [page(client, article.get_absolute_url()) for article in (first, second, linked)]

    # The first two differ only in their own column: one masthead rendered for both.
    assert counted.count(("masthead", "miss")) == 2
    assert 'href="#edition-fa"' in pages[0] and 'href="#edition-fa"' in pages[1]
    assert persian.get_absolute_url() in pages[2] and 'href="#edition-fa"' not in pages[2]
