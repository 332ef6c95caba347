"""Full-text search over articles, on PostgreSQL's own text search.

Readers type words; the last becomes a prefix term ("secur" finds "security"), and
"quoted words" must appear together. Matches are ranked title first (weights:
title A, lead and tags B, section C, body D), then by recency. Only the newest
CANDIDATE_LIMIT matches are ranked and there is no exact total: at a million
articles, ranking or counting every match of a common word takes seconds.

Finding the newest matches fast at every word frequency takes two strategies,
chosen inside one query (see _NEWEST_MATCHES). Left to itself, the planner walked
the publish-date index checking each article's words: instant for a word in
every article, but for a word in one article of ten it checked 20,000 rows to
find 2,000 (105 ms at 100k), and for a rare word it reads everything. So:
- the newest RECENT_WINDOW articles are checked first (a fixed, small cost), in
  three stages: the newest FIRST_WINDOW, the next MIDDLE_WINDOWS times as many only
  when those held a match in every CONTINUE_EVERY, and the rest only when the rate
  so far would fill the candidates there (_walk_stages); a word common enough to
  fill them there is done.
  They are read from the search entries (articles.models.SearchEntry: each
  article's vector and visibility, in publication order), not from the articles'
  table, where each lay on a page of its own: 25-40 % less time for most shapes;
- otherwise the word is rarer than CANDIDATE_LIMIT in RECENT_WINDOW (or than a
  stage's rate to go on), and its matches come from a GIN index (cost in
  proportion to how many articles hold its words), of which the newest are
  kept: first the index of each edition's newest 50,000 articles, which holds
  the candidates of any word in one article of 250 or more
  (articles/search_recent.py), then, only when that falls short, the index of
  its older articles. Both are asked for the words the reader's last word starts
  rather than for the prefix (PrefixExpanded: a prefix made the index read
  every article holding such a word before the other words narrowed them).

Only the page shown gets excerpts (the lead when a reader's word is in it: see
_page_query), and the query's SQL is built once per shape of page. PostgreSQL
plans it once per connection too (a prepared statement's generic plan): the
reader's words, the clock and the filters reach it as subqueries (ParsedOnce,
_given), so a plan for one search's values would know no more than the plan
for all of them.

Section and date filters narrow every stage (the window is the filtered set's
newest articles), so the candidates are the newest matches within the filters.
The GIN indexes hold each article's section beside its words (btree_gin,
migration 0037), so within a section they give that section's matches only,
where every match's row had to be read for its section.
The reader is told how many candidates there are: below CANDIDATE_LIMIT that is
every match; at it, "at least" that many. Counted with the page's own query, over
at most CANDIDATE_LIMIT rows. At 20,000 articles every filter shape for a common,
a mid-frequency and a one-article word ran in 0.1-24 ms (EXPLAIN ANALYZE medians
on a loaded 2-core machine). At a million English articles
(scripts/grow_bench_db.py, measured by scripts/explain_search.py: EXPLAIN ANALYZE
of the generic plan, p50 / p95 of 15 runs, load 4.4-4.5) every shape measured ran
within 26 ms at p95: a rare word 1.3 / 3.9 ms of PostgreSQL, one article in a
hundred 4.9 / 8.7 (in the busiest section 11.6 / 18.2), two words meeting in one
article of eighty 3.0 / 6.0 (in the busiest section 12.2 / 26.3, the slowest),
one in ten 2.6 / 4.9, every article 1.4 / 1.5, two common words that never meet
6.4 / 6.7, three meeting in one article of 800 11.5 / 22.4 (docs/benchmarks.md,
"Search at a million articles: sections and prefixes in the GIN indexes").
"""

import re
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from html import escape, unescape
from itertools import islice

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
)
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    DateTimeField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Left
from django.db.models.lookups import Exact, GreaterThan
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.headlines import Headline, LinkedSection
from articles.models import Article, SearchEntry
from articles.script import (
    PREFIX_MIN_LENGTH,
    is_stop_word,
    search_language,
    search_terms,
    search_words,
)
from web.metrics import SEARCH_SECONDS
from web.prepared import Preceded, PreparedQuery

