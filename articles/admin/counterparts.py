"""The article form's counterpart picker and Unlink control.

The admin's own autocomplete lists only what the user may change (their desks'
editions), so a single-desk editor could never pick another edition's story
(issue 22 item 5). This picker lists `counterpart_candidates`: the user's editions'
articles and other editions' live ones, as titles to link to, nothing to edit.

Unlinking has its own address, POST only (with the desk's CSRF check), under the
rules table's `unlink_counterparts` row: a desk unlinks its own story, as it links
it. An Editor's unlink of a live story is held with the rest of their change until
a Chief Editor publishes it (as their link is); anyone else's is made at once, and
`counterparts_changed` gives every former member's pages fresh tokens, so no
edition switcher leads to the story afterwards. The control is a button in the
"Other editions" fieldset that submits a small form outside the article form
(`form=`): it posts nothing of the story being typed.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from articles.counterparts import (
    CounterpartRefused,
    article_counterparts_unlink,
    counterpart_candidates,
)
from articles.models import Article, PendingChange, RelatedArticle
from articles.services import article_counterparts_unlink_hold
from publishing.desk_rules import Outcome, decide
from web.autocomplete import AutocompleteSelect

UNLINK = ("articles.article", "unlink_counterparts")
UNLINK_FORM = "desk-unlink-counterparts"  # the form outside the article form

PAGE = 20


class CounterpartSelect(AutocompleteSelect):
    """The admin's select2 box, asking `counterpart_candidates_view` for its options."""

    def get_url(self):
        return reverse("admin:articles_article_counterpart_candidates")


def candidate_label(article) -> str:
    return f"{article.isolated_title} ({article.get_language_display()})"


def _has_counterparts(article) -> bool:
    group = Article.objects.filter(pk=article.pk).values("translation_group")
    return Article.objects.filter(translation_group__in=group).exclude(pk=article.pk).exists()


def _unlink_offer(user, article) -> str | None:
    """Return which Unlink control `user` gets on `article`'s form: "now", "hold" (held
    for review), "keep" (their held unlink can be withdrawn), or None."""
    if article.translation_group is None:
        return None
    outcome = decide(user, *UNLINK, article)
    if outcome is Outcome.DENY:
        return None
    held = getattr(article, "held_change", None)  # the form shows an Editor's open change
    if outcome is Outcome.HOLD and held is not None and held.data.get("unlink"):
        return "keep"
    return "hold" if outcome is Outcome.HOLD else "now"


def unlink_control(article) -> str:
    """Return the fieldset's Unlink button for `article`, as `render_change_form` offers it."""
    offer = getattr(article, "unlink_offer", None)
    if offer == "keep":
        return format_html(
            ' <span class="desk-quiet">{}</span> '
            '<button type="submit" form="{}" name="keep" value="1" class="button">{}</button>',
            _("Unlinking it waits for review with your change."),
            UNLINK_FORM,
            _("Keep the links"),
        )
    if offer in ("now", "hold"):
        help_text = (
            _("Held for review with your change; readers keep the links until it is published.")
            if offer == "hold"
            else _("Readers' edition switchers stop leading from one to the other at once.")
        )
        return format_html(
            ' <button type="submit" form="{}" class="button">{}</button>'
            ' <span class="desk-quiet">{}</span>',
            UNLINK_FORM,
            _("Unlink it from them"),
            help_text,
        )
    return ""


class CounterpartPickerMixin:
    """For ArticleAdmin: the picker's JSON view, and the form field that uses it."""

    def get_urls(self):
        candidates = path(
            "counterpart-candidates/",
            self.admin_site.admin_view(self.counterpart_candidates_view),
            name="articles_article_counterpart_candidates",
        )
        unlink = path(
            "<id:pk>/unlink-counterparts/",
            self.admin_site.admin_view(self.unlink_counterparts_view),
            name="articles_article_unlink_counterparts",
        )
        return [candidates, unlink, *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            # Read by the fieldset's "Counterparts" (`unlink_control`) and the template.
            obj.unlink_offer = context["unlink_offer"] = _unlink_offer(request.user, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def unlink_counterparts_view(self, request, pk):
        """Take the story out of its counterparts (POST), or keep it in (POST `keep`: an
        unlink held for review is withdrawn); then back to its form, saying what happened."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=pk)
        outcome = decide(request.user, *UNLINK, article)
        if outcome is Outcome.DENY:  # the desk refused it before the view: kept for scripts
            raise PermissionDenied
        keep = "keep" in request.POST
        back = HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))
        if outcome is Outcome.HOLD:
            self._hold_unlink(request, article, keep=keep)
        elif keep:
            pass  # nothing is held for one whose unlink is made at once
        elif not _has_counterparts(article):
            messages.error(request, _("This story is not linked with any other edition's."))
        else:
            try:
                article_counterparts_unlink(article=article, user=request.user)
            except CounterpartRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(
                    request,
                    _(
                        "“%(title)s” is no longer linked with its counterparts in other "
                        "editions: readers' edition switchers no longer lead from one to "
                        "the other."
                    )
                    % {"title": article.isolated_title},
                )
        return back

    def _hold_unlink(self, request, article, *, keep: bool):
        if keep:
            held = PendingChange.objects.still_open().filter(article=article).first()
            if held is None or not held.data.get("unlink"):
                return  # no unlink is held: nothing to keep
        elif not _has_counterparts(article):
            messages.error(request, _("This story is not linked with any other edition's."))
            return
        change = article_counterparts_unlink_hold(
            article=article,
            user=request.user,
            unlink=not keep,
            link=request.build_absolute_uri(
                reverse("admin:articles_article_review", args=[article.pk])
            ),
        )
        if keep:
            text = (
                _("The unlink is withdrawn, and nothing awaits review.")
                if change is None
                else _("The unlink is withdrawn; the rest of your change stays as it was.")
            )
        elif change.state == PendingChange.State.PENDING:
            text = _(
                "Unlinking it from its counterparts waits for a Chief Editor's review with "
                "your change; readers' edition switchers still lead to them."
            )
        else:
            text = _(
                "Unlinking it from its counterparts is kept in your draft change; readers' "
                "edition switchers still lead to them. Submit it for review when it is ready."
            )
        messages.info(request, text)

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
