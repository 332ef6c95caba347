"""Public base views for paginated article lists: any app's list pages subclass them.

Sections, tags and authors (articles/views.py) and In Focus topics (topics/views.py)
are each a few lines on `FiledUnderView`.
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.models import Article
from articles.pagination import PageMoved, paginate


class ArticleListView(ListView):
    """A paginated list of one edition's published articles, newest first.

    Pages are numbered near the top and addressed by article further down (see
    articles/pagination.py); bad pages (0, 9999, "abc", an unknown article) answer
    404, so crawlers never index an endless run of empty or duplicate pages.
    """

    context_object_name = "articles"
    paginate_by = 1  # tells ListView to call paginate_queryset
    # The publish time the queryset is ordered by (see articles/pagination.py).
    order_field = "publish_at"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except PageMoved as moved:
            query = f"?{moved.query}" if moved.query else ""
            return HttpResponsePermanentRedirect(request.path + query)

    def paginate_queryset(self, queryset, page_size):
        page = paginate(queryset, self.request.GET, settings.ARTICLES_PER_PAGE, self.order_field)
        return None, page, page.object_list, page.has_other_pages

    def get_queryset(self):
        return Article.objects.for_listing().in_language(self.request.LANGUAGE_CODE)


class FiledUnderView(ArticleListView):
    """The articles filed under one section, tag or topic, found by its slug.

    Subclasses name the model, the Article field that points at it, and the
    context name the template reads it by. Tags and topics are read from their
    list entries (`listed`, see articles.models.ListEntry): one index walk at any
    depth, where the link tables needed a join and a sort of all their articles.
    """

    filed_under_model: type
    article_field: str
    context_name: str
    # Sections and topics belong to one edition; tags are shared by name.
    per_edition = True
    listed = False

    @property
    def order_field(self):
        return "listed_at" if self.listed else "publish_at"

    def get(self, request, *args, **kwargs):
        self.filed_under = self.get_filed_under(kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_filed_under_queryset(self):
        """Return where the slug is looked up (add the joins the page shows)."""
        return self.filed_under_model._default_manager.all()

    def get_filed_under(self, slug):
        """Return the section, tag or topic of this edition with `slug`, or 404."""
        queryset = self.get_filed_under_queryset()
        if self.per_edition:
            queryset = queryset.filter(language=self.request.LANGUAGE_CODE)
        return get_object_or_404(queryset, slug=slug)

    def get_queryset(self):
        if self.listed:
            return Article.objects.for_listing().listed_under(
                self.filed_under, self.request.LANGUAGE_CODE
            )
        return super().get_queryset().filter(**{self.article_field: self.filed_under})

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.context_name: self.filed_under}, **kwargs)
