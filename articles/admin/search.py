"""The article list's search: the words of title, lead, body and tags, and author names.

Desk staff look for a story by a phrase they remember from its body, or by its
writer. Django's own search (`search_fields`: each word somewhere in the title,
lead, byline, tag names, author or desk account names) finds what is written
exactly; the reader search's vector (articles/search.py) adds the body and every
form of a word, per edition: each article is matched in its own edition's search
configuration (Persian stems, Arabic letters folded), the query built by the same
function as readers' so the desk finds what readers find.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db.models import Func, Q, Value

from articles.search import to_tsquery_text

MAX_TERM = 200  # characters of the search box used (Django's admin sets no limit)


def full_text_match(term: str) -> Q:
    """Return the condition: an article's search vector holds all words of `term`."""
    match = Q(pk__in=[])
    for code, _name in settings.LANGUAGES:
        expression = to_tsquery_text(term, code)
        if expression:  # nothing but the edition's stop words: no condition
            config = Func(Value(code), function="articles_search_config")
            query = SearchQuery(expression, search_type="raw", config=config)
            match |= Q(language=code, search_vector=query)
    return match


class FullTextSearchMixin:
    """For ArticleAdmin: Django's search, or the words anywhere in the story (body too)."""

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()[:MAX_TERM]
        if not term:
            return found, may_have_duplicates
        return found | queryset.filter(full_text_match(term)), may_have_duplicates
