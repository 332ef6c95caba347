from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin import ArticleCountMixin
from articles.models import Topic
from media.admin import EditionAdminMixin
from publishing import visibility


@admin.register(Topic)
class TopicAdmin(
    EditionAdminMixin, ArticleCountMixin, visibility.VisibilityCheckedAdminMixin, admin.ModelAdmin
):
    list_display = ["name", "language", "description", "in_focus", "position", "article_count"]
    list_editable = ["in_focus", "position"]
    list_filter = ["language", "in_focus"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]
    fieldsets = [
        (None, {"fields": ["language", "name", "slug", "description", "body", "counterpart_key"]}),
        (_("Image"), {"fields": ["photo"]}),
        (_("Front page"), {"fields": ["in_focus", "position"]}),
    ]
