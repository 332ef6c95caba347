"""The search page's section and date filters, its order choice and its result count."""

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_article, make_section

# Every test here compares with "today": each runs at both ends of a UTC day.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("either_end_of_the_day")]


def search(client, query="harbour", **params):
    return client.get(reverse("articles:search"), {"q": query, **params})


def found(response):
    return [article.title for article in response.context["results"].results]


def days_ago(days):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def small_windows(monkeypatch):
    monkeypatch.setattr("articles.search.RECENT_WINDOW", 4)
    monkeypatch.setattr("articles.search.CANDIDATE_LIMIT", 3)


# --- Each filter and the order change the results as promised ----------------------


def test_a_section_keeps_only_its_own_matches(client):
    world = make_section(name="World", slug="world")
    sport = make_section(name="Sport", slug="sport")
    make_article(title="Harbour strike", section=world)
    make_article(title="Harbour regatta", section=sport)

    assert found(search(client, section="sport")) == ["Harbour regatta"]
    assert set(found(search(client))) == {"Harbour strike", "Harbour regatta"}


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("day", ["Harbour hours ago"]),
        ("week", ["Harbour hours ago", "Harbour days ago"]),
        ("month", ["Harbour hours ago", "Harbour days ago", "Harbour weeks ago"]),
        ("year", ["Harbour hours ago", "Harbour days ago", "Harbour weeks ago", "Harbour months"]),
        ("", ["Harbour hours ago", "Harbour days ago", "Harbour weeks ago", "Harbour months"]),
    ],
)
def test_a_period_keeps_only_matches_published_within_it(client, when, expected):
    make_article(title="Harbour hours ago", publish_at=timezone.now() - timedelta(hours=3))
    make_article(title="Harbour days ago", publish_at=days_ago(3))
    make_article(title="Harbour weeks ago", publish_at=days_ago(20))
    make_article(title="Harbour months", publish_at=days_ago(200))
    make_article(title="Harbour long ago", publish_at=days_ago(800))

    titles = found(search(client, when=when, sort="newest"))

    assert titles == (expected if when else [*expected, "Harbour long ago"])


def test_from_and_to_are_whole_days_in_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "Asia/Tehran"  # UTC+3:30: a UTC date boundary would be wrong
    tehran = ZoneInfo("Asia/Tehran")
    make_article(title="Harbour eve", publish_at=datetime(2024, 2, 29, 23, 59, tzinfo=tehran))
    make_article(title="Harbour first", publish_at=datetime(2024, 3, 1, 0, 0, tzinfo=tehran))
    make_article(title="Harbour last", publish_at=datetime(2024, 3, 31, 23, 59, tzinfo=tehran))
    make_article(title="Harbour after", publish_at=datetime(2024, 4, 1, 0, 0, tzinfo=tehran))

    both = search(client, **{"from": "2024-03-01", "to": "2024-03-31"})
    one_day = search(client, **{"from": "2024-03-31", "to": "2024-03-31"})
    only_to = search(client, to="2024-02-29")
    only_from = search(client, **{"from": "2024-04-01"})

    assert set(found(both)) == {"Harbour first", "Harbour last"}
    assert found(one_day) == ["Harbour last"]
    assert found(only_to) == ["Harbour eve"]
    assert found(only_from) == ["Harbour after"]


def test_a_period_and_dates_together_keep_what_satisfies_both(client):
    make_article(title="Harbour today", publish_at=timezone.now() - timedelta(minutes=10))
    make_article(title="Harbour this week", publish_at=days_ago(4))
    make_article(title="Harbour last month", publish_at=days_ago(25))
    since = (timezone.localdate() - timedelta(days=10)).isoformat()
    until = (timezone.localdate() - timedelta(days=1)).isoformat()

    response = search(client, when="month", **{"from": since, "to": until})

    assert found(response) == ["Harbour this week"]


def test_newest_first_orders_by_date_instead_of_relevance(client):
    make_article(title="Harbour plan", publish_at=days_ago(30))  # title match: ranked first
    make_article(title="Port news", lead="The harbour reopened.", publish_at=days_ago(1))

    assert found(search(client)) == ["Harbour plan", "Port news"]
    assert found(search(client, sort="newest")) == ["Port news", "Harbour plan"]


def test_filters_narrow_the_candidates_not_a_page_of_them(client, small_windows):
    # Six newer matches elsewhere fill the recent window and the candidate cap; the
    # section's two older matches must still be found, not filtered out of the six.
    world = make_section(name="World", slug="world")
    make_article(title="Harbour old world", section=world, publish_at=days_ago(300))
    make_article(title="Harbour older world", section=world, publish_at=days_ago(400))
    for day in range(6):
        make_article(title=f"Harbour day {day}", publish_at=days_ago(day + 1))

    assert found(search(client, section="world", sort="newest")) == [
        "Harbour old world",
        "Harbour older world",
    ]
    assert found(search(client, to=days_ago(200).date().isoformat(), sort="newest")) == [
        "Harbour old world",
        "Harbour older world",
    ]


