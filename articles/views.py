import re
from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag

from articles import search as searching
from articles.forms import SearchForm
from articles.listing import ArticleListView, FiledUnderView
from articles.models import Article, Author, Section, Takedown
from articles.pages import (
    article_page_response,
    page_article,
    page_next_change,
    preview_response,
)
from articles.schedule import next_change_remembered
from articles.search import last_page, search_articles
from articles.templatetags.edition_tags import kept_query
from publishing.dates import edition_date
from web.fragments import cached_fragment
from web.numbers import parse_number
from web.scopes import CHROME, edition_scope


def article_detail(request, pk, slug=None):
    """Render the article page, or 301 to the canonical address.

    The id is the permanent key; a missing, old or mistyped slug (or another
    edition's prefix) redirects, so links never break when editors retitle.
    """
    next_change = page_next_change()  # looked up once, if a fragment is rendered
    article = page_article(pk, request.LANGUAGE_CODE, next_change)  # the rest: fragments
    if article is None:
        # By the address's id, kept on the record: the article may since be deleted.
        if Takedown.objects.filter(article_number=pk).exists():
            # Taken down on purpose: tell readers and search engines it is gone.
            return render(request, "410.html", status=410)
        raise Http404("No such article")
    if slug != article.slug or request.LANGUAGE_CODE != article.language:
        return HttpResponsePermanentRedirect(article.get_absolute_url())
    return article_page_response(request, article, next_change=next_change)


def article_preview(request, pk):
    """Render an article of any status as readers will see it, for staff only.

    Anyone else gets 404, as for an unpublished article: a preview address
    reveals nothing about what exists.
    """
    article = get_object_or_404(Article.objects.with_detail(), pk=pk)
    # The desk's rules (the site's admin: publishing/desk_rules.py): staff of its desk only.
    if not admin.site.staff_may(request, "articles.article", "preview", article):
        raise Http404("No such article")
    return preview_response(
        article_page_response(request, article, extra_context={"preview": True})
    )


class ArchiveView(ArticleListView):
    """Render articles/archive.html: every article of the edition."""

    template_name = "articles/archive.html"


class SectionView(FiledUnderView):
    """Render articles/section.html with `section` and its articles."""

    template_name = "articles/section.html"
    filed_under_model = Section
    article_field = context_name = "section"


class TagView(FiledUnderView):
    """Render articles/tag.html with `tag` and the published articles carrying it."""

    template_name = "articles/tag.html"
    filed_under_model = Tag
    article_field = "tags"
    context_name = "tag"
    per_edition = False
    listed = True


def search(request):
    """Render articles/search.html: matches, narrowed and ordered as the reader chose.

    Context: `content`, the page's content as articles/search_results.html
    renders it with `form` (bound to the GET parameters, so every choice is
    shown back) and `results` (a SearchPage, or None while the form has errors
    or is empty); `search_words` (the words as typed, for the masthead's box) and,
    when the form is valid, `title_words`: the page around the content is
    rendered once with marks in their place and filled (_filled_page). Pages run
    "Previous/Next" with a count of the ranked candidates, never an exact total;
    a page number that is not a positive integer within the ranked window
    answers 404.

    A search costs 4-6 ms of CPU (ranking, excerpts, twenty cards), and readers
    repeat searches (a story in the news, a link to a search): the content is
    kept per address, like a fragment (web/fragments.py), once asked for a second
    time within SEARCH_CACHE_SECONDS, under the edition's token, which every change
    to what it may list bumps, and until the next scheduled change or
    SEARCH_CACHE_SECONDS, whichever is first. Searches "in the past day/week/..."
    are not kept: their window moves with the clock.
    """
    form = SearchForm(request.GET or None)
    valid = form.is_valid()
    page = _page_number(request, last=last_page(settings.ARTICLES_PER_PAGE)) if valid else 1
    language = request.LANGUAGE_CODE

    def render_content() -> dict:
        results = None
        if valid:
            results = search_articles(
                form.cleaned_data["q"],
                language=language,
                page=page,
                per_page=settings.ARTICLES_PER_PAGE,
                **form.filters(),
            )
            if page > 1 and not results.results:
                return {"missing": True}
        context = {"form": form, "results": results}
        return {"html": render_to_string("articles/search_results.html", context, request)}

    def until():
        now = timezone.now()
        brief = now + timedelta(seconds=settings.SEARCH_CACHE_SECONDS)
        change = next_change_remembered(now)
        return brief if change is None else min(change, brief)

    shown = cached_fragment(
        "search",
        # Every parameter, as sent: the page echoes them (the form, its links); and
        # the page size and number of candidates, which a restart may change (the
        # count shown, the pages linked).
        [sorted(request.GET.lists()), settings.ARTICLES_PER_PAGE, searching.CANDIDATE_LIMIT],
        [edition_scope(language)],
        render_content,
        until=until,
        off=not valid or bool(form.cleaned_data.get("when")),
        # Stored at the second ask within the time it would be kept: readers repeat
        # searches (a story in the news), but a search asked once, as most are, would
        # only take room in the shared cache from the fragments every page is served
        # from (a flood of made-up words would evict them all), and storing it cost
        # 0.2 ms of its CPU: its HTML and the next scheduled change's read
        # (docs/benchmarks.md, issue 24's thirteenth pass).
        repeated_within=settings.SEARCH_CACHE_SECONDS,
    )
    if shown.get("missing"):
        raise Http404("No such page")
    return HttpResponse(
        _filled_page(
            request,
            words=form["q"].value(),
            title=form.cleaned_data["q"] if valid else None,
            content=shown["html"],
        )
    )