# The newest matches ranked (ALWAGHT_SEARCH_CANDIDATES, 200 by default: ten pages of
# twenty), read when a search runs: tests set it smaller.
CANDIDATE_LIMIT = settings.SEARCH_CANDIDATES
# What a result card shows (SearchResult), then the count of candidates and the text
# of the excerpt, in the order of the page query's columns.
CARD_COLUMNS = (
    *("id", "language", "slug", "title", "publish_at"),
    *("section__id", "section__language", "section__name", "section__slug"),
    "found",
)
RECENT_WINDOW = 4000
# The walk's first stage, and how many matches in it make it go on (see _NEWEST_MATCHES):
# a match in every CONTINUE_EVERY articles. After 1,000 rows, the walk was 1.0 of a
# word in 1 of 100's 4.7 ms of PostgreSQL at 300k; it stops after 400 now. Words come
# in bursts (a story in the news, then none), so the rate to go on is the old one, 20
# in 1,000, not what would fill the candidates (20 in 400): at a million articles
# "officials" (1 in 10) had 9 matches in the newest 400, and the GIN stage read 4,854
# rows (7.9 ms) where the walk needed 2,000. Not when dates narrow the search: the
# GIN indexes know no dates, and "in the past week" would have them read every
# recent match of the words, where the newest 1,000 hold a week's articles or most.
FIRST_WINDOW = 400
DATED_FIRST_WINDOW = 1000
CONTINUE_EVERY = 50
# The middle stage's length, in first stages: after it, the walk goes on only at the
# rate that fills the candidates (_walk_stages).
MIDDLE_WINDOWS = 2
MAX_TERMS = 8
# The words of a to_tsquery expression, and those searched as prefixes ("word:*").
STEM = re.compile(r"\w+")
PREFIX_STEM = re.compile(r"\w+:\*")
# Each word of a to_tsquery expression, and whether it is a prefix.
TERM = re.compile(r"(\w+)(:\*)?")
# The weight the search vector gives a body's words (articles/search_index.py).
BODY_WEIGHT = "D"
# Excerpts made in Python (editions whose words Python stems).
EXCERPT_WORD = re.compile(r"[\w\u200c]+")
EXCERPT_WORDS = 35
EXCERPT_BEFORE = 5
PHRASE = re.compile(r'"([^"]*)"')
# Rank weights for D, C, B, A (PostgreSQL's order).
WEIGHTS = [0.1, 0.2, 0.4, 1.0]
# Markers that cannot occur in text, swapped for <mark> after escaping.
START, STOP = "\x02", "\x03"
# A body's tags become spaces, and so does a tag cut off by the excerpt's length
# (a body's text has no "<" of its own: the sanitiser writes it as &lt;).
BODY_TAG = "<[^>]*>?"


class ParsedOnce(SearchQuery):
    """The reader's query as a subquery: parsed once per statement, whatever the plan.

    A prepared statement's generic plan cannot fold to_tsquery of a parameter into
    a constant as a plan for the values does, and parsed the words again for each
    row it checked (at 100k, with the edition and status as parameters too, the
    generic plan cost 3.6 ms of PostgreSQL's CPU for "officials", 2.1 planned for
    the values). As a subquery (an InitPlan) it is parsed once per search, and an
    index can still use it.
    """

    def as_sql(self, compiler, connection, **kwargs):
        sql, params = super().as_sql(compiler, connection, **kwargs)
        return f"(SELECT {sql})", params


class PrefixExpanded(ParsedOnce):
    """The reader's query with its last word's prefix as the words it starts, once a statement.

    The same matches (articles_search_query, migration 0038: every word of every
    vector is listed, articles/models/vocabulary.py), which a GIN index finds by
    intersecting posting lists: a prefix made it first read every article holding
    a word the prefix starts (at a million articles, 21 of the 22 ms of
    "offici & trader:*" in the index of every article; 5 ms as whole words). Used
    for the GIN stages only: ranks and excerpts keep the reader's prefix, which
    ts_rank weighs as one word where the words it starts would be several.
    """

    def __init__(self, value, **kwargs):
        super().__init__(value, search_type="raw", **kwargs)
        self.function = "articles_search_query"


class AsHtml(Func):
    """Escape plain text (a lead) as HTML text, as a body's text is stored."""

    template = "replace(replace(replace(%(expressions)s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"
    output_field = TextField()


def in_body_text(expression: str) -> str:
    """Return a to_tsquery() expression that an article matches when its body holds
    any word of `expression` (a prefix stays a prefix), from its search vector alone."""
    return " | ".join(
        f"{word}:{'*' if prefix else ''}{BODY_WEIGHT}" for word, prefix in TERM.findall(expression)
    )


def to_tsquery_text(text: str, language: str = "en") -> str:
    """Return a to_tsquery() expression for the reader's words, or "" if none.

    Words go through articles.script.search_words, as the index's do. Only \\w
    characters reach the expression, so nothing a reader types can change its
    syntax. The last loose word is a prefix (the reader may not have finished
    typing it) when it is long enough to mean something; the others are whole
    words: a prefix of a word found in every article makes the GIN index merge
    every posting list it starts (70 ms for "load topic 042" at 100k, 1 ms with
    whole words), and "من" would find منذ and منسوب. Loose stop words of the
    edition are left out (English: PostgreSQL's configuration drops its own);
    within "quotes" every word counts.
    """
    terms = []
    for phrase in PHRASE.findall(text):
        words = search_words(phrase, language)
        if words:
            terms.append("(" + " <-> ".join(words) + ")")
    loose = [
        (written, compared)
        for written, compared in search_terms(PHRASE.sub(" ", text), language)
        if not is_stop_word(written, language)
    ]
    terms += [compared for _written, compared in loose]
    if loose and len(loose[-1][0]) >= PREFIX_MIN_LENGTH:
        terms[-1] += ":*"
    return " & ".join(terms[:MAX_TERMS])


