from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Section
from articles.search import in_body_text, to_tsquery_text
from tests.articles.search_plans import search_plan_nodes
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    return client.get(reverse("articles:search"), {"q": query, **params})


def found(response):
    return [article.title for article in response.context["results"].results]


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def test_title_matches_rank_above_body_matches_then_recency(client):
    make_article(
        title="Harbour works begin", body="<p>The port will grow.</p>", publish_at=days_ago(1)
    )
    make_article(title="Old port deal signed", publish_at=days_ago(30))
    make_article(title="New port plan", publish_at=days_ago(2))
    make_article(title="Unrelated", body="<p>Nothing here.</p>")

    assert found(search(client, "port")) == [
        "New port plan",
        "Old port deal signed",
        "Harbour works begin",
    ]


def test_lead_tags_and_section_are_searched(client):
    section = make_section(name="Analysis", slug="analysis")
    make_article(title="By lead", lead="A note on shipping lanes.")
    make_article(title="By tag", tags=["Shipping"])
    make_article(title="By section", section=section)

    assert set(found(search(client, "shipping"))) == {"By lead", "By tag"}
    assert found(search(client, "analysis")) == ["By section"]


def test_prefix_and_stemming_work_as_readers_expect(client):
    make_article(title="Moscow Security Meeting")
    make_article(title="Moscow metro opens")

    assert found(search(client, "moscow secur")) == ["Moscow Security Meeting"]
    assert found(search(client, "MOSCOW MEETINGS")) == ["Moscow Security Meeting"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_excerpt_is_the_lead_when_the_lead_has_the_word(client, language):
    words = {"en": ("irrigation", "canals"), "ar": ("الري", "القنوات")}[language]
    make_article(
        title="Report",
        language=language,
        lead=f"{words[0]} plans for the valley.",
        body=f"<p>Old {words[1]} leak, and {words[0]} suffers.</p>",
    )

    response = client.get(f"/{language}/search/", {"q": words[0]})

    excerpt = str(response.context["results"].results[0].excerpt)
    assert excerpt == f"<mark>{words[0]}</mark> plans for the valley."


def test_an_excerpt_comes_from_the_body_when_the_lead_lacks_the_word(client):
    make_article(
        title="Irrigation report",
        lead="Plans for the valley.",
        body="<p>Old canals leak, and the irrigation of the valley suffers.</p>",
    )

    excerpt = str(search(client, "irrigation").context["results"].results[0].excerpt)

    assert "<mark>irrigation</mark> of the valley suffers" in excerpt
    assert excerpt.startswith("Plans for the valley.")


def test_quoted_words_must_appear_together(client):
    make_article(title="Water talks resume")
    make_article(title="Talks on water resume")

    assert found(search(client, '"water talks"')) == ["Water talks resume"]


def test_excerpts_highlight_the_matched_words_and_escape_the_rest(client):
    make_article(
        title="Report",
        lead="Farmers & engineers <meet>.",
        body="<p>The <b>irrigation</b> canals leak.</p>",
    )

    article = search(client, "irrigation").context["results"].results[0]
    page = search(client, "irrigation").content.decode()

    assert "<mark>irrigation</mark>" in article.excerpt
    assert "&amp;" in article.excerpt
    assert "<meet>" not in article.excerpt and "<b>" not in article.excerpt
    assert "<mark>irrigation</mark>" in page


def test_only_visible_articles_of_the_edition_are_found(client):
    make_article(title="Visible harbour")
    make_article(title="Draft harbour", status=Article.Status.DRAFT, publish_at=None)
    make_article(title="Scheduled harbour", publish_at=timezone.now() + timedelta(hours=1))

    assert found(search(client, "harbour")) == ["Visible harbour"]


def test_search_vector_follows_tag_and_section_changes(client):
    section = make_section(name="Opinion", slug="opinion")
    article = make_article(title="A column", section=section)

    article.tags.add("Desalination")  # the tag-link trigger rebuilds the vector
    assert found(search(client, "desalination")) == ["A column"]
    Section.objects.filter(pk=section.pk).update(name="Commentary")  # the rename trigger
    assert found(search(client, "commentary")) == ["A column"]
    assert found(search(client, "opinion")) == []
    article.tags.clear()
    assert found(search(client, "desalination")) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word or two to search for."),
        ("   ", "Type a word or two to search for."),
        ("?!…— & | ! <-> :* ()", "Type a word or two to search for."),
        ("\u202e\u200b", "Type a word or two to search for."),
        ("water\x00", "Null characters are not allowed."),
    ],
)
def test_bad_queries_get_a_calm_page_with_the_reason(client, query, message):
    response = search(client, query)

    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("query", ["the", "a & b", "x:* | y", "'''", "нефть", "آب", "🌊 water"])