# Where the search page's template shows the reader's words and the content: the
# page around them is rendered once with these in their place (see _filled_page).
# Characters of Unicode's private use area, which the template's escaping leaves as
# they are; a reader may type them too, but the page is filled in one pass over the
# template's own text, never over the reader's.
PAGE_MARKS = {
    "title": "\ue000title\ue000",
    "words": "\ue000words\ue000",
    "query": "\ue000query\ue000",
    "content": "\ue000content\ue000",
}
_PAGE_MARK = re.compile("|".join(PAGE_MARKS.values()))


def _filled_page(request, *, words: str | None, title: str | None, content: str) -> str:
    """Return articles/search.html with the reader's words (escaped) and the content.

    The page around the results (base.html: head, masthead, menu, footer) is the
    same for every search of an edition: rendered for each one, it was 0.6 of the
    3.5 ms of app CPU of a search nobody asked lately, in process on the 300k bench
    (issue 24). It is kept like a fragment, under the
    tokens of the site's chrome (whose changes its parts show), per edition,
    address of the site, year (the footer's) and whether words head the title.
    """

    def render_page():
        context = {
            "content": PAGE_MARKS["content"],
            "search_words": PAGE_MARKS["words"],
            # The edition switcher's links keep the reader's words (kept_query): its
            # masthead has a mark for them, and a key of its own (another page at
            # this address, a 404, has one without).
            "switcher_query": PAGE_MARKS["query"],
            "page_key": "search",
        }
        if title is not None:
            context["title_words"] = PAGE_MARKS["title"]
        return render_to_string("articles/search.html", context, request)

    page = cached_fragment(
        "search-page",
        [
            request.scheme,
            request.get_host(),
            edition_date(timezone.now(), "year"),
            title is not None,
        ],
        [CHROME],
        render_page,
    )
    values = {
        PAGE_MARKS["title"]: escape(title or ""),
        PAGE_MARKS["words"]: escape(words) if isinstance(words, str) else "",
        PAGE_MARKS["query"]: escape(kept_query(request)),
        PAGE_MARKS["content"]: content,
    }
    return _PAGE_MARK.sub(lambda mark: values[mark.group()], page)


def _page_number(request, last: int) -> int:
    number = parse_number(request.GET.get("page") or "1", most=last)
    if number is None:
        raise Http404("No such page")
    return number


class AuthorView(FiledUnderView):
    """Render articles/author.html with `author` (photo, bio) and their articles."""

    template_name = "articles/author.html"
    filed_under_model = Author
    article_field = context_name = "author"
    per_edition = False  # authors write for every edition; the list keeps this one's

    def get_filed_under_queryset(self):
        return Author.objects.select_related("photo")
