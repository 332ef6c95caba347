"""Public base views for paginated article lists: any app's list pages subclass them.

Sections, tags and authors (articles/views.py) and In Focus topics (topics/views.py)
are each a few lines on `FiledUnderView`.

The list itself (cards and pagination) is the same for every reader of a page:
it is rendered once (web/fragments.py) under the page's address and page
parameters and the token of the edition, which every change to a visible article
of the edition bumps, and expires at the next scheduled change. A later view
then runs no list query; a bad page is never stored, so it is refused as before.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.views.generic import ListView

from articles.models import Article
from articles.schedule import next_change_remembered
from web.fragments import cached_fragment
from web.pagination import PageMoved, paginate
from web.scopes import CHROME

PAGE_PARAMS = ("page", "before", "after")  # all that selects a page of a list


@dataclass
class ShownPage:
    """A page of a list as the page's template sees it: its number and its HTML."""

    number: int | None  # None on pages addressed by article (?before=/?after=)
    html: SafeString  # includes/article_list.html: the cards and the pagination


class ArticleListView(ListView):
    """A paginated list of one edition's published articles, newest first.

    Pages are numbered near the top and addressed by article further down (see
    web/pagination.py); bad pages (0, 9999, "abc", an unknown article) answer
    404, so crawlers never index an endless run of empty or duplicate pages.
    """

    context_object_name = "articles"
    paginate_by = 1  # tells ListView to call paginate_queryset
    # The publish time the queryset is ordered by (see web/pagination.py).
    order_field = "publish_at"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except PageMoved as moved:
            query = f"?{moved.query}" if moved.query else ""
            return HttpResponsePermanentRedirect(request.path + query)

    def paginate_queryset(self, queryset, page_size):
        """Return the page asked for, as `ShownPage` (its list rendered once per change)."""
        request = self.request

        def render():
            page = paginate(queryset, request.GET, settings.ARTICLES_PER_PAGE, self.order_field)
            context = {
                "articles": page.object_list,
                "page_obj": page,
                "is_paginated": page.has_other_pages,
            }
            html = render_to_string("includes/article_list.html", context, request)
            return {"number": page.number, "html": html}

        params = [(name, request.GET.getlist(name)) for name in PAGE_PARAMS if name in request.GET]
        shown = cached_fragment(
            "article-list",
            [request.path, params],
            self.fragment_scopes(),
            render,
            until=cache(lambda: next_change_remembered(timezone.now())),
        )
        page = ShownPage(shown["number"], mark_safe(shown["html"]))  # noqa: S308 - ours
        return None, page, [], bool(params)

    def fragment_scopes(self) -> list[str]:
        """Return the scopes whose changes change the list (web/scopes.py)."""
        return [f"ed:{self.request.LANGUAGE_CODE}"]

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
    # What the masthead showing its counterparts depends on (a section change
    # bumps CHROME; topics add their own scope).
    counterpart_scopes = [CHROME]

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
        context = super().get_context_data(**{self.context_name: self.filed_under}, **kwargs)
        if hasattr(self.filed_under, "counterpart_key"):
            # The same section or topic in other editions, for the edition switcher:
            # one query, and only when the masthead is rendered (a template reads it).
            filed_under = self.filed_under
            context["counterparts"] = SimpleLazyObject(lambda: key_counterparts(filed_under))
            context["chrome_scopes"] = self.counterpart_scopes
        return context


def key_counterparts(item) -> dict:
    """Return {edition: its counterpart} of a section or topic, by their shared key."""
    if not item.counterpart_key:
        return {}
    others = type(item)._default_manager.filter(counterpart_key=item.counterpart_key)
    return {other.language: other for other in others.exclude(language=item.language)}
