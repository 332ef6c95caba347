"""The article admin as the site composes it: the article core plus feature columns.

articles/admin/articles.py knows only articles; the comment and view counts come from
the comments and popularity apps' own QuerySet methods, added here on top.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField

from alwaght.models import Page
from articles.admin import ArticleAdmin
from articles.models import Article
from comments.models import Comment
from media.admin import EditionAdminMixin
from popularity.models import ViewCount
from publishing.desk_dates import DeskCalendarAdminMixin

admin.site.unregister(Article)


@admin.register(Article)
class SiteArticleAdmin(DeskCalendarAdminMixin, ArticleAdmin):
    """The desk's article list (views, comments) and form, dates in the desk's calendar."""

    list_display = [*ArticleAdmin.list_display, "views", "comment_counts"]

    def get_queryset(self, request):
        month = timezone.now() - timedelta(days=30)
        return (
            super()
            .get_queryset(request)
            .annotate(
                views_30_days=ViewCount.objects.views_by_article(since=month),
                comments_pending=Comment.objects.count_by_article(Comment.Status.PENDING),
                comments_approved=Comment.objects.count_by_article(Comment.Status.APPROVED),
            )
        )

    @admin.display(description=_("views, 30 days"), ordering="views_30_days")
    def views(self, article):
        return article.views_30_days or 0

    @admin.display(description=_("comments"), ordering="comments_pending")
    def comment_counts(self, article):
        return format_html(
            '{}<span class="desk-when desk-quiet">{}</span>',
            article.comments_approved,
            gettext("%(count)s pending") % {"count": article.comments_pending},
        )


PAGE_EDITOR = {
    "extensions": dict.fromkeys(
        ("Bold", "Italic", "BulletList", "OrderedList", "ListItem", "HardBreak"), True
    )
    | {
        "Heading": {"levels": [2, 3]},
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    }
}


class PageAdminForm(forms.ModelForm):
    body = ProseEditorFormField(config=PAGE_EDITOR, label=_("Body"))

    class Meta:
        model = Page
        fields = ["language", "title", "slug", "body"]


@admin.register(Page)
class PageAdmin(EditionAdminMixin, admin.ModelAdmin):
    """Standing pages: editors keep About, Contact, Privacy and Terms current."""

    form = PageAdminForm
    list_display = ["title", "slug", "language", "updated_at"]
    list_filter = ["language"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
