from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from articles.forms import SearchForm
from articles.listing import ArticleListView, FiledUnderView
from articles.models import Article, Author, Section, Takedown
from articles.pages import article_page_response, page_article, preview_response
from articles.search import CANDIDATE_LIMIT, search_articles


def article_detail(request, pk, slug=None):
    """Render the article page, or 301 to the canonical address.

    The id is the permanent key; a missing, old or mistyped slug (or another
    edition's prefix) redirects, so links never break when editors retitle.
    """
    article = page_article(pk, request.LANGUAGE_CODE)  # the rest of the page: fragments
    if article is None:
        if Takedown.objects.filter(article_id=pk).exists():
            # Taken down on purpose: tell readers and search engines it is gone.
            return render(request, "410.html", status=410)
        raise Http404("No such article")
    if slug != article.slug or request.LANGUAGE_CODE != article.language:
        return HttpResponsePermanentRedirect(article.get_absolute_url())
    return article_page_response(request, article)


def article_preview(request, pk):
    """Render an article of any status as readers will see it, for staff only.

    Anyone else gets 404, as for an unpublished article: a preview address
    reveals nothing about what exists.
    """
    article = get_object_or_404(Article.objects.with_detail(), pk=pk)
    # The desk's rules (the site's admin: alwaght/desk_rules.py): staff of its desk only.
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

    Context: `form` (bound to the GET parameters, so every choice is shown back),
    `results` (a SearchPage, or None while the form has errors or is empty).
    Pages run "Previous/Next" with a count of the ranked candidates, never an
    exact total; a page number that is not a positive integer within the ranked
    window answers 404.
    """
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        per_page = settings.ARTICLES_PER_PAGE
        page = _page_number(request, last=CANDIDATE_LIMIT // per_page)
        results = search_articles(
            form.cleaned_data["q"],
            language=request.LANGUAGE_CODE,
            page=page,
            per_page=per_page,
            **form.filters(),
        )
        if page > 1 and not results.results:
            raise Http404("No such page")
    return render(request, "articles/search.html", {"form": form, "results": results})


def _page_number(request, last: int) -> int:
    raw = request.GET.get("page") or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= last:
        raise Http404("No such page")
    return int(raw)


class AuthorView(FiledUnderView):
    """Render articles/author.html with `author` (photo, bio) and their articles."""

    template_name = "articles/author.html"
    filed_under_model = Author
    article_field = context_name = "author"
    per_edition = False  # authors write for every edition; the list keeps this one's

    def get_filed_under_queryset(self):
        return Author.objects.select_related("photo")
