"""Full-text search over articles, on PostgreSQL's own text search.

Readers type words; each becomes a prefix term ("secur" finds "security"), and
"quoted words" must appear together. Matches are ranked title first (weights:
title A, lead and tags B, section C, body D), then by recency. Only the newest
CANDIDATE_LIMIT matches are ranked and there is no exact total: at a million
articles, ranking or counting every match of a common word takes seconds.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import F, Func, Subquery, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article

CANDIDATE_LIMIT = 2000
MAX_TERMS = 8
WORD = re.compile(r"\w+")
PHRASE = re.compile(r'"([^"]*)"')
# Rank weights for D, C, B, A (PostgreSQL's order).
WEIGHTS = [0.1, 0.2, 0.4, 1.0]
# Markers that cannot occur in text, swapped for <mark> after escaping.
START, STOP = "\x02", "\x03"


def to_tsquery_text(text: str) -> str:
    """Return a to_tsquery() expression for the reader's words, or "" if none.

    Only \\w characters reach the expression, so nothing a reader types can
    change its syntax.
    """
    terms = []
    for phrase in PHRASE.findall(text):
        words = WORD.findall(phrase)
        if words:
            terms.append("(" + " <-> ".join(words) + ")")
    for word in WORD.findall(PHRASE.sub(" ", text)):
        terms.append(f"{word}:*")
    return " & ".join(terms[:MAX_TERMS])


@dataclass
class SearchPage:
    results: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def search_articles(text: str, *, language: str, page: int, per_page: int) -> SearchPage:
    """Return one page of ranked matches, each with a highlighted `excerpt` (one query)."""
    expression = to_tsquery_text(text)
    if not expression:
        return SearchPage([], page, False)
    config = Func(Value(language), function="articles_search_config")
    query = SearchQuery(expression, search_type="raw", config=config)
    newest_matches = (
        Article.objects.published()
        .in_language(language)
        .filter(search_vector=query)
        .order_by("-publish_at", "-id")
        .values("pk")[:CANDIDATE_LIMIT]
    )
    plain_body = Func(
        F("body"),
        Value("<[^>]*>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    offset = (page - 1) * per_page
    rows = list(
        Article.objects.filter(pk__in=Subquery(newest_matches))
        .select_related("section")
        .annotate(
            rank=SearchRank(F("search_vector"), query, weights=WEIGHTS),
            headline=SearchHeadline(
                Concat(F("lead"), Value(" ", TextField()), plain_body, output_field=TextField()),
                query,
                config=config,
                start_sel=START,
                stop_sel=STOP,
                max_words=40,
                min_words=20,
                max_fragments=2,
            ),
        )
        .order_by("-rank", "-publish_at", "-id")[offset : offset + per_page + 1]
    )
    for article in rows:
        article.excerpt = highlighted(article.headline)
    return SearchPage(rows[:per_page], page, len(rows) > per_page)


def highlighted(headline: str) -> SafeString:
    """Escape a headline, then turn its markers into <mark> elements."""
    # Escaped first; only our own markers become tags.
    return mark_safe(escape(headline).replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308
