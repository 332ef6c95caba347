"""The GIN index of recent articles: which articles it holds, and search's use of it."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from alwaght.background import run_jobs
from articles.models import Article
from articles.models.indexes import PENDING_LIST_KB
from articles.search import search_articles
from articles.search_recent import search_recent_refresh
from tests.articles.search_plans import search_plan_nodes
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def found(query, **filters):
    page = search_articles(query, language="en", page=1, per_page=20, **filters)
    return [result.title for result in page.results]


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def marked(*articles):
    return [
        Article.objects.filter(pk=article.pk).values_list("search_recent", flat=True)[0]
        for article in articles
    ]


def mark(articles, value):
    Article.objects.filter(pk__in=[article.pk for article in articles]).update(search_recent=value)


@pytest.fixture
def gin_stages(monkeypatch):
    """Candidates of three; the walk reads only the newest article, so the GIN stages answer."""
    monkeypatch.setattr("articles.search.RECENT_WINDOW", 4)
    monkeypatch.setattr("articles.search.CANDIDATE_LIMIT", 3)


@pytest.fixture
def recent_articles(monkeypatch):
    monkeypatch.setattr("articles.search_recent.RECENT_ARTICLES", 3)


# --- Search: the same candidates, whatever the marks --------------------------------


def test_an_unmarked_match_newer_than_marked_ones_is_not_passed_over(gin_stages):
    make_article(title="Budget day", publish_at=days_ago(1))  # the walk's one article
    newest = make_article(title="Harbour 10", publish_at=days_ago(10))
    for days in (20, 30, 40):
        make_article(title=f"Harbour {days}", publish_at=days_ago(days))
    mark([newest], False)

    # Three marked matches would fill the candidates; the newest match is not marked.
    assert found("harbour") == ["Harbour 10", "Harbour 20", "Harbour 30"]


def test_a_match_marked_too_long_never_takes_a_newer_ones_place(gin_stages):
    make_article(title="Budget day", publish_at=days_ago(1))
    for days in (10, 20):
        make_article(title=f"Harbour {days}", publish_at=days_ago(days))
    unmarked = make_article(title="Harbour 30", publish_at=days_ago(30))
    # Marked though old (an article put back, a bulk load), until the job unmarks it.
    make_article(title="Harbour 400", publish_at=days_ago(400))
    mark([unmarked], False)

    assert found("harbour") == ["Harbour 10", "Harbour 20", "Harbour 30"]


@pytest.mark.parametrize(
    "unmarked_days",
    [(), (10, 20, 30, 40, 50, 60, 70), (40, 50, 60, 70), (10, 30, 50, 70), (70,), (5,), (35,)],
)
def test_the_candidates_are_the_newest_matches_whatever_the_marks(gin_stages, unmarked_days):
    make_article(title="Budget day", publish_at=days_ago(1))
    articles = {
        days: make_article(title=f"Harbour {days}", publish_at=days_ago(days))
        for days in (10, 20, 30, 40, 50, 60, 70)
    }
    for days in (5, 35):  # not matches: an unmarked one sets where the recent index ends
        articles[days] = make_article(title=f"Budget {days}", publish_at=days_ago(days))
    mark([articles[days] for days in unmarked_days], False)

    assert found("harbour") == ["Harbour 10", "Harbour 20", "Harbour 30"]


# At ten rows the planner finds an edition's few rows through these rather than ask
# a GIN index for the words (at 300,000 articles it asks the edition's GIN indexes:
# scripts/explain_search.py run --plans).
EDITION_BTREES = ("article_search_marks", "article_desk_order", "article_edition_publish_at")


def gin_scans(query, *, without=(), **filters) -> list[dict]:
    """Return the plan nodes of a search for `query` that ask a GIN index for words, run
    or not (the indexes named `without` dropped first).

    With sequential scans off, the planner may also join the page's rows to their
    sections through a GIN index's section_id (btree_gin): not a stage, left out.
    """
    return [
        node
        for node in search_plan_nodes(
            query, analyze=["articles_article"], without=(*without, *EDITION_BTREES), **filters
        )
        if node.get("Index Name", "").startswith("article_search_")
        and "search_vector" in node.get("Index Cond", "")
    ]


def gin_reads(query, *, index=None, **filters) -> int:
    """Return how many times a search for `query` asked a GIN index for its words (the
    index named `index` only, if given), the plan having such a stage, run or not."""
    reads = [
        scan["Actual Loops"]
        for scan in gin_scans(query, **filters)
        if index is None or scan["Index Name"] == index
    ]
    assert reads  # the plan has the stage, run or not
    return sum(reads)


def older_index_reads(query, **filters) -> int:
    """Return how many times a search for `query` read the (English) index of older articles."""
    return gin_reads(query, index="article_search_older_en", **filters)


def test_the_index_of_older_articles_is_read_only_when_the_recent_one_falls_short(gin_stages):
    make_article(title="Budget day", publish_at=days_ago(1))
    for days in (10, 20, 30):
        make_article(title=f"Harbour {days}", publish_at=days_ago(days))
    old = make_article(title="Glacier", publish_at=days_ago(40))
    mark([old], False)

    assert older_index_reads("harbour") == 0
    assert older_index_reads("glacier") == 1


def test_the_index_of_older_articles_is_not_read_when_the_filters_leave_no_older_article(
    gin_stages,
):
    make_article(title="Budget day", publish_at=days_ago(1))
    make_article(title="Harbour 2", publish_at=days_ago(2))
    old = make_article(title="Harbour 40", publish_at=days_ago(40))
    mark([old], False)

    # The past week's matches are all newer than the unmarked article: all are marked.
    assert older_index_reads("harbour", since=days_ago(7)) == 0
    assert found("harbour", since=days_ago(7)) == ["Harbour 2"]
    assert older_index_reads("harbour") == 1
    assert found("harbour") == ["Harbour 2", "Harbour 40"]


def test_the_older_articles_index_reads_no_match_the_recent_one_read(gin_stages):
    make_article(title="Budget day", publish_at=days_ago(1))
    make_article(title="Harbour 10", publish_at=days_ago(10))
    older = [make_article(title=f"Harbour {days}", publish_at=days_ago(days)) for days in (40, 50)]
    mark(older, False)

    rows_read = [
        node["Actual Rows"]
        for node in search_plan_nodes(
            "harbour", analyze=["articles_article"], without=EDITION_BTREES
        )
        if node["Node Type"] == "Bitmap Heap Scan"
        for scan in node["Plans"]
        if scan.get("Index Name") == "article_search_older_en"
        and "search_vector" in scan.get("Index Cond", "")
    ]

    assert found("harbour") == ["Harbour 10", "Harbour 40", "Harbour 50"]
    # Both stages ran; the second read the two unmarked matches' rows, not the marked
    # one's again (the index's own count holds the test database's dead entries).
    assert rows_read == [2]


def test_a_candidate_of_the_gin_stages_is_ranked_from_its_rows_address(gin_stages):
    make_article(title="Budget day", publish_at=days_ago(1))  # the walk's one article
    for days in (10, 20, 30):
        make_article(title=f"Harbour {days}", publish_at=days_ago(days))

    nodes = search_plan_nodes("harbour", analyze=["articles_article"], without=EDITION_BTREES)
    ranked = [node for node in nodes if node["Node Type"] == "Tid Scan"]

    assert found("harbour") == ["Harbour 10", "Harbour 20", "Harbour 30"]
    # Each of the three read again where the GIN stage found it (its ctid), not looked up
    # through the primary key's index.
    assert [(node["Relation Name"], node["Actual Loops"]) for node in ranked] == [
        ("articles_article", 3)
    ]


def test_a_search_within_a_section_asks_the_gin_indexes_for_that_section_only(
    gin_stages,
):
    world, sport = make_section(name="World"), make_section(name="Sport")
    make_article(title="Budget day", section=world, publish_at=days_ago(1))
    for days in (2, 3, 4, 5, 6):  # newer matches in another section, in both indexes
        make_article(title=f"Harbour sport {days}", section=sport, publish_at=days_ago(days))
    make_article(title="Harbour 10", section=world, publish_at=days_ago(10))
    old = [
        make_article(title=f"Harbour {days}", section=world, publish_at=days_ago(days))
        for days in (40, 50, 60)
    ]
    mark(old, False)

    assert found("harbour", section_id=world.pk) == ["Harbour 10", "Harbour 40", "Harbour 50"]
    # At ten rows the planner reads the section's btree indexes instead (at a million
    # articles it reads the GIN indexes, docs/benchmarks.md): without them, the GIN
    # index must be able to take the section (bigint = bigint: btree_gin's operator).
    section_indexes = ("article_section_latest", "articles_article_section_id_624070f6")
    scans = gin_scans("harbour", without=section_indexes, section_id=world.pk)
    assert scans
    for scan in scans:
        assert "section_id" in scan["Index Cond"]


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
def test_a_search_reads_only_its_own_editions_indexes(gin_stages, language):
    # A number is a word of every edition: each edition's matches, recent and older.
    for edition in ("en", "ar", "fa"):
        make_article(title="Budget", language=edition, publish_at=days_ago(1))
        for days in (10, 40):
            make_article(title=f"Route 66 {edition}", language=edition, publish_at=days_ago(days))
        Article.objects.filter(language=edition, publish_at__lt=days_ago(30)).update(
            search_recent=False
        )

    page = search_articles("66", language=language, page=1, per_page=20, newest_first=True)
    scans = gin_scans("66", language=language)

    assert [result.title for result in page.results] == [f"Route 66 {language}"] * 2
    assert {scan["Index Name"] for scan in scans} == {
        f"article_search_recent_{language}",
        f"article_search_older_{language}",
    }


def test_a_search_without_a_section_asks_the_indexes_for_words_only(gin_stages):
    make_article(title="Budget day", publish_at=days_ago(1))
    old = make_article(title="Harbour 40", publish_at=days_ago(40))
    mark([old], False)

    scans = gin_scans("harbour")
    assert scans
    assert not any("section_id" in scan["Index Cond"] for scan in scans)


@pytest.mark.parametrize("marked", [True, False])
def test_the_gin_stages_find_every_word_a_prefix_starts(gin_stages, marked):
    make_article(title="Budget day", publish_at=days_ago(1))
    older = [
        make_article(title="Officials at the Capitol", publish_at=days_ago(10)),
        make_article(title="Officials capitulate", publish_at=days_ago(20)),
        make_article(title="Officials in the capital", publish_at=days_ago(30)),
        make_article(title="Officials cap spending", publish_at=days_ago(40)),
    ]
    Article.objects.filter(pk__in=[article.pk for article in older]).update(search_recent=marked)

    page = search_articles("officials capit", language="en", page=1, per_page=20, newest_first=True)

    assert [result.title for result in page.results] == [
        "Officials at the Capitol",
        "Officials capitulate",
        "Officials in the capital",
    ]


# Each edition's reader, the last word half typed, its matches older than the walk reads:
# the GIN stages ask for the words the prefix starts in that edition's configuration
# (PostgreSQL's stemmer in English and Arabic, Python's stems in Persian), and find the
# articles the walk of every article finds.
PREFIX_SEARCHES = {
    "en": (
        "officials capit",
        [
            "Officials at the Capitol",
            "Officials capitulate",
            "Officials in the capital",
            "Officials cap spending",
        ],
    ),
    "ar": (
        "المسؤولون العاص",
        ["المسؤولون في العاصمة", "المسؤولون والعاصفة", "المسؤولون في العاصي", "المسؤولون والعلم"],
    ),
    "fa": (
        "مقامات پایت",
        ["مقامات در پایتخت", "مقامات پایتختی", "مقامات و پایداری", "مقامات و باران"],
    ),
}


@pytest.mark.parametrize("marked", [True, False])
@pytest.mark.parametrize("edition", PREFIX_SEARCHES)
def test_each_editions_half_typed_word_finds_in_the_gin_stages_what_the_walk_finds(
    monkeypatch, edition, marked
):
    query, titles = PREFIX_SEARCHES[edition]
    make_article(language=edition, title="—", publish_at=days_ago(1))
    older = [
        make_article(language=edition, title=title, publish_at=days_ago(10 * (number + 1)))
        for number, title in enumerate(titles)
    ]
    mark(older, marked)

    def newest_three():
        page = search_articles(query, language=edition, page=1, per_page=3, newest_first=True)
        return [result.title for result in page.results]

    walked = newest_three()  # the walk reads every article of this small archive
    monkeypatch.setattr("articles.search.RECENT_WINDOW", 4)
    monkeypatch.setattr("articles.search.CANDIDATE_LIMIT", 3)

    assert len(walked) >= 2
    assert newest_three() == walked


# --- The indexes' pending lists: short, since every search reads them whole --------


def test_every_search_index_keeps_a_short_pending_list():
    # Every GIN index of the articles' table, as the database has them: one made by hand
    # rather than by edition_words would be read by searches too.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT index.relname, index.reloptions FROM pg_index"
            " JOIN pg_class AS index ON index.oid = pg_index.indexrelid"
            " JOIN pg_am ON pg_am.oid = index.relam"
            " WHERE pg_index.indrelid = 'articles_article'::regclass AND pg_am.amname = 'gin'"
        )
        options = dict(cursor.fetchall())

    assert len(options) >= 2 * len(settings.LANGUAGES)  # recent and older, per edition
    assert options == {name: [f"gin_pending_list_limit={PENDING_LIST_KB}"] for name in options}


def test_saves_beyond_the_limit_are_merged_into_the_index():
    article = make_article(title="Budget day")
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        # Forty saves of two hundred words each: about five times the limit in the list.
        for save in range(40):
            cursor.execute(
                "UPDATE articles_article SET search_vector = to_tsvector('simple', %s)"
                " WHERE id = %s",
                [" ".join(f"w{save}x{word}" for word in range(200)), article.pk],
            )
        cursor.execute("SELECT pending_pages FROM pgstatginindex('article_search_recent_en')")
        pending_pages = cursor.fetchone()[0]

    # The limit's pages, and the last save's, which came after the last merge.
    assert pending_pages <= PENDING_LIST_KB // 8 + 1


# --- The job: each edition's newest marked, older ones unmarked ---------------------


def test_the_job_marks_each_editions_newest_and_unmarks_the_rest(recent_articles):
    english = [make_article(title=f"En {days}", publish_at=days_ago(days)) for days in range(1, 6)]
    arabic = [make_article(language="ar", publish_at=days_ago(days)) for days in (100, 200)]
    draft = make_article(status=Article.Status.DRAFT, publish_at=None)
    mark(english[:2] + arabic, False)

    assert search_recent_refresh() == 6  # two English marked and two unmarked, two Arabic
    assert marked(*english) == [True, True, True, False, False]
    assert marked(*arabic) == [True, True]
    assert marked(draft) == [True]  # no publish time: never unmarked
    assert search_recent_refresh() == 0


def test_the_job_moves_a_batch_a_run_newest_marks_first(recent_articles):
    articles = [make_article(publish_at=days_ago(days)) for days in range(1, 6)]
    mark(articles, False)

    assert search_recent_refresh(limit=2) == 2
    assert marked(*articles) == [True, True, False, False, False]
    mark(articles[3:], True)

    assert search_recent_refresh(limit=1) == 1
    assert marked(*articles) == [True, True, True, True, True]
    assert search_recent_refresh(limit=1) == 1
    assert marked(*articles) == [True, True, True, True, False]  # the oldest first


def test_the_job_runs_in_the_background(recent_articles):
    articles = [make_article(publish_at=days_ago(days)) for days in range(1, 5)]

    [outcome] = run_jobs(["search_recent"])

    assert (outcome.status, outcome.detail) == ("done", "moved 1 marks")
    assert marked(*articles) == [True, True, True, False]


def test_a_new_article_is_marked_and_a_save_never_writes_a_mark_back():
    article = make_article()
    assert marked(article) == [True]
    mark([article], False)

    article.title = "Edited after the job unmarked it"
    article.save()

    assert marked(article) == [False]


def test_a_rare_word_goes_to_the_gin_indexes_sooner_when_no_dates_narrow_the_search(
    monkeypatch,
):
    monkeypatch.setattr("articles.search.RECENT_WINDOW", 16)
    monkeypatch.setattr("articles.search.CANDIDATE_LIMIT", 3)
    monkeypatch.setattr("articles.search.FIRST_WINDOW", 2)
    monkeypatch.setattr("articles.search.DATED_FIRST_WINDOW", 4)
    monkeypatch.setattr("articles.search.CONTINUE_EVERY", 2)
    make_article(title="Budget day", publish_at=days_ago(1))
    make_article(title="Harbour day", publish_at=days_ago(2))
    make_article(title="Glacier day", publish_at=days_ago(3))
    for days in (10, 20):
        make_article(title=f"Older {days}", publish_at=days_ago(days))

    # Undated: the newest two hold no match, and the rest is asked of the GIN indexes.
    assert found("glacier") == ["Glacier day"]
    assert gin_reads("glacier") > 0
    # In the past week: its three articles are walked to the end, no GIN index asked.
    assert found("glacier", since=days_ago(7)) == ["Glacier day"]
    assert gin_reads("glacier", since=days_ago(7)) == 0
