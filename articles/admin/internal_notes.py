"""Internal notes on a story, in the article admin: a thread for the desk only.

The thread is shown beside the change form and the review page (outside their
forms: a note is posted on its own, never with the story) and at its own address,
where a refused note comes back with its text. Readers never see it: no reader
page, feed or preview reads InternalNote, and revisions do not follow it.
Who may read and post: articles/workflow.py (`may_read_internal_notes`,
`may_post_internal_note`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from articles.models import Article, InternalNote
from articles.services import internal_note_post
from articles.workflow import may_post_internal_note, may_read_internal_notes

# Where a posted note returns to: the page it was written on, by name (never a URL).
RETURNS = {"change": "admin:articles_article_change", "review": "admin:articles_article_review"}


def internal_notes_context(request, article: Article | None, back: str = "change") -> dict:
    """Return the thread's context for a page about `article` (empty for those who may not)."""
    if article is None or article.pk is None or not may_read_internal_notes(request.user, article):
        return {}
    return {
        "internal_notes": list(InternalNote.objects.thread(article)),
        "may_post_note": may_post_internal_note(request.user, article),
        "notes_back": back,
        "notes_article": article,
    }


class InternalNotesAdminMixin:
    """For ArticleAdmin: the internal-notes thread's address and its panel's context."""

    def get_urls(self):
        notes = path(
            "<id:pk>/notes/",
            self.admin_site.admin_view(self.internal_notes_view),
            name="articles_article_notes",
        )
        return [notes, *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(internal_notes_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def internal_notes_view(self, request, pk):
        """Show a story's internal notes, or add one (POST `text`, `back`).

        Template admin/articles/article/internal_notes.html: the thread, and the
        text of a refused note, kept.
        """
        article = get_object_or_404(Article, pk=pk)
        if not may_read_internal_notes(request.user, article):
            raise PermissionDenied
        text = ""
        back = request.POST.get("back") if request.POST.get("back") in RETURNS else "change"
        if request.method == "POST":
            text = request.POST.get("text", "")
            try:
                internal_note_post(article=article, user=request.user, text=text)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your note is added for the desk."))
                return HttpResponseRedirect(reverse(RETURNS[back], args=[article.pk]))
        context = {
            **self.admin_site.each_context(request),
            **internal_notes_context(request, article, back),
            "opts": self.opts,
            "original": article,
            "title": _("Internal notes on “%s”") % article.title,
            "note_text": text,
        }
        return TemplateResponse(request, "admin/articles/article/internal_notes.html", context)