def test_the_choices_are_shown_back_and_carried_by_the_page_links(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    section = make_section(name="World", slug="world")
    for day in range(5):
        make_article(title=f"Harbour {day}", section=section, publish_at=days_ago(day))
    params = {"section": "world", "when": "month", "from": "2020-01-01", "sort": "newest"}

    content = search(client, page=2, **params).content.decode()

    assert '<option value="world" selected>World</option>' in content
    assert '<option value="month" selected>' in content
    assert '<option value="newest" selected>' in content
    assert 'value="2020-01-01"' in content
    links = dict(re.findall(r'rel="(prev|next)" href="\?([^"]*)"', content))
    assert QueryDict(unescape(links["next"])).dict() == {"q": "harbour", "page": "3", **params}
    assert QueryDict(unescape(links["prev"])).dict() == {"q": "harbour", "page": "1", **params}


def test_nothing_in_the_filters_offers_the_unfiltered_search(client):
    make_article(title="Harbour old", publish_at=days_ago(100))

    content = search(client, when="week", sort="newest").content.decode()

    # The query is quoted and isolated by markup (<q><bdi>), so each edition quotes its own way.
    assert "Nothing matches <q><bdi>harbour</bdi></q> in the chosen section and dates." in content
    assert 'href="/en/search/?q=harbour&amp;sort=newest"' in content


# --- The count: the candidates, never the archive --------------------------------


def test_the_count_says_how_many_match_and_in_which_order(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for day in range(3):
        make_article(title=f"Harbour {day}", publish_at=days_ago(day))
    make_article(title="Lone glacier")

    assert "3 results, most relevant first." in search(client).content.decode()
    assert "3 results, newest first." in search(client, sort="newest").content.decode()
    assert "1 result, most relevant first." in search(client, "glacier").content.decode()
    assert search(client, page=2).context["results"].found == 3


def test_the_count_is_of_the_filtered_matches(client):
    world = make_section(name="World", slug="world")
    make_article(title="Harbour one", section=world)
    make_article(title="Harbour two")
    make_article(title="Harbour three")

    assert "1 result," in search(client, section="world").content.decode()


def test_at_the_cap_the_count_says_at_least(client, small_windows):
    for day in range(5):
        make_article(title=f"Harbour {day}", publish_at=days_ago(day + 1))

    response = search(client)

    assert response.context["results"].found == 3
    assert "At least 3 results: the newest 3, most relevant first." in response.content.decode()


# --- Bad values: a message and the reader's input kept, or 404; never 500 ---------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"section": "nowhere"}, "section", "Choose a section from the list."),
        ({"section": "<script>"}, "section", "Choose a section from the list."),
        ({"when": "decade"}, "when", "Choose a date range from the list."),
        ({"sort": "oldest"}, "sort", "Choose an order from the list."),
        ({"from": "2024-13-01"}, "from", "Enter a date as year-month-day"),
        ({"from": "2024-02-30"}, "from", "Enter a date as year-month-day"),
        ({"to": "yesterday"}, "to", "Enter a date as year-month-day"),
        ({"to": "01/03/2024"}, "to", "Enter a date as year-month-day"),
        ({"to": "2024-03-01\x00"}, "to", "Enter a date as year-month-day"),
        ({"from": "99999-01-01"}, "from", "Enter a date as year-month-day"),
        ({"to": "9999-12-31"}, "to", "Enter a date between the years 1900 and 2999."),
        ({"from": "0001-01-01"}, "from", "Enter a date between the years 1900 and 2999."),
        ({"from": "2024-05-02", "to": "2024-05-01"}, "to", "The “To” date must be the same"),
    ],
)
def test_bad_filter_values_get_a_message_by_the_field(client, params, field, message):
    make_article(title="Harbour works")

    response = search(client, **params)

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["results"] is None
    assert f'<p class="field-error" id="search-{field}-error">{message}' in content
    assert f'aria-describedby="search-{field}-error"' in content
    assert 'value="harbour"' in content  # the words are kept


@pytest.mark.parametrize("typed", ["2024-13-01", "soon", "2024-02-30"])
def test_a_malformed_date_is_shown_back_as_typed(client, typed):
    content = search(client, **{"from": typed}).content.decode()

    # As text, since a browser empties a date input holding a malformed value.
    assert f'type="text" name="from" value="{typed}"' in content


def test_a_valid_date_stays_a_date_input(client):
    content = search(client, **{"from": "2024-03-01"}).content.decode()

    assert 'type="date" name="from" value="2024-03-01"' in content


def test_filters_without_words_keep_the_choices_and_ask_for_words(client):
    make_section(name="World", slug="world")

    content = search(client, "", section="world", when="week").content.decode()

    assert "Type a word or two to search for." in content
    assert '<option value="world" selected>World</option>' in content