# The planner must not flatten the CTEs into one plan: MATERIALIZED keeps each
# strategy's own index, and a later one is skipped (a one-time filter) when the ones
# before found enough. The walk of the newest RECENT_WINDOW articles goes in three
# stages (_walk_stages): the newest FIRST_WINDOW (`recent`); then, only when those held
# `continue_at` matches (a word common enough to be found faster by walking on than from
# the GIN index), `middle`, from the row after them (`boundary`, read from the index
# alone), only when those held fewer than `fill_at` (the rate that fills the candidates
# by the window's end); then `further`, the rest of the window from the row after
# `resume`: the first stage's last row when it held `fill_at`, else the middle's
# (`middle_end`) when the two held `fill_after_middle`. A rare word walked all 4,000
# rows for nothing: 4-6 of its 6-7 ms of PostgreSQL at 100k. The GIN stages run when the
# walk found too few and did not read every article the filters leave (`beyond`): first
# `newer`, from the edition's index of recent articles (articles/search_recent.py), then
# `older`, from its index of the other (older) articles, only if fewer than
# CANDIDATE_LIMIT of `newer`'s were newer than the edition's newest article outside it.
# The two indexes hold no article twice: when the index of every article was read
# second, it read the recent matches' posting lists again (three words in 1 of 800,
# 3.7 → 3.0 ms at 300,000 articles). Each keeps only its newest CANDIDATE_LIMIT (a top-N
# sort): at a million articles a word in one article of a hundred has 10,780 matches,
# and carrying them all into the union cost 20 of its 58 ms. Their OFFSET 0 keeps that
# ORDER BY ... LIMIT from luring the planner back onto the date index (which reads every
# article newer than the 200th match).
#
# The walk ranks each match where it reads the row (its `rank`, NULL for a row that
# does not match); the GIN stages, which may find thousands, leave the rank to
# `page`, which works it out for their candidates only, read again by the address
# (`tid`) where the stage found each (at 100k, "officials" read
# its 200 candidates' rows again for their rank and joined each to its section:
# 5.2 ms of PostgreSQL, 4.7 ranked in the walk and joined for the page's rows;
# docs/benchmarks.md, issue 24's seventh pass).
# `page` is the page's rows in the reader's order, with how many candidates there
# are; the statement's SELECT (_page_query) reads only those rows.
_NEWEST_MATCHES = """
    WITH recent AS MATERIALIZED (
        SELECT id, publish_at, rank::real AS rank, NULL::tid AS tid FROM ({recent}) AS newest
        WHERE rank IS NOT NULL
        LIMIT {limit}
    ), boundary AS MATERIALIZED (
        {boundary}
    ), middle AS MATERIALIZED (
        SELECT id, publish_at, rank::real AS rank, NULL::tid AS tid FROM ({middle}) AS newest
        WHERE rank IS NOT NULL
        AND (SELECT count(*) FROM recent) BETWEEN {continue_at} AND {fill_at} - 1
        LIMIT {limit} - (SELECT count(*) FROM recent)
    ), middle_end AS MATERIALIZED (
        {middle_end}
    ), resume AS MATERIALIZED (
        SELECT publish_at, id FROM boundary WHERE (SELECT count(*) FROM recent) >= {fill_at}
        UNION ALL
        SELECT publish_at, id FROM middle_end WHERE (SELECT count(*) FROM recent) < {fill_at}
        AND (SELECT count(*) FROM recent) + (SELECT count(*) FROM middle) >= {fill_after_middle}
    ), further AS MATERIALIZED (
        SELECT id, publish_at, rank::real AS rank, NULL::tid AS tid FROM ({further}) AS newest
        WHERE rank IS NOT NULL
        AND (SELECT count(*) FROM recent) + (SELECT count(*) FROM middle) < {limit}
        AND EXISTS (SELECT FROM resume)
        LIMIT {limit} - (SELECT count(*) FROM recent) - (SELECT count(*) FROM middle)
    ), beyond AS MATERIALIZED (
        SELECT (SELECT count(*) FROM recent) + (SELECT count(*) FROM middle)
            + (SELECT count(*) FROM further) < {limit} AND CASE
            WHEN EXISTS (SELECT FROM resume) THEN EXISTS ({window_end})
            WHEN (SELECT count(*) FROM recent) >= {continue_at} THEN EXISTS (SELECT FROM middle_end)
            ELSE EXISTS (SELECT FROM boundary) END AS needed
    ), unmarked AS MATERIALIZED (
        SELECT coalesce(({newest_unmarked}), '-infinity') AS publish_at
    ), newer AS MATERIALIZED (
        SELECT id, publish_at, NULL::real AS rank, tid FROM ({newer} OFFSET 0) AS matching
        WHERE (SELECT needed FROM beyond)
        ORDER BY publish_at DESC, id DESC
        LIMIT {limit}
    ), older AS MATERIALIZED (
        SELECT id, publish_at, NULL::real AS rank, tid FROM ({matching} OFFSET 0) AS matching
        WHERE (SELECT needed FROM beyond)
        AND (SELECT count(*) FROM newer WHERE publish_at > (SELECT publish_at FROM unmarked))
            < {limit}
        AND EXISTS ({unmarked_visible})
        ORDER BY publish_at DESC, id DESC
        LIMIT {limit}
    ), candidates AS MATERIALIZED (
        SELECT id, publish_at, max(rank) AS rank, max(tid) AS tid FROM (
            SELECT * FROM recent UNION ALL SELECT * FROM middle UNION ALL SELECT * FROM further
            UNION ALL SELECT * FROM newer UNION ALL SELECT * FROM older
        ) AS found
        GROUP BY id, publish_at
        ORDER BY publish_at DESC, id DESC
        LIMIT {limit}
    ), page AS MATERIALIZED (
        SELECT id, publish_at, {rank} AS rank, count(*) OVER () AS found
        FROM candidates
        ORDER BY {order}
        LIMIT {page_rows} OFFSET {offset}
    )
"""


