"""The article form's counterpart picker: other editions' stories, listed read-only.

The admin's own autocomplete lists only what the user may change (their desks'
editions), so a single-desk editor could never pick another edition's story
(issue 22 item 5). This picker lists `counterpart_candidates`: the user's editions'
articles and other editions' live ones, as titles to link to, nothing to edit.
"""

import copy

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.urls import path, reverse

from articles.counterparts import counterpart_candidates
from articles.models import RelatedArticle

PAGE = 20


class CounterpartSelect(AutocompleteSelect):
    """The admin's select2 box, asking `counterpart_candidates_view` for its options."""

    def get_url(self):
        return reverse("admin:articles_article_counterpart_candidates")


def candidate_label(article) -> str:
    return f"{article.title} ({article.get_language_display()})"


class CounterpartPickerMixin:
    """For ArticleAdmin: the picker's JSON view, and the form field that uses it."""

    def get_urls(self):
        candidates = path(
            "counterpart-candidates/",
            self.admin_site.admin_view(self.counterpart_candidates_view),
            name="articles_article_counterpart_candidates",
        )
        return [candidates, *super().get_urls()]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        declared = form.base_fields.get("counterpart")
        if declared is not None:
            # A copy: the declared field is shared by every request's form class.
            field = form.base_fields["counterpart"] = copy.deepcopy(declared)
            field.queryset = counterpart_candidates(request.user).order_by("-publish_at")
            field.label_from_instance = candidate_label
            # Any ForeignKey to Article serves select2's attributes; the URL is ours.
            field.widget = CounterpartSelect(
                RelatedArticle._meta.get_field("related"), self.admin_site
            )
            field.widget.choices = field.choices
        return form

    def counterpart_candidates_view(self, request):
        """Answer select2's query (`term`, `page`) with the articles one may link to."""
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()[:100]
        found = counterpart_candidates(request.user).order_by("-publish_at", "-pk")
        if term:
            found = found.filter(title__icontains=term)
        try:
            number = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            number = 1
        page = Paginator(found.only("pk", "title", "language"), PAGE).get_page(number)
        return JsonResponse(
            {
                "results": [{"id": str(a.pk), "text": candidate_label(a)} for a in page],
                "pagination": {"more": page.has_next()},
            }
        )
