from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from topics.models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "in_focus", "position", "article_count"]
    list_editable = ["in_focus", "position"]
    list_filter = ["in_focus"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "body"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("Front page"), {"fields": ["in_focus", "position"]}),
    ]

    def get_queryset(self, request):
        # Aggregates drop Meta.ordering; keep it for the list and the autocomplete.
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("articles"))
            .order_by("position", "name")
        )

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, topic):
        return topic.article_count