def test_odd_queries_never_fail(client, query):
    make_article(title="Water and oil")

    assert search(client, query).status_code == 200


def test_over_long_queries_are_cut_not_refused(client):
    make_article(title="Water")

    response = search(client, "water " + "x" * 500)

    assert response.status_code == 200
    assert len(response.context["form"].cleaned_data["q"]) == 200


def test_query_syntax_cannot_be_injected():
    assert to_tsquery_text("a & b | !c <-> delta:*") == "a & b & c & delta:*"
    assert to_tsquery_text('"water talks" pipeline') == "(water <-> talks) & pipeline:*"
    assert to_tsquery_text("!!! ???") == ""


def test_the_body_words_query_asks_for_any_word_weighed_as_the_bodys():
    # Phrases and ANDs become ORs: is any of the reader's words in the body at all?
    assert in_body_text("(water <-> talks) & pipeline:*") == "water:D | talks:D | pipeline:*D"
    assert in_body_text("crude") == "crude:D"


def test_only_words_long_enough_to_mean_something_are_prefixes():
    assert to_tsquery_text("crude oil") == "crude & oil"
    assert to_tsquery_text("oil pipe") == "oil & pipe:*"


def test_pagination_without_a_total(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for day in range(5):
        make_article(title=f"Port story {day}", publish_at=days_ago(day))

    first = search(client, "port")
    third = search(client, "port", page=3)

    assert first.context["results"].has_next
    assert found(third) == ["Port story 4"]
    assert not third.context["results"].has_next
    assert 'rel="prev"' in third.content.decode()


def test_the_last_page_is_there_when_pages_do_not_divide_the_candidates(client, settings):
    # 200 candidates at most, 70 a page: the third page holds the last of them.
    settings.ARTICLES_PER_PAGE = 70
    section = make_section()
    for minute in range(141):
        make_article(title="Port story", section=section, publish_at=days_ago(1 + minute / 1440))

    second, third = search(client, "port", page=2), search(client, "port", page=3)

    assert second.context["results"].has_next
    assert len(found(third)) == 1 and not third.context["results"].has_next
    assert search(client, "port", page=4).status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "4", "999999", "²", "①"])
def test_bad_search_page_numbers_are_404(client, settings, page):
    settings.ARTICLES_PER_PAGE = 2
    for day in range(5):
        make_article(title=f"Port story {day}", publish_at=days_ago(day))

    assert search(client, "port", page=page).status_code == 404


def test_the_reader_keeps_what_they_typed(client):
    response = search(client, "nothing matches this")

    content = response.content.decode()
    assert 'value="nothing matches this"' in content
    assert "Nothing matches" in content


def test_search_page_without_query_shows_only_the_form(client):
    response = client.get(reverse("articles:search"))

    assert response.status_code == 200
    assert "field-error" not in response.content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_search_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for number in range(count):
        make_article(title=f"Harbour story {number}", tags=["Ports"])

    # Sections for the masthead, and the results.
    with django_assert_num_queries(2):
        response = search(client, "harbour")
    # Asked again, the page is kept: the results, and when the kept page must end (the
    # next scheduled change: articles/views.py).
    with django_assert_num_queries(2):
        search(client, "harbour")

    assert len(response.context["results"].results) == min(count, 20)


# --- Every word frequency: the newest window first, then the GIN index --------------


@pytest.fixture
def small_windows(monkeypatch):
    monkeypatch.setattr("articles.search.RECENT_WINDOW", 4)
    monkeypatch.setattr("articles.search.CANDIDATE_LIMIT", 3)


def test_a_common_word_is_answered_from_the_newest_articles(client, small_windows):
    for day in range(8):
        make_article(title=f"Budget day {day}", publish_at=days_ago(day + 1))

    response = search(client, "budget")

    # Only the three newest are candidates, ranked alike by title, newest first.
    assert found(response) == ["Budget day 0", "Budget day 1", "Budget day 2"]


def test_a_rare_word_is_found_however_old(client, small_windows):
    make_article(title="Glacier survey", publish_at=days_ago(400))
    make_article(title="Glacier melt", publish_at=days_ago(300))
    for day in range(6):
        make_article(title=f"Budget day {day}", publish_at=days_ago(day + 1))

    assert found(search(client, "glacier")) == ["Glacier melt", "Glacier survey"]


def test_a_word_in_the_window_and_beyond_keeps_the_newest_matches(client, small_windows):
    make_article(title="Harbour old", publish_at=days_ago(90))
    make_article(title="Harbour older", publish_at=days_ago(95))
    make_article(title="Harbour new", publish_at=days_ago(1))
    for day in range(2, 6):
        make_article(title=f"Budget day {day}", publish_at=days_ago(day))

    assert found(search(client, "harbour")) == ["Harbour new", "Harbour old", "Harbour older"]


