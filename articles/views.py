from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.views.generic import ListView
from taggit.models import Tag

from articles.forms import SearchForm
from articles.models import Article, EditorsChoice, Section
from articles.pagination import DeferredJoinPaginator
from articles.related import related_articles
from articles.search import CANDIDATE_LIMIT, search_articles
from popularity.services import most_viewed_tabs
from topics.models import Topic

EDITORS_CHOICE_LIMIT = 7
FRONT_PAGE_NEWS_LIMIT = 8
LATEST_NEWS_ASIDE_LIMIT = 6


def front_page(request):
    """Render articles/front_page.html: Editor's Choice, then News without repeats."""
    language = request.LANGUAGE_CODE
    editors_choice = list(EditorsChoice.objects.current(language)[:EDITORS_CHOICE_LIMIT])
    chosen_ids = [slot.article_id for slot in editors_choice]
    news = (
        Article.objects.for_listing()
        .in_language(language)
        .exclude(pk__in=chosen_ids)[:FRONT_PAGE_NEWS_LIMIT]
    )
    return render(
        request,
        "articles/front_page.html",
        {
            "editors_choice": [slot.article for slot in editors_choice],
            "news": news,
            "in_focus": Topic.objects.in_focus(),
            "most_viewed": most_viewed_tabs(language),
        },
    )


def article_detail(request, pk, slug=None):
    """Render the article page, or 301 to the canonical address.

    The id is the permanent key; a missing, old or mistyped slug (or another
    edition's prefix) redirects, so links never break when editors retitle.
    """
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    if slug != article.slug or request.LANGUAGE_CODE != article.language:
        return HttpResponsePermanentRedirect(article.get_absolute_url())
    return render_article(request, article)


def article_preview(request, pk):
    """Render an article of any status as readers will see it, for staff only.

    Anyone else gets 404, as for an unpublished article: a preview address
    reveals nothing about what exists.
    """
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("articles.view_article")):
        raise Http404("No such article")
    article = get_object_or_404(Article.objects.with_detail(), pk=pk)
    response = render_article(request, article, preview=True)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def render_article(request, article, status=200, **extra_context):
    """Render articles/article_detail.html for a visible `article`.

    Also used by the comment view to show the page again with the reader's form.
    """
    latest = (
        Article.objects.for_listing()
        .in_language(article.language)
        .exclude(pk=article.pk)[:LATEST_NEWS_ASIDE_LIMIT]
    )
    context = {
        "article": article,
        "latest": latest,
        "related": related_articles(article),
        **extra_context,
    }
    return render(request, "articles/article_detail.html", context, status=status)


class ArticleListView(ListView):
    """A paginated list of one edition's published articles, newest first.

    Bad page numbers (0, 9999, "abc") answer 404, as ListView does, so crawlers
    never index an endless run of empty or duplicate pages.
    """

    context_object_name = "articles"
    paginator_class = DeferredJoinPaginator

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.for_listing().in_language(self.request.LANGUAGE_CODE)


class ArchiveView(ArticleListView):
    """Render articles/archive.html: every article of the edition."""

    template_name = "articles/archive.html"


class FiledUnderView(ArticleListView):
    """The articles filed under one section, tag or topic, found by its slug.

    Subclasses name the model, the Article field that points at it, and the
    context name the template reads it by.
    """

    filed_under_model: type
    article_field: str
    context_name: str

    def get(self, request, *args, **kwargs):
        self.filed_under = get_object_or_404(self.filed_under_model, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().filter(**{self.article_field: self.filed_under})

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.context_name: self.filed_under}, **kwargs)


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


def search(request):
    """Render articles/search.html: ranked, highlighted matches, without a total count.

    Pages run "Previous/Next" only; a page number that is not a positive integer
    within the ranked window answers 404.
    """
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        per_page = settings.ARTICLES_PER_PAGE
        page = _page_number(request, last=CANDIDATE_LIMIT // per_page)
        results = search_articles(
            form.cleaned_data["q"], language=request.LANGUAGE_CODE, page=page, per_page=per_page
        )
        if page > 1 and not results.results:
            raise Http404("No such page")
    return render(request, "articles/search.html", {"form": form, "results": results})


def _page_number(request, last: int) -> int:
    raw = request.GET.get("page") or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= last:
        raise Http404("No such page")
    return int(raw)
