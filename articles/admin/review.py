"""Reviewed edits to live stories, in the article admin (Wagtail's draft over the live page).

An Editor's save of a published article is held as a PendingChange instead of
going live: readers keep the live version; Chief Editors see the change as a
diff with field labels and a preview, then publish it or send it back with a
note. Chief Editors' own saves go live at once, as before.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from articles.models import Article, PendingChange
from articles.pages import article_page_response, preview_response
from articles.review import apply_change, change_data, change_diff
from articles.services import (
    article_change_publish,
    article_change_return,
    article_change_submit,
    article_review_request,
)
from publishing import visibility


class _HeldChange(Exception):
    """Undo the request's writes; the edit is submitted for review instead."""

    def __init__(self, response):
        self.response = response


class ReviewedEditsMixin:
    """For ArticleAdmin: Editors' edits to published articles wait for review."""

    def _is_held(self, request, article) -> bool:
        if article.pk is None or visibility.may_publish(request.user):
            return False
        before = visibility.stored_values(Article, article.pk)
        return bool(before and before["status"] == Article.Status.PUBLISHED)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is not None and self._is_held(request, article):
            waiting = PendingChange.objects.awaiting_review().filter(article=article).first()
            if waiting:  # go on from the text under review, not the live one
                apply_change(article, waiting.data)
        return article

    def save_model(self, request, obj, form, change):
        if change and self._is_held(request, obj):
            request.held_change = (obj.pk, change_data(form.cleaned_data))
            return
        to_review = (
            obj.status == Article.Status.REVIEW
            and form.initial.get("status") != Article.Status.REVIEW
            and not visibility.may_publish(request.user)
        )
        super().save_model(request, obj, form, change)
        if to_review:
            article_review_request(article=obj, user=request.user)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "held_change", None):
            if any(formset.has_changed() for formset in formsets):
                messages.warning(
                    request,
                    _(
                        "Related Content and corrections were not changed: "
                        "add them once the change is published."
                    ),
                )
            return
        super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "held_change", None):
            return ""  # the formsets were not saved
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "held_change", None):
            return None  # the PendingChange is the record; nothing changed yet
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, "held_change", None):
            messages.info(
                request,
                _(
                    "Your change is waiting for a Chief Editor's review; "
                    "readers still see the published version."
                ),
            )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        return super().response_change(request, obj)

    def _holding(self, request, view):
        """Run `view`; if it held an edit, undo its writes and submit the change."""
        try:
            with transaction.atomic():
                response = view()
                if getattr(request, "held_change", None):
                    raise _HeldChange(response)
            return response
        except _HeldChange as held:
            pk, data = request.held_change
            article = Article.objects.get(pk=pk)
            article_change_submit(article=article, user=request.user, data=data)
            return held.response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._tell_about_review(request, object_id)
        return self._holding(
            request,
            lambda: super(ReviewedEditsMixin, self).change_view(
                request, object_id, form_url, extra_context
            ),
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # A restore writes the old version before the form runs: undone if held.
        return self._holding(
            request,
            lambda: super(ReviewedEditsMixin, self).revision_view(
                request, object_id, version_id, extra_context
            ),
        )

    def _tell_about_review(self, request, object_id):
        if not str(object_id).isdigit():
            return
        latest = (
            PendingChange.objects.filter(article_id=object_id)
            .select_related("submitted_by", "reviewed_by")
            .first()
        )
        if latest is None:
            return
        if latest.state == PendingChange.State.PENDING:
            review = reverse("admin:articles_article_review", args=[latest.article_id])
            text = _("A change by %(user)s awaits a Chief Editor's review.") % {
                "user": latest.submitted_by or _("someone")
            }
            if visibility.may_publish(request.user):
                text = format_html('{} <a href="{}">{}</a>', text, review, _("Review it"))
            messages.info(request, text)
        elif latest.state == PendingChange.State.RETURNED and latest.submitted_by == request.user:
            messages.warning(
                request,
                _("%(user)s sent your change back: %(note)s")
                % {"user": latest.reviewed_by or _("A Chief Editor"), "note": latest.note or "—"},
            )

    def get_urls(self):
        review = [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="articles_article_review",
            ),
            path(
                "<int:pk>/review/preview/",
                self.admin_site.admin_view(self.review_preview_view),
                name="articles_article_review_preview",
            ),
        ]
        return [*review, *super().get_urls()]

    def _waiting_change(self, request, pk) -> PendingChange:
        if not visibility.may_publish(request.user):
            raise PermissionDenied
        change = (
            PendingChange.objects.awaiting_review()
            .filter(article_id=pk)
            .select_related("article", "submitted_by")
            .first()
        )
        if change is None:
            raise Http404("No change of this article awaits review.")
        return change

    def review_view(self, request, pk):
        """Show a held change as a diff with a preview; publish it or send it back."""
        change = self._waiting_change(request, pk)
        article = change.article
        if request.method == "POST" and "publish" in request.POST:
            article_change_publish(change=change, user=request.user)
            messages.success(request, _("The change is published."))
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))
        if request.method == "POST" and "send_back" in request.POST:
            article_change_return(
                change=change, user=request.user, note=request.POST.get("note", "")
            )
            messages.success(request, _("The change is sent back to its editor."))
            return HttpResponseRedirect(reverse("admin:articles_article_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Review the change to “%s”") % article.title,
            "change": change,
            "changes": change_diff(article, change.data),
        }
        return TemplateResponse(request, "admin/articles/article/review.html", context)

    def review_preview_view(self, request, pk):
        """Render the article page as it will be with the held change (staff only)."""
        change = self._waiting_change(request, pk)
        article = apply_change(Article.objects.with_detail().get(pk=pk), change.data)
        return preview_response(
            article_page_response(request, article, extra_context={"preview": True})
        )


@admin.display(description=_("change to review"), ordering="has_pending_change")
def pending_change_link(article):
    """A link to the held change of an article, if any (needs the annotation)."""
    if not getattr(article, "has_pending_change", False):
        return ""
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:articles_article_review", args=[article.pk]),
        _("review"),
    )


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    """The review queue: changes to live articles, each opening its review page."""

    list_display = ["article", "state", "submitted_by", "submitted_at", "review_link"]
    list_filter = ["state"]
    list_select_related = ["article", "submitted_by"]
    search_fields = ["article__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("review"))
    def review_link(self, change):
        if change.state != PendingChange.State.PENDING:
            return change.note
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_review", args=[change.article_id]),
            _("review"),
        )
