"""Sections and authors: what articles are filed under (topics: topics/admin.py)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from articles.models import (
    Author,
    Section,
)
from media.admin import EditionAdminMixin


class ArticleCountMixin:
    """An "articles" column for models that articles are filed under."""

    def get_queryset(self, request):
        # Aggregates drop Meta.ordering; keep it for the list and the autocomplete.
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("articles"))
            .order_by("position", "name")
        )

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Section)
class SectionAdmin(EditionAdminMixin, ArticleCountMixin, admin.ModelAdmin):
    list_display = ["name", "language", "slug", "position", "article_count"]
    list_filter = ["language"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    """Writers: the byline links to their page (photo, bio, articles, feed)."""

    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]
    fields = ["name", "slug", "bio", "photo"]