def test_matches_of_the_walk_and_of_the_index_are_ranked_together(client, small_windows):
    # The walk ranks the match it reads; the one found beyond it is ranked apart.
    make_article(title="Harbour dues", publish_at=days_ago(90))
    make_article(title="Quay report", body="<p>Talk of the harbour.</p>", publish_at=days_ago(1))
    for day in range(2, 6):
        make_article(title=f"Budget day {day}", publish_at=days_ago(day))

    assert found(search(client, "harbour")) == ["Harbour dues", "Quay report"]
    assert found(search(client, "harbour", sort="newest")) == ["Quay report", "Harbour dues"]


@pytest.fixture
def staged_walk(monkeypatch):
    """A walk of 8 articles in stages of 2, 4 and 2: the second after 1 match, the third
    after 3."""
    monkeypatch.setattr("articles.search.RECENT_WINDOW", 8)
    monkeypatch.setattr("articles.search.FIRST_WINDOW", 2)
    monkeypatch.setattr("articles.search.CONTINUE_EVERY", 2)
    monkeypatch.setattr("articles.search.CANDIDATE_LIMIT", 3)


def test_a_word_in_the_first_stage_is_walked_on_to_the_newest_matches(client, staged_walk):
    for day in range(10):
        title = f"Budget day {day}" if day in (1, 3, 4, 6, 9) else f"Other day {day}"
        make_article(title=title, publish_at=days_ago(day + 1))

    assert found(search(client, "budget")) == ["Budget day 1", "Budget day 3", "Budget day 4"]


@pytest.mark.parametrize("articles", [5, 12])
def test_a_word_missing_from_the_first_stage_is_found_beyond_it(client, staged_walk, articles):
    # Nothing in the newest two: the walk stops there, and the matches come from the
    # GIN index, whether the articles end inside the walk's eight or go beyond it.
    for day in range(articles):
        title = "Glacier survey" if day in (3, articles - 1) else f"Budget day {day}"
        make_article(title=title, publish_at=days_ago(day + 1))

    assert found(search(client, "glacier")) == ["Glacier survey", "Glacier survey"]


@pytest.fixture
def middle_stage(monkeypatch):
    """A walk of 16 articles for 6 candidates: 4, then 8 after 1 match, then the rest
    after 5 (the rate that fills the candidates by the end); at 2 in the first four,
    straight on to the end."""
    monkeypatch.setattr("articles.search.RECENT_WINDOW", 16)
    monkeypatch.setattr("articles.search.FIRST_WINDOW", 4)
    monkeypatch.setattr("articles.search.CONTINUE_EVERY", 4)
    monkeypatch.setattr("articles.search.CANDIDATE_LIMIT", 6)


def stages_walked(query) -> list[str]:
    """Return the walk's stages (CTEs) that read search entries in a search for `query`."""
    ran = []
    for node in search_plan_nodes(query, analyze=["articles_searchentry"]):
        stage = node.get("Subplan Name", "").removeprefix("CTE ")
        if stage not in ("recent", "middle", "further"):
            continue
        below = [node]
        while below:
            scan = below.pop()
            below += scan.get("Plans", [])
            if "search_entry" in scan.get("Index Name", "") and scan["Actual Loops"]:
                ran.append(stage)
                break
    return sorted(ran, key=["recent", "middle", "further"].index)


@pytest.mark.parametrize(
    ("matches", "stages", "titles"),
    [
        # One in the newest four, none in the next eight: rarer than would fill the
        # candidates, so the rest is asked of the GIN indexes, not walked.
        ((1, 14), ["recent", "middle"], ["Glacier 1", "Glacier 14"]),
        # Four more in the next eight: on to the end, and done there.
        (
            (1, 5, 6, 7, 9, 13, 15),
            ["recent", "middle", "further"],
            ["Glacier 1", "Glacier 5", "Glacier 6", "Glacier 7", "Glacier 9", "Glacier 13"],
        ),
        # Two in the newest four: straight on, as far as the candidates need.
        (
            (0, 1, 5, 6, 9, 13, 15),
            ["recent", "further"],
            ["Glacier 0", "Glacier 1", "Glacier 5", "Glacier 6", "Glacier 9", "Glacier 13"],
        ),
    ],
)
def test_the_walk_goes_on_to_its_end_only_at_the_rate_that_fills_the_candidates(
    client, middle_stage, matches, stages, titles
):
    for position in range(18):
        title = f"Glacier {position}" if position in matches else f"Budget day {position}"
        make_article(title=title, publish_at=days_ago(position + 1))

    assert found(search(client, "glacier", sort="newest")) == titles
    assert stages_walked("glacier") == stages