@dataclass(slots=True)
class SearchResult(Headline):
    """One search result: what its card shows (articles/templatetags: search_result_items).

    Columns of the page query, not an Article (articles/headlines.py).
    """

    excerpt: SafeString


@dataclass
class SearchPage:
    results: list
    number: int
    has_next: bool
    # Every word the reader typed is too common to search by ("the", "and").
    only_common_words: bool = False
    # How many candidates there are: every match below CANDIDATE_LIMIT, else the cap.
    found: int = 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def capped(self) -> bool:
        """Return whether there may be more matches than the candidates ranked."""
        return self.found >= CANDIDATE_LIMIT


def last_page(per_page: int) -> int:
    """Return the number of the last page of results there can be: the one holding the
    last of CANDIDATE_LIMIT candidates (a page beyond it answers 404)."""
    return -(-CANDIDATE_LIMIT // per_page)


@SEARCH_SECONDS.time()
def search_articles(
    text: str,
    *,
    language: str,
    page: int,
    per_page: int,
    section_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    newest_first: bool = False,
) -> SearchPage:
    """Return one page of matches, each with a highlighted `excerpt` (one query).

    Filters (a section; published at or after `since`, before `until`) narrow the
    candidates themselves, so the newest CANDIDATE_LIMIT matches are those of the
    filtered set. Matches are ranked, or with `newest_first` simply newest first.
    """
    # Words as the index has them (articles/script.py): folded, so either keyboard
    # finds the article, and in Persian stemmed by the index's own stemmer.
    expression = to_tsquery_text(text, language)
    if not expression:  # nothing but the edition's stop words ("في", "از")
        return SearchPage([], page, False, only_common_words=bool(search_words(text, language)))
    offset = (page - 1) * per_page
    shape = (
        language,
        section_id is not None,
        since is not None,
        until is not None,
        newest_first,
        offset,
        per_page,
        RECENT_WINDOW,
        CANDIDATE_LIMIT,
        FIRST_WINDOW,
        DATED_FIRST_WINDOW,
        CONTINUE_EVERY,
        MIDDLE_WINDOWS,
    )
    prepared = _PAGE_QUERIES.get(shape)
    if prepared is None:
        prepared = _PAGE_QUERIES[shape] = _page_query(shape)
    values = {
        "expression": expression,
        "in_body": in_body_text(expression),
        "now": timezone.now(),
    }
    values.update(
        (name, value)
        for name, value in (("section_id", section_id), ("since", since), ("until", until))
        if value is not None
    )
    rows = prepared(**values)
    if not rows and page == 1:
        return SearchPage([], page, False, only_common_words=_only_stop_words(expression, language))
    # The excerpts' text comes as HTML (the body's text as stored, the lead escaped
    # to match it): its entities are decoded once here, and highlighted() escapes
    # the text once. Escaping the HTML itself showed readers "&amp;amp;".
    python_stemmer = search_language(language).python_stemmer
    results = []
    for pk, edition, slug, title, publish_at, *section, _found, text in rows[:per_page]:
        if python_stemmer:
            excerpt = stemmed_excerpt(unescape(text), expression, language)
        else:
            excerpt = highlighted(unescape(text))
        results.append(
            SearchResult(pk, edition, slug, title, publish_at, LinkedSection(*section), excerpt)
        )
    found = rows[0][CARD_COLUMNS.index("found")] if rows else 0
    return SearchPage(results, page, len(rows) > per_page, found=found)


# One prepared query per shape of search page (web/prepared.py): the ORM built and
# compiled this query, three subqueries deep, for every search, about 2.5 ms of a
# never-repeated search's app CPU (compiler.as_sql and _newest_matches under load).
# Its shapes: the edition, which filters are set, the order and the page.
_PAGE_QUERIES: dict[tuple, PreparedQuery] = {}


def _page_query(shape: tuple) -> PreparedQuery:
    """Return the prepared query of one page of search results of `shape`."""
    language, section, since, until, newest_first, offset, per_page, *_windows = shape
    kinds = {"expression": str, "in_body": str, "now": datetime}
    if section:
        kinds["section_id"] = int
    if since:
        kinds["since"] = datetime
    if until:
        kinds["until"] = datetime

    def build(expression, in_body, now, section_id=None, since=None, until=None):
        # Each of the call's values as a subquery too (see _given): a plan made for
        # them would be no better, and PostgreSQL then keeps one plan for every call.
        now = _given(now, DateTimeField())
        # bigint, as the column: the GIN indexes' section_id (btree_gin) has no
        # bigint = integer operator, and the fence below puts the section in them.
        section_id = None if section_id is None else _given(section_id, BigIntegerField())
        since = None if since is None else _given(since, DateTimeField())
        until = None if until is None else _given(until, DateTimeField())
        config = Func(Value(language), function="articles_search_config")
        query = ParsedOnce(expression, search_type="raw", config=config)
        # Only stop words ("the"): to_tsquery of constants is folded while planning, so
        # this makes every scan below a one-time "false" instead of a walk of the
        # recent window that can match nothing (7.7 of 8.5 ms at 100k).
        visible = (
            Article.objects.published(now)
            .in_language(language)
            .filter(GreaterThan(Func(query, function="numnode", output_field=IntegerField()), 0))
        )
        if section_id is not None:
            visible = visible.filter(section_id=section_id)
        if since is not None:
            visible = visible.filter(publish_at__gte=since)
        if until is not None:
            visible = visible.filter(publish_at__lt=until)
        expanded = PrefixExpanded(expression, config=config)
        ranking = None if newest_first else SearchRank(F("search_vector"), query, weights=WEIGHTS)
        window = (offset, per_page + 1)  # one row more tells whether a next page exists
        newest_matches = _newest_matches(
            visible,
            query,
            expanded,
            language,
            section_id,
            ranking=ranking,
            window=window,
            dated=since is not None or until is not None,
        )
        plain_body = Func(
            # The excerpt comes from the start of the body: ts_headline parses all it
            # is given, and twenty whole bodies cost 15 ms at 100k.
            Left(F("body"), search_language(language).excerpt_chars),
            Value(BODY_TAG),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )
        # HTML text throughout: ts_headline keeps entities whole (never splits or
        # marks them), and the lead escaped shows its "<b>" as text where the
        # parser would have taken it for a tag and dropped it.
        lead = AsHtml(F("lead"))
        excerpt_source = Concat(lead, Value(" ", TextField()), plain_body, output_field=TextField())
        # When the body holds none of the reader's words (they are in the title, a tag
        # or the section), the excerpt is the lead, the story's own summary, as a
        # search engine shows a page's description: the body's first words said less,
        # and finding that out parsed them (~120 µs an excerpt; for a word in 1 of 100
        # articles, found by its tag, 2.5 of 7 ms of PostgreSQL's time at 300k). The
        # search vector says it with no parsing: its body words weigh BODY_WEIGHT.
        body_words = SearchVectorExact(
            F("search_vector"), ParsedOnce(in_body, search_type="raw", config=config)
        )
        lead_alone = ~Q(body_words) & ~Q(lead="")
        if search_language(language).python_stemmer:
            # PostgreSQL cannot stem these words to find them in the text: Python marks
            # the words whose stems the query has (the index's own function). The text
            # comes from a function the planner deems costly (migrations 0026 and 0034),
            # so it is made for the page's rows after the sort, as ts_headline is.
            source = Case(
                When(lead_alone, then=lead),
                default=Func(
                    F("lead"),
                    F("body"),
                    Value(search_language(language).excerpt_chars),
                    function="articles_excerpt_source",
                    output_field=TextField(),
                ),
                output_field=TextField(),
            )
            excerpt = {"excerpt_source": source}
        else:
            options = {
                "config": config,
                "start_sel": START,
                "stop_sel": STOP,
                "max_words": 40,
                "min_words": 20,
            }
            # ts_headline parses and stems all the text it is given: ~110 µs for a
            # lead and 1,200 characters of body, ~10 µs for a lead alone (at 100k,
            # twenty excerpts were 5.4 of a search's 8 ms in PostgreSQL). A story's
            # lead sums it up, and ranked first are the matches in title and lead, so
            # the excerpt is the lead when a reader's word is in it (from its start, up
            # to 40 words, as one fragment: cut into fragments, its last word was lost).
            lead_matches = SearchVectorExact(SearchVector("lead", config=config), query)
            excerpt = {
                "headline": Case(
                    When(Q(lead_matches) | lead_alone, then=SearchHeadline(lead, query, **options)),
                    default=SearchHeadline(excerpt_source, query, max_fragments=2, **options),
                    output_field=TextField(),
                )
            }
        # The page's rows (`page`, _NEWEST_MATCHES), in its order, with the count of
        # candidates it made before its LIMIT: at most CANDIDATE_LIMIT rows, never
        # the archive. Excerpts are made for these rows only.
        page = Article.objects.filter(pk__in=RawSQL("SELECT id FROM page", ())).annotate(
            found=RawSQL("(SELECT found FROM page LIMIT 1)", (), output_field=IntegerField()),
            page_rank=Func(
                F("id"),
                template="(SELECT rank FROM page WHERE page.id = %(expressions)s)",
                output_field=FloatField(),
            ),
            **excerpt,
        )
        order = ("-publish_at", "-id") if newest_first else ("-page_rank", "-publish_at", "-id")
        page = page.order_by(*order).values_list(*CARD_COLUMNS, *excerpt)
        return Preceded(*newest_matches, page)

    return PreparedQuery(build, constants="inline", **kinds)


def _given(value, field) -> Func:
    """Return a value of the call as a subquery, `(SELECT $n)`, which plans never see.

    PostgreSQL plans a prepared statement for its values five times, then keeps a
    generic plan only if it is estimated to cost less than those (web/prepared.py).
    The reader's query is a subquery already (ParsedOnce); with the clock and the
    filters as subqueries as well, a plan for the values knows no more than the
    generic one, which is then kept: planning was 0.6 of the 2.1 ms of PostgreSQL's
    CPU for "officials" at 100k.
    """
    cast = {DateTimeField: "timestamptz", IntegerField: "integer", BigIntegerField: "bigint"}
    cast = cast[type(field)]
    return Func(Value(value), template=f"(SELECT %(expressions)s::{cast})", output_field=field)


def _newest_matches(
    visible,
    query: SearchQuery,
    expanded: SearchQuery,
    language: str,
    section_id=None,
    *,
    ranking: SearchRank | None,
    window: tuple[int, int],
    dated: bool,
) -> tuple[str, tuple]:
    """Return a WITH clause (SQL and values) whose `page` is one page of the newest
    CANDIDATE_LIMIT matches among `visible`: `id`, `publish_at`, `rank` and `found`
    (how many candidates there are).

    `expanded` is `query` as the GIN stages ask it (PrefixExpanded): the same matches.
    `ranking` orders the candidates, most relevant first, or None for newest first;
    `window` is the page's (offset, number of rows); `dated`, whether dates narrow
    the search (the walk's stages are then longer and go on more readily: _walk_stages).

    `section_id`, the section filter's value if any (already among `visible`'s
    filters), is also asked of the GIN indexes, which hold each article's section.
    """
    # Matching and ranking are decided below the LIMIT so that, when the planner
    # sorts the window (a filter leaves fewer rows than RECENT_WINDOW, so it reads
    # them all), the sort carries a number instead of each search vector: the
    # vector-wide sort spilled to disk and took 40 of 50 ms for a section of 4,000
    # articles. Newest first, a match's rank is 0: nothing is ranked.
    rank = Case(
        When(Q(search_vector=query), then=ranking if ranking is not None else Value(0.0)),
        output_field=FloatField(),
    )
    newest = visible.order_by("-publish_at", "-id")
    stages = _walk_stages(dated)
    first, middle_end = stages.first, stages.middle_end
    # The walk reads the search entries, not the articles (_from_search_entries).
    recent_sql, recent_params = _from_search_entries(
        newest.annotate(rank=rank).values("id", "publish_at", "rank")[:first]
    )
    # Each stage's last row, from the index alone; the next stage starts after it.
    boundary_sql, boundary_params = _from_search_entries(
        newest.values("publish_at", "id")[first - 1 : first]
    )
    middle_sql, middle_params = _from_search_entries(
        _after(newest, "boundary")
        .annotate(rank=rank)
        .values("id", "publish_at", "rank")[: middle_end - first]
    )
    middle_end_sql, middle_end_params = _from_search_entries(
        newest.values("publish_at", "id")[middle_end - 1 : middle_end]
    )
    # From the first stage's last row or the middle's (`resume`), as many rows as follow
    # the first: from the middle's, the walk may read past RECENT_WINDOW.
    further_sql, further_params = _from_search_entries(
        _after(newest, "resume")
        .annotate(rank=rank)
        .values("id", "publish_at", "rank")[: max(RECENT_WINDOW - first, 1)]
    )
    # Every article newer than the edition's newest unmarked one is in the index of
    # recent articles (articles/search_recent.py), so its matches newer than that are
    # all there are (every match, when no article of the edition is unmarked), and the
    # index of older articles can add only older ones: none when the filters leave no
    # article that old ("in the past week": at a million articles, the 80 matches of
    # "officials capital" are all there, and the whole index read 12,600 rows). The
    # two indexes split the edition by the mark, so whatever the marks, every match
    # is in one of them, and the newest of each hold the newest of all.
    newest_unmarked_sql, newest_unmarked_params = (
        Article.objects.filter(language=language, search_recent=False, publish_at__isnull=False)
        .order_by("-publish_at")
        .values("publish_at")[:1]
    ).query.sql_with_params()
    unmarked = RawSQL("(SELECT publish_at FROM unmarked)", (), output_field=DateTimeField())
    # The edition's own indexes (articles/models/indexes.py: edition_words), the
    # edition written into the SQL (PreparedQuery's inline constants) for the generic
    # plan to know it: across editions, a word they share read every edition's rows.
    found = Article.objects.filter(language=language, search_vector=expanded)
    if section_id is not None:
        # The GIN indexes hold the section beside the words (migration 0037): the
        # index reads only the section's matches, where the fence below otherwise
        # made it read every match's row for its section (at a million articles, 029
        # in the busiest section read 12,307 rows to keep 2,060).
        found = found.filter(section_id=section_id)
    newer_sql, newer_params = _read_from(visible, found.filter(search_recent=True))
    unmarked_visible_sql, unmarked_visible_params = (
        visible.filter(publish_at__lte=unmarked).values("id")[:1]
    ).query.sql_with_params()
    matching_sql, matching_params = _read_from(visible, found.filter(search_recent=False))
    # When filters leave fewer articles than the walk reads, it read them all and the
    # GIN index can add nothing: at 100k, "coast" in the past week spent 9.4 of
    # 11 ms there, merging its 12,540 postings to find the same 84.
    window_end_sql, window_end_params = _from_search_entries(
        newest.values("id")[RECENT_WINDOW - 1 : RECENT_WINDOW]
    )
    if ranking is None:
        page_rank, page_rank_params, order = "rank", (), "publish_at DESC, id DESC"
    else:
        # A candidate of the GIN stages is ranked here, its row read again where that stage
        # read it: by its address in the table (`tid`, its ctid), not through the primary
        # key's index, which cost three reads more a row (200 ranks: 1.4-1.8 -> 0.9-1.0 ms
        # at 300,000 articles). The statement's one snapshot sees that row version still.
        table = connection.ops.quote_name(Article._meta.db_table)
        row_read = Exact(RawSQL(f"{table}.ctid", ()), RawSQL("candidates.tid", ()))  # noqa: S611 - ours
        page_rank, page_rank_params = (
            Article.objects.filter(row_read)
            .order_by()
            .annotate(rank=ranking)
            .values("rank")
            .query.sql_with_params()
        )
        page_rank = f"coalesce(rank, ({page_rank}))"
        order = "rank DESC, publish_at DESC, id DESC"
    offset, page_rows = window
    # The numbers are written into the text (ints of ours): psycopg keeps the parsed
    # form of a statement of at most 50 parameters, and with them as parameters
    # every search parsed its SQL again.
    sql = _NEWEST_MATCHES.format(
        recent=recent_sql,
        boundary=boundary_sql,
        middle=middle_sql,
        middle_end=middle_end_sql,
        further=further_sql,
        window_end=window_end_sql,
        newest_unmarked=newest_unmarked_sql,
        newer=newer_sql,
        matching=matching_sql,
        unmarked_visible=unmarked_visible_sql,
        limit=int(CANDIDATE_LIMIT),
        continue_at=int(stages.continue_at),
        fill_at=int(stages.fill_at),
        fill_after_middle=int(stages.fill_after_middle),
        rank=page_rank,
        order=order,
        page_rows=int(page_rows),
        offset=int(offset),
    )
    params = (
        *recent_params,
        *boundary_params,
        *middle_params,
        *middle_end_params,
        *further_params,
        *window_end_params,
        *newest_unmarked_params,
        *newer_params,
        *matching_params,
        *unmarked_visible_params,
        *page_rank_params,
    )
    # Built from the ORM's own SQL and fixed text; everything the reader typed is a parameter.
    return sql, params


@dataclass(frozen=True, slots=True)
class WalkStages:
    """Where the walk's first and middle stages end (rows of the newest), and how many
    matches make it go on (see _walk_stages)."""

    first: int
    middle_end: int
    continue_at: int  # after the first stage, to walk on at all
    fill_at: int  # after the first stage, to walk on to the end (no middle stage)
    fill_after_middle: int  # after the middle stage, to walk on to the end


def _walk_stages(dated: bool) -> WalkStages:
    """Return the walk's stages: `recent` (the newest FIRST_WINDOW), `middle` (the next
    MIDDLE_WINDOWS times as many) and `further` (the rest).

    After the first stage the walk goes on at one match in every CONTINUE_EVERY, since
    words come in bursts. The rest of the window pays off only if it fills the
    candidates, so a word that seems rarer than that (one match in every
    RECENT_WINDOW / CANDIDATE_LIMIT articles) is walked on through the middle stage
    first, and on to the end only if it shows that rate there. A Persian two-word
    search whose newest 400 held 10 matches walked all 4,000 to find 60, and then
    asked the GIN indexes anyway (2.2 of its 7.3 ms at 300,000 articles). With dates
    the walk goes on at the first rate, with no middle stage: the GIN indexes know no
    dates, so the walk is the better bet.
    """
    first = DATED_FIRST_WINDOW if dated else FIRST_WINDOW
    first = max(1, min(first, RECENT_WINDOW // (2 + MIDDLE_WINDOWS)))
    middle_end = first * (1 + MIDDLE_WINDOWS)
    continue_at = max(1, first // CONTINUE_EVERY)

    def filling(rows: int) -> int:
        return max(1, -(-CANDIDATE_LIMIT * rows // RECENT_WINDOW))

    return WalkStages(
        first=first,
        middle_end=middle_end,
        continue_at=continue_at,
        fill_at=continue_at if dated else max(continue_at, filling(first)),
        fill_after_middle=filling(middle_end),
    )


# The CTEs holding a walk stage's last row (publish_at, id), where the next one starts.
_LAST_ROWS = {
    "boundary": ("(SELECT publish_at FROM boundary)", "(SELECT id FROM boundary)"),
    "resume": ("(SELECT publish_at FROM resume)", "(SELECT id FROM resume)"),
}


def _after(newest, last_row: str):
    """Return `newest` from the row after the one the CTE `last_row` holds (_LAST_ROWS)."""
    publish_at, pk = (RawSQL(sql, ()) for sql in _LAST_ROWS[last_row])  # noqa: S611 - ours
    return newest.filter(publish_at__lte=publish_at).filter(
        Q(publish_at__lt=publish_at) | Q(id__lt=pk)
    )


def _from_search_entries(walk) -> tuple[str, tuple]:
    """Return the SQL and values of `walk`, a queryset of articles filtered on their
    own row, reading the search entries in their place (SearchEntry).

    The entries hold the columns the walk reads under the articles' own names, so
    the filters stay the articles' queryset's (`published()`, stated once). A filter
    that needed another table would find no such column there, or a join here: it
    is refused at once rather than read from the wrong rows.
    """
    sql, params = walk.query.sql_with_params()
    quote = connection.ops.quote_name
    table = f"FROM {quote(Article._meta.db_table)}"
    if sql.count(table) != 1 or " JOIN " in sql:
        raise ValueError("The walk's filters must be on the article's own row")
    entries = f"FROM {quote(SearchEntry._meta.db_table)} AS {quote(Article._meta.db_table)}"
    return sql.replace(table, entries, 1), params


def _read_from(visible, found) -> tuple[str, tuple]:
    """Return the SQL of `visible`'s ids, publish times and row addresses (`tid`) among
    the rows `found` gives.

    The matches come from the GIN index alone, and the filters are checked on the
    rows it finds: in a plan for any word (a prepared statement's generic plan) the
    planner cannot tell a rare word and ANDed the index of publish dates, reading
    every entry of the edition (5.7 of 7 ms at 100k for a word in one article).
    The fence (OFFSET 0) keeps the filters out of the index scan.
    """
    quoted = connection.ops.quote_name(Article._meta.db_table)
    table = f"FROM {quoted}"
    sql, params = visible.order_by().values("id", "publish_at").query.sql_with_params()
    found_sql, found_params = found.order_by().query.sql_with_params()
    # The rows found take the place of the first table read, with their values before
    # the filters': that must be the article's own table, after nothing but columns.
    columns, table_read, filters = sql.partition(table)
    if not table_read or "(" in columns or "%s" in columns:
        raise ValueError("The filters must be on the article's own row")
    fenced = (
        f"FROM (SELECT ctid AS tid, * {found_sql[found_sql.index(table) :]} OFFSET 0) AS {quoted}"
    )
    # Each row's address too (`tid`, its ctid), where the page ranks it (_newest_matches).
    return f"{columns.rstrip()}, {quoted}.tid {fenced}{filters}", (*found_params, *params)


def _only_stop_words(expression: str, language: str) -> bool:
    """Return whether the search config drops every word (asked only when nothing matched)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT numnode(to_tsquery(articles_search_config(%s), %s)) = 0", [language, expression]
        )
        return cursor.fetchone()[0]


def stemmed_excerpt(text: str, expression: str, language: str) -> SafeString:
    """Return about EXCERPT_WORDS words of `text` from just before its first match,
    the words whose stems `expression` names marked (as ts_headline would)."""
    # Words are compared up to the first match, then within the excerpt only, and
    # read from the text only as far as the excerpt goes: the lead usually has a
    # match, and comparing (then splitting) every word of 3,000 characters of twenty
    # bodies cost about 4 (then 1) ms a page.
    words = EXCERPT_WORD.finditer(text)
    before = deque(maxlen=EXCERPT_BEFORE + 1)  # the first match and the words before it
    for index, word in enumerate(words):
        before.append((index, word))
        if _marked(word.group(), expression, language):
            first, start = index, before[0][0]
            shown = [word for _index, word in before]
            break
    else:  # no match: the excerpt is the text's start
        first = start = 0
        words = EXCERPT_WORD.finditer(text)
        shown = []
    shown += islice(words, EXCERPT_WORDS - len(shown))
    if not shown:
        return mark_safe("")
    more = next(words, None) is not None
    # The text from the first word shown to the last, as written, with the matches from
    # the first on between markers: cut only around those, not at every word.
    parts, written_from = [], shown[0].start()
    for word in islice(shown, first - start, None):
        if _marked(word.group(), expression, language):
            parts += (text[written_from : word.start()], START, word.group(), STOP)
            written_from = word.end()
    parts.append(text[written_from : shown[-1].end()])
    excerpt = "".join(parts).strip()
    if start > 0:
        excerpt = "… " + excerpt
    if more:
        excerpt += " …"
    return highlighted(excerpt)


# Whether a word of an excerpt is one the reader searched for, kept per word and query:
# a page's twenty excerpts share many words, and a query is asked again (a search
# nobody asked lately is a new page of words already searched). A Persian page's
# excerpts took 37-48 µs each, word by word; 17 with this and the cut above.
@lru_cache(maxsize=16384)
def _marked(word: str, expression: str, language: str) -> bool:
    wanted, prefixes = _query_stems(expression, language)
    return any(
        stem in wanted or stem.startswith(prefixes)  # startswith(()) is False
        for stem in _compared(word, language)
    )


@lru_cache(maxsize=256)
def _query_stems(expression: str, language: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Return the stems `expression` names (not the edition's stop words), and its prefixes."""
    wanted = frozenset(
        stem for stem in STEM.findall(expression) if not is_stop_word(stem, language)
    )
    return wanted, tuple(stem[:-2] for stem in PREFIX_STEM.findall(expression))


@lru_cache(maxsize=65536)
def _compared(word: str, language: str) -> tuple[str, ...]:
    return tuple(search_words(word, language))


def highlighted(headline: str) -> SafeString:
    """Escape a headline's text (its entities decoded), then turn its markers into <mark>."""
    # Escaped first; only our own markers become tags. html.escape, as Django's escape()
    # does, without its wrapper for lazy text (a row's text is never lazy): that wrapper
    # was a fifth of search_articles' CPU, twenty excerpts a page.
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308
