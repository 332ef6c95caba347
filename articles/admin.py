from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, Max, OuterRef, Q, Subquery, When
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.managers import TaggableManager
from taggit.models import Tag

from articles.models import Article, EditorsChoice, RelatedArticle, Section
from articles.widgets import TagSuggestWidget

TAG_SUGGESTIONS = 10


class VisibilityFilter(admin.SimpleListFilter):
    """Filter by what readers get now, which the status field alone cannot tell."""

    title = _("visibility")
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("review", _("In review")),
            ("scheduled", _("Scheduled")),
            ("live", _("Published")),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Article.Status.PUBLISHED)
        match self.value():
            case "draft" | "review":
                return queryset.filter(status=self.value())
            case "scheduled":
                return published.filter(publish_at__gt=now)
            case "live":
                return queryset.published(now)
            case "expired":
                return published.filter(unpublish_at__lte=now)
        return queryset


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "article_count"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, section):
        return section.article_count


class RelatedArticleInline(admin.TabularInline):
    """Related Content picked by hand, in order; the page tops it up automatically."""

    model = RelatedArticle
    fk_name = "article"
    autocomplete_fields = ["related"]
    fields = ["related", "position"]
    extra = 1
    verbose_name = _("related article")
    verbose_name_plural = _("Related Content picked by hand (topped up automatically to five)")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "section",
        "visibility_badge",
        "publish_at",
        "in_editors_choice",
        "updated_at",
    ]
    list_display_links = ["title"]
    list_filter = [VisibilityFilter, "status", "section", "language"]
    list_select_related = ["section"]
    search_fields = ["title", "lead", "byline"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section", "topics"]
    inlines = [RelatedArticleInline]
    formfield_overrides = {TaggableManager: {"widget": TagSuggestWidget}}
    actions = ["add_to_editors_choice"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["title", "slug", "section", "lead", "body", "byline"]}),
        (_("Subjects"), {"fields": ["topics", "tags"]}),
        (_("Main image"), {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        (
            _("Publishing"),
            {"fields": ["status", "publish_at", "unpublish_at", "language", "comments_open"]},
        ),
    ]

    def get_urls(self):
        suggestions = path(
            "tag-suggestions/",
            self.admin_site.admin_view(self.tag_suggestions),
            name="articles_article_tag_suggestions",
        )
        return [suggestions, *super().get_urls()]

    def tag_suggestions(self, request):
        """Return JSON names of existing tags starting with, then containing, `q`."""
        if not self.has_change_permission(request) and not self.has_add_permission(request):
            raise PermissionDenied
        text = request.GET.get("q", "").strip()[:100]
        if len(text) < 2:
            return JsonResponse({"tags": []})
        names = (
            Tag.objects.filter(name__icontains=text)
            .annotate(starts=Case(When(name__istartswith=text, then=0), default=1))
            .order_by("starts", "name")
            .values_list("name", flat=True)[:TAG_SUGGESTIONS]
        )
        return JsonResponse({"tags": list(names)})

    def get_queryset(self, request):
        slot = EditorsChoice.objects.filter(article=OuterRef("pk")).values("position")[:1]
        return super().get_queryset(request).annotate(choice_position=Subquery(slot))

    @admin.display(description=_("visibility"), ordering="status")
    def visibility_badge(self, article):
        return format_html(
            '<span class="desk-badge desk-badge--{}">{}</span>',
            str(article.visibility).lower().replace(" ", "-"),
            article.visibility,
        )

    @admin.display(description=_("Editor's Choice"), ordering="choice_position")
    def in_editors_choice(self, article):
        if article.choice_position is None:
            return ""
        return format_html('<span class="desk-choice">★ {}</span>', article.choice_position)

    @admin.action(description=_("Add to the end of Editor's Choice"))
    def add_to_editors_choice(self, request, queryset):
        last = EditorsChoice.objects.aggregate(last=Max("position"))["last"] or 0
        new = queryset.exclude(Exists(EditorsChoice.objects.filter(article=OuterRef("pk"))))
        slots = [
            EditorsChoice(article=article, position=last + offset)
            for offset, article in enumerate(new.order_by("-publish_at"), start=1)
        ]
        EditorsChoice.objects.bulk_create(slots)
        self.message_user(
            request,
            ngettext(
                "%d article added to Editor's Choice.",
                "%d articles added to Editor's Choice.",
                len(slots),
            )
            % len(slots),
            messages.SUCCESS,
        )


@admin.register(EditorsChoice)
class EditorsChoiceAdmin(admin.ModelAdmin):
    """Editors reorder the list by editing positions straight from the list page."""

    list_display = ["article", "section", "position", "until", "is_live"]
    list_editable = ["position", "until"]
    list_display_links = ["article"]
    list_select_related = ["article__section"]
    autocomplete_fields = ["article"]
    ordering = ["position", "id"]

    def get_queryset(self, request):
        now = timezone.now()
        live_article = Article.objects.published(now).filter(pk=OuterRef("article_id"))
        return (
            super()
            .get_queryset(request)
            .annotate(live=Exists(live_article) & (Q(until__isnull=True) | Q(until__gt=now)))
        )

    @admin.display(description=_("section"), ordering="article__section__name")
    def section(self, slot):
        return slot.article.section

    @admin.display(description=_("on the front page"), boolean=True, ordering="live")
    def is_live(self, slot):
        return slot.live
