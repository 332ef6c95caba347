"""A search's page is kept per address until its edition changes, briefly at most."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_article
from web import fragments
from web.scopes import forget_versions

pytestmark = pytest.mark.django_db


def search(client, **params):
    return client.get(reverse("articles:search"), params)


def another_process():
    fragments.forget_fragments()
    forget_versions()


def test_a_repeated_search_runs_no_query(client, django_assert_num_queries):
    make_article(title="Harbour reopens")
    first = search(client, q="harbour").content.decode()
    # Asked again: searched again, and kept (until the next scheduled change, read too).
    with django_assert_num_queries(2):
        search(client, q="harbour")
    another_process()

    with django_assert_num_queries(0):
        again = search(client, q="harbour").content.decode()

    assert "Harbour reopens" in again
    assert again.count("Harbour reopens") == first.count("Harbour reopens")


def test_a_search_asked_again_only_after_it_would_have_expired_is_not_kept(
    client, stopped_clock, settings, django_assert_num_queries
):
    make_article(title="Harbour reopens")
    search(client, q="harbour")

    stopped_clock.shift(timedelta(seconds=settings.SEARCH_CACHE_SECONDS + 1))
    with django_assert_num_queries(1):  # as if the first ask: not kept
        search(client, q="harbour")
    with django_assert_num_queries(2):  # the second: kept, with the next scheduled change
        search(client, q="harbour")
    with django_assert_num_queries(0):
        search(client, q="harbour")


def test_a_new_article_is_found_at_once(client):
    make_article(title="Harbour reopens")
    search(client, q="harbour")

    make_article(title="Harbour closes again")  # bumps the edition

    assert "Harbour closes again" in search(client, q="harbour").content.decode()


def test_an_article_due_by_the_clock_is_found_once_due(client, stopped_clock):
    make_article(title="Harbour reopens")
    due = make_article(title="Harbour at night", publish_at=timezone.now() + timedelta(minutes=2))
    assert "Harbour at night" not in search(client, q="harbour").content.decode()

    stopped_clock.move_to(due.publish_at + timedelta(seconds=1))
    another_process()
    assert "Harbour at night" in search(client, q="harbour").content.decode()


def test_a_search_is_kept_briefly(client, stopped_clock, settings, django_assert_num_queries):
    make_article(title="Harbour reopens")
    search(client, q="harbour")
    search(client, q="harbour")

    stopped_clock.shift(timedelta(seconds=settings.SEARCH_CACHE_SECONDS + 1))
    another_process()
    with django_assert_num_queries(1):  # searched again
        search(client, q="harbour")


def test_a_search_in_a_moving_window_is_never_kept(client, django_assert_num_queries):
    make_article(title="Harbour reopens")
    search(client, q="harbour", when="day")
    with django_assert_num_queries(1):
        assert "Harbour reopens" in search(client, q="harbour", when="day").content.decode()


def test_each_address_keeps_its_own_page(client):
    make_article(title="Harbour reopens")
    make_article(title="Budget passes")
    assert "Harbour reopens" in search(client, q="harbour").content.decode()

    html = search(client, q="budget").content.decode()
    assert "Budget passes" in html and "Harbour reopens" not in html
    assert 'value="budget"' in html  # the box shows this reader's words, masthead too


def test_a_kept_page_is_not_shown_once_the_number_of_candidates_changes(client, monkeypatch):
    for day in range(5):
        make_article(title=f"Harbour day {day}", publish_at=timezone.now() - timedelta(days=day))
    assert "5 results" in search(client, q="harbour").content.decode()

    monkeypatch.setattr("articles.search.CANDIDATE_LIMIT", 3)  # a restart with another setting
    another_process()

    assert "At least 3 results" in search(client, q="harbour").content.decode()


def test_a_page_past_the_last_stays_404(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    make_article(title="Harbour reopens")
    for _ask in range(3):  # the last from the cache
        assert search(client, q="harbour", page=2).status_code == 404


def renders_of(fragment, caller, monkeypatch) -> list:
    """Return the list of renders of `fragment` by `caller`'s cached_fragment, as they come."""
    made = []
    render = fragments.cached_fragment

    def counted(name, *args, **kwargs):
        if name == fragment:
            inner = args[2]
            args = (*args[:2], lambda: made.append(name) or inner(), *args[3:])
        return render(name, *args, **kwargs)

    monkeypatch.setattr(f"{caller}.cached_fragment", counted)
    return made


def test_every_search_shares_one_masthead_with_its_own_words_in_the_box(client, monkeypatch):
    made = renders_of("masthead", "web.templatetags.fragment_tags", monkeypatch)
    make_article(title="Harbour reopens")

    first = search(client, q="harbour").content.decode()
    second = search(client, q='"harbour" <b> & it\'s').content.decode()
    front = client.get(reverse("articles:front")).content.decode()

    assert made == ["masthead", "masthead"]  # the search page's, and the front page's
    assert 'id="masthead-search"' in first and 'name="q" maxlength="200"' in first
    assert 'placeholder="Search" value="harbour">' in first
    assert 'placeholder="Search" value="&quot;harbour&quot; &lt;b&gt; &amp; it&#x27;s">' in second
    assert 'placeholder="Search" value="">' in front
    assert "search-words" not in first + second + front


def test_the_page_around_the_results_is_rendered_once_and_filled(client, monkeypatch):
    made = renders_of("search-page", "articles.views", monkeypatch)
    make_article(title="Harbour reopens")
    typed = '"harbour" <b> & it\'s \ue000content\ue000 \ue000words\ue000'

    first = search(client, q="harbour").content.decode()
    second = search(client, q=typed).content.decode()
    third = search(client, q="budget").content.decode()

    assert made == ["search-page"]  # once for every search with words
    assert "<title>harbour · Search · " in first and "<title>budget · Search · " in third
    escaped = "&quot;harbour&quot; &lt;b&gt; &amp; it&#x27;s \ue000content\ue000 \ue000words\ue000"
    # The title shows the words searched for: without characters of no meaning.
    assert (
        "<title>&quot;harbour&quot; &lt;b&gt; &amp; it&#x27;s content words · Search · " in second
    )
    assert second.count(f'value="{escaped}"') == 2  # the masthead's box and the form's
    assert "Harbour reopens" in first + second and "Harbour reopens" not in third
    assert "\ue000" not in first + third
    assert "\ue000" not in second.replace(escaped, "")


def test_the_page_around_an_empty_search_has_no_words_in_its_title(client):
    make_article(title="Harbour reopens")
    search(client, q="harbour")

    empty = search(client).content.decode()
    invalid = search(client, q="!!!").content.decode()

    assert "<title>Search · " in empty and "<title>Search · " in invalid
    assert 'placeholder="Search" value="">' in empty
    assert 'placeholder="Search" value="!!!">' in invalid
    assert "Type a word or two to search for." in invalid