def test_a_stage_never_repeats_or_skips_an_article_at_its_boundary(client, staged_walk):
    # The first stage ends inside a run of articles published at the same moment.
    moment = days_ago(2)
    make_article(title="Harbour newest", publish_at=days_ago(1))
    for number in range(4):
        make_article(title=f"Harbour at once {number}", publish_at=moment)

    titles = found(search(client, "harbour", sort="newest"))

    assert len(titles) == len(set(titles)) == 3
    assert titles[0] == "Harbour newest"


@pytest.mark.parametrize("query", ["the", "The and of", '"the"', "a an"])
def test_only_common_words_get_advice_not_nothing_matches(client, query):
    make_article(title="The budget")

    content = search(client, query).content.decode()

    assert "too common to search by" in content
    assert "Nothing matches" not in content


def test_a_common_word_with_a_real_one_searches_the_real_one(client):
    make_article(title="The budget")

    assert found(search(client, "the budget")) == ["The budget"]


@pytest.mark.parametrize("word", ["budget", "glacier", "nothingatall"])
def test_every_frequency_costs_one_query(client, django_assert_num_queries, small_windows, word):
    make_article(title="Glacier survey", publish_at=days_ago(400))
    for day in range(6):
        make_article(title=f"Budget day {day}", publish_at=days_ago(day + 1))
    search(client, "warming")  # caches the navigation's sections and the next change

    with django_assert_num_queries(1 if word != "nothingatall" else 2):  # + the stop-word check
        search(client, word)


def test_postgresql_plans_the_search_once_for_every_search(client):
    make_article(title="Glacier survey", publish_at=days_ago(400))
    for day in range(6):
        make_article(title=f"Budget day {day}", publish_at=days_ago(day + 1))
    words = ["budget", "glacier", "survey", "day", "budgets", "glaciers", "surveys", "nothing"]
    for word in words:  # each a new address: searched, not read from the cache
        search(client, word)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE '%articles_search_config%'"
        )
        plans = cursor.fetchall()
    # One statement; planned for its values five times, then the one generic plan.
    assert plans == [(len(words) - 5, 5)]
    assert found(search(client, "glacier survey")) == ["Glacier survey"]
    assert found(search(client, "budget day 5"))[0] == "Budget day 5"


def test_the_sites_connections_never_jit_compile():
    # At a million articles the search query's cost estimate crosses jit_above_cost,
    # and compiling it took 60-100 ms of every search (alwaght/settings.py).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_a_result_card_links_section_and_article_and_dates_it(client):
    section = make_section(name="Ports & Docks", slug="ports")
    article = make_article(
        title="Harbour <works>",
        lead="The harbour grows.",
        body="<p>Ships and boats.</p>",
        section=section,
        publish_at=datetime(2025, 5, 29, 10, 30, tzinfo=UTC),
    )

    content = search(client, "harbour").content.decode()

    start = content.index('<li class="search-result">')
    card = content[start : content.index("</li>", start) + 5]
    assert card == (
        '<li class="search-result">\n'
        f'  <p class="kicker"><a href="{section.get_absolute_url()}">Ports &amp; Docks</a></p>\n'
        f'  <h2 class="card__title"><a href="{article.get_absolute_url()}">'
        "Harbour &lt;works&gt;</a></h2>\n"
        '  <p class="search-result__excerpt">The <mark>harbour</mark> grows.</p>\n'
        '  <p class="meta"><time datetime="2025-05-29T10:30:00+00:00">29 May 2025</time></p>\n'
        "</li>"
    )


def test_a_searchs_sql_is_built_once_per_shape(client, monkeypatch):
    from articles import search as searching

    monkeypatch.setattr(searching, "_PAGE_QUERIES", {})
    built = []
    page_query = searching._page_query
    monkeypatch.setattr(
        searching, "_page_query", lambda shape: built.append(shape) or page_query(shape)
    )
    make_article(title="Harbour works", publish_at=days_ago(3))
    make_article(title="Glacier melt", publish_at=days_ago(2))

    assert found(search(client, "harbour")) == ["Harbour works"]
    assert found(search(client, "glacier")) == ["Glacier melt"]
    assert found(search(client, "harbour", sort="newest")) == ["Harbour works"]
    assert found(search(client, "glacier", sort="newest")) == ["Glacier melt"]
    assert found(search(client, "glacier", to=days_ago(10).date().isoformat())) == []

    assert len(built) == 3  # ranked, newest first, and ranked before a date
