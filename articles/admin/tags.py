"""Tags in the desk: listed with their articles, renamed and merged under the shared rule.

Replaces django-taggit's own admin, whose merge moves taggit's generic tagged
items (our articles use their own through table, so it moved nothing) and whose
rename was open to every Editor whatever edition showed the tag.
"""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from articles.admin.filing import count_pointing_here
from articles.models import TaggedArticle
from articles.tags import tag_merge, tag_merge_problem
from publishing.sharing import SharedCheckedFormMixin


class TagAdminForm(SharedCheckedFormMixin, forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]


if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "slug", "article_count"]
    ordering = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge"]

    def get_queryset(self, request):
        links = TaggedArticle.objects.all()
        return super().get_queryset(request).annotate(articles=count_pointing_here(links, "tag"))

    @admin.display(description=_("articles"), ordering="articles")
    def article_count(self, tag):
        return tag.articles

    @admin.action(description=_("Merge selected tags into one…"))
    def merge(self, request, queryset):
        """Ask which tag the others become, then move their articles onto it."""
        tags = list(queryset.order_by("-articles", "name"))
        if len(tags) < 2:
            self.message_user(request, _("Select two tags or more to merge."), messages.WARNING)
            return None
        problem = tag_merge_problem(tags=tags, user=request.user)
        into = next((tag for tag in tags if str(tag.pk) == request.POST.get("into")), None)
        if into is not None and problem is None:
            moved = tag_merge(tags=tags, into=into, user=request.user)
            self.message_user(
                request,
                ngettext(
                    "Merged into “%(tag)s”: %(count)d article moved.",
                    "Merged into “%(tag)s”: %(count)d articles moved.",
                    moved,
                )
                % {"tag": into.name, "count": moved},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Merge tags"),
            "tags": tags,
            "problem": problem,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/taggit/tag/merge.html", context)