@pytest.mark.parametrize("page", ["0", "abc", "3", "11"])
def test_pages_beyond_the_filtered_matches_are_404(client, settings, page):
    settings.ARTICLES_PER_PAGE = 2
    world = make_section(name="World", slug="world")
    for day in range(3):
        make_article(title=f"Harbour {day}", section=world, publish_at=days_ago(day))
    make_article(title="Harbour elsewhere")

    assert search(client, section="world", page="2").status_code == 200
    assert search(client, section="world", page=page).status_code == 404


# --- A fixed number of queries, filtered or not ----------------------------------

FILTERS = {
    "none": {},
    "section": {"section": "world"},
    "period": {"when": "year"},
    "dates": {"from": "2000-01-01", "to": "2999-12-31"},
    "all, newest first": {
        "section": "world",
        "when": "month",
        "from": "2000-01-01",
        "sort": "newest",
    },
}


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("filters", FILTERS.values(), ids=FILTERS.keys())
def test_search_with_filters_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, count, filters
):
    world = make_section(name="World", slug="world")
    for number in range(count):
        make_article(title=f"Harbour story {number}", section=world, tags=["Ports"])

    # Sections for the masthead and filter, and the results; asked again, the results
    # and, for a search that is kept (not one in a window moving with the clock), when
    # it must end.
    kept = not filters.get("when")
    with django_assert_num_queries(2):
        response = search(client, **filters)
    with django_assert_num_queries(1 + kept):
        search(client, **filters)

    assert len(response.context["results"].results) == min(count, 20)
    assert response.context["results"].found == count


def test_bad_filters_run_only_the_sections_query(client, django_assert_num_queries):
    make_article(title="Harbour story")

    with django_assert_num_queries(1):
        search(client, section="nowhere")


@pytest.mark.parametrize("others", [2, 3, 4, 6])  # the filtered set below, at and past the window
def test_a_filtered_match_beyond_the_window_is_found(client, small_windows, others):
    world = make_section(name="World", slug="world")
    make_article(title="Glacier survey", section=world, publish_at=days_ago(400))
    for day in range(others):
        make_article(title=f"Budget day {day}", section=world, publish_at=days_ago(day + 1))

    assert found(search(client, "glacier", section="world")) == ["Glacier survey"]


# --- The filters' markup, kept per process (SearchForm.filters_html) ---------------


@pytest.fixture
def filters_made(monkeypatch):
    """Return the list of filter markups made afresh, with nothing kept before."""
    from articles import forms

    monkeypatch.setattr(forms, "_filters_markup", {})
    made = []
    render = forms.SearchForm._filters_rendered

    def counted(form):
        made.append(dict(form.data))
        return render(form)

    monkeypatch.setattr(forms.SearchForm, "_filters_rendered", counted)
    return made


def test_the_filters_are_made_once_for_the_same_choices(client, filters_made):
    make_section(name="Sport", slug="sport")

    first = search(client, "harbour", section="sport").content.decode()
    second = search(client, "glacier", section="sport").content.decode()

    assert len(filters_made) == 1
    assert '<option value="sport" selected>Sport</option>' in first
    assert '<option value="sport" selected>Sport</option>' in second


def test_each_search_shows_its_own_choices_though_kept(client, filters_made):
    make_section(name="World", slug="world")
    make_section(name="Sport", slug="sport")

    for section, other in [("sport", "world"), ("world", "sport"), ("sport", "world")]:
        content = search(client, section=section, sort="newest", **{"from": "2024-03-01"}).content
        content = content.decode()
        assert f'<option value="{section}" selected>' in content
        assert f'<option value="{other}" selected>' not in content
        assert '<option value="newest" selected>' in content
        assert 'type="date" name="from" value="2024-03-01"' in content
    assert len(filters_made) == 2


def test_a_renamed_section_is_named_anew_in_the_filters(client, filters_made):
    section = make_section(name="Sport", slug="sport")
    search(client)

    section.name = "Sports"
    section.save()

    assert '<option value="sport">Sports</option>' in search(client).content.decode()


def test_a_filter_with_an_error_is_never_kept(client, filters_made):
    search(client, to="yesterday")
    search(client, to="yesterday")

    assert len(filters_made) == 2


# --- The fields, built once per edition and shared (SearchForm._fields) -------------


def test_the_fields_are_built_once_for_an_editions_sections(client):
    make_section(name="Sport", slug="sport")

    first = search(client, "harbour").context["form"]
    second = search(client, "glacier", section="sport").context["form"]
    make_section(name="Science", slug="science")
    third = search(client, "harbour").context["form"]

    assert second.fields["section"] is first.fields["section"]
    assert third.fields["section"] is not first.fields["section"]
    assert ("science", "Science") in third.fields["section"].choices


def test_an_errors_mark_stays_on_its_own_form(client):
    search(client, **{"from": "soon"})

    content = search(client, **{"from": "2024-03-01"}).content.decode()

    # The malformed date's form marked its own copy of the field, not the edition's.
    assert 'type="date" name="from" value="2024-03-01"' in content
    assert "search-from-error" not in content
