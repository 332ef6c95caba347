"""Reviewed edits to live stories, in the article admin (Wagtail's draft over the live page).

An Editor's save of a published article is held as a PendingChange instead of
going live: the whole proposed story (fields, tags, topics, Related Content, the
corrections it adds, a counterpart it links; articles/review.py). Readers keep
the live version; Chief Editors see the change side by side with the live text
and in a preview, then publish it (choosing field by field where a later live
edit clashes) or send it back with a note. Whoever reopens the form sees the
change, not the live text, until it is published or withdrawn. Chief Editors'
own saves go live at once.
"""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.internal_notes import internal_notes_context
from articles.conflicts import MINE, THEIRS, Conflict
from articles.counterparts import CounterpartLocked, CounterpartRefused
from articles.models import Article, ArticleNote, PendingChange, RelatedArticle
from articles.pages import article_page_response, preview_response
from articles.review import (
    apply_change,
    change_names,
    change_rows,
    clash_text,
    counterpart_rows,
    field_label,
    held_change_data,
    held_link_problem,
    held_notes,
    live_story,
    preview_counterparts,
    preview_picks,
    preview_related,
    preview_story,
    proposed_story,
    publish_plan,
    tag_objects,
)
from articles.services import (
    HeldChangeClashes,
    article_change_hold,
    article_change_publish,
    article_change_return,
    article_review_request,
)
from publishing import visibility
from publishing.desk_dates import desk_date
from publishing.edition_guard import EditionLinkRefused
from publishing.visibility import VisibilityChangeRefused
from web.bidi import isolated
from web.numbers import parse_number
from web.people import person_name


class _HeldChange(Exception):
    """Undo the request's writes; the edit is held for review instead."""

    def __init__(self, response):
        self.response = response


@dataclass
class Held:
    """What a held save proposes, kept on the request until its writes are undone."""

    pk: int
    live: dict
    proposed: dict
    submit: bool
    data: dict | None  # what will be held (None: nothing differs from the live story)
    had_open_change: bool


def _held_formset(formset, model, data: dict):
    """Return `formset` (a class) showing a held change's picks or added notes."""
    fields = data.get("fields", {})
    if model is RelatedArticle and "related" in fields:
        picks = fields["related"]

        class HeldPicks(formset):
            # Kept picks stay their stored rows (in the change's order); added ones follow.
            def get_queryset(self):
                if not hasattr(self, "_queryset"):
                    rows = [row for row in super().get_queryset() if row.related_id in picks]
                    rows.sort(key=lambda row: picks.index(row.related_id))
                    for row in rows:
                        row.position = picks.index(row.related_id)
                    self._queryset = rows
                return self._queryset

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                kept = {row.related_id for row in self.get_queryset()}
                self.initial_extra = [
                    {"related": pk, "position": position}
                    for position, pk in enumerate(picks)
                    if pk not in kept
                ]

        HeldPicks.extra = len(picks) + 1
        return _keep_initial_rows(HeldPicks)
    if model is ArticleNote and data.get("notes"):
        notes = held_notes(data)

        class HeldNotes(formset):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial_extra = [
                    {"kind": note.kind, "text": note.text, "noted_at": localtime(note.noted_at)}
                    for note in notes
                ]

        HeldNotes.extra = len(notes) + formset.extra
        return _keep_initial_rows(HeldNotes)
    return formset


def _keep_initial_rows(formset):
    """Make the added rows a held change shows count even when left untouched."""

    class Kept(formset):
        def get_form_kwargs(self, index):
            kwargs = super().get_form_kwargs(index)
            extra_index = -1 if index is None else index - self.initial_form_count()
            if 0 <= extra_index < len(self.initial_extra or []):
                kwargs["empty_permitted"] = False
            return kwargs

    Kept.__name__ = formset.__name__
    return Kept


class ReviewedEditsMixin:
    """For ArticleAdmin: Editors' edits to published articles wait for review."""

    def _is_held(self, request, article) -> bool:
        if article.pk is None or visibility.may_publish(request.user):
            return False
        before = visibility.stored_values(Article, article.pk)
        return bool(before and before["status"] == Article.Status.PUBLISHED)

    # --- The form shows the open change -------------------------------------------------

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        restoring = getattr(request, "restoring_version", False)
        if article is not None and not restoring and self._is_held(request, article):
            change = PendingChange.objects.still_open().filter(article=article).first()
            if change:  # go on from the change, not from the live text
                apply_change(article, change.data)
                article.held_change = change
        return article

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        held = getattr(obj, "held_change", None)
        fields = held.data.get("fields", {}) if held else {}
        initial = {}
        if held is not None and held.data.get("counterpart") is not None:
            initial["counterpart"] = held.data["counterpart"]
        if "tags" in fields:
            initial["tags"] = tag_objects(fields["tags"])
        if "topics" in fields:
            initial["topics"] = fields["topics"]
        if not initial:
            return form

        class HeldForm(form):
            def __init__(self, *args, **kwargs):
                # Under what the caller gives (a restored autosave wins).
                kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        HeldForm.__name__ = form.__name__
        return HeldForm

    def get_formsets_with_inlines(self, request, obj=None):
        held = getattr(obj, "held_change", None)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if held is not None:
                formset = _held_formset(formset, inline.model, held.data)
            yield formset, inline

    # --- A save is held ----------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change and getattr(request, "held_live", None) is not None:
            request.holding = True
            return
        to_review = (
            obj.status == Article.Status.REVIEW
            and form.initial.get("status") != Article.Status.REVIEW
            and not visibility.may_publish(request.user)
        )
        super().save_model(request, obj, form, change)
        if to_review:
            article_review_request(
                article=obj,
                user=request.user,
                link=request.build_absolute_uri(
                    reverse("admin:articles_article_change", args=[obj.pk])
                ),
            )

    def save_related(self, request, form, formsets, change):
        if not getattr(request, "holding", False):
            super().save_related(request, form, formsets, change)
            return
        pk = form.instance.pk
        prior = PendingChange.objects.still_open().filter(article_id=pk).first()
        proposed = proposed_story(form, formsets)
        request.held = Held(
            pk=pk,
            live=request.held_live,
            proposed=proposed,
            submit=self.held_submits(request),
            data=held_change_data(request.held_live, proposed, prior.data if prior else None),
            had_open_change=prior is not None,
        )

    def held_submits(self, request) -> bool:
        """Return whether a held save is submitted for review (else kept as a draft)."""
        return True

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "holding", False):
            return ""  # nothing was saved
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "holding", False):
            return None  # the PendingChange is the record; nothing changed yet
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        held = getattr(request, "held", None)
        if held is None:
            return super().response_change(request, obj)
        if held.data is None and held.had_open_change:
            messages.info(
                request,
                _(
                    "Your change now matches the published version: it is withdrawn, "
                    "and nothing awaits review."
                ),
            )
        elif held.data is None:
            messages.info(request, _("Nothing was changed: nothing is held and nobody is told."))
        elif held.submit:
            messages.info(
                request,
                _(
                    "Your change is waiting for a Chief Editor's review; "
                    "readers still see the published version."
                ),
            )
        else:
            messages.info(
                request,
                _(
                    "Your change is saved as a draft; readers still see the published "
                    "version. Submit it for review when it is ready."
                ),
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def _holding(self, request, object_id, view):
        """Run `view`; if it held an edit, undo its writes and hold the change."""
        request.held_live = None
        pk = parse_number(str(object_id))
        if request.method == "POST" and pk is not None:
            article = Article.objects.filter(pk=pk).first()
            if article is not None and self._is_held(request, article):
                request.held_live = live_story(article)  # before a restore rewrites it
        try:
            with transaction.atomic():
                response = view()
                if getattr(request, "held", None):
                    raise _HeldChange(response)
            return response
        except _HeldChange as undone:
            held = request.held
            article_change_hold(
                article=Article.objects.get(pk=held.pk),
                user=request.user,
                live=held.live,
                proposed=held.proposed,
                submit=held.submit,
                link=request.build_absolute_uri(
                    reverse("admin:articles_article_review", args=[held.pk])
                ),
            )
            return undone.response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._tell_about_review(request, object_id)
        return self._holding(
            request,
            object_id,
            lambda: super(ReviewedEditsMixin, self).change_view(
                request, object_id, form_url, extra_context
            ),
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # A restore writes the old version before the form runs: undone if held. The
        # form shows the version restored, not an open change.
        request.restoring_version = True
        return self._holding(
            request,
            object_id,
            lambda: super(ReviewedEditsMixin, self).revision_view(
                request, object_id, version_id, extra_context
            ),
        )

    def _tell_about_review(self, request, object_id):
        pk = parse_number(str(object_id))
        if pk is None:
            return
        latest = (
            PendingChange.objects.still_open()
            .filter(article_id=pk)
            .select_related("article", "submitted_by", "reviewed_by")
            .first()
        )
        if latest is None:
            return
        who = _user_name(latest.submitted_by)
        when = desk_date(latest.submitted_at)
        if visibility.may_publish(request.user):
            if latest.state == PendingChange.State.PENDING:
                review = reverse("admin:articles_article_review", args=[latest.article_id])
                text = _("A change by %(user)s awaits a Chief Editor's review.") % {"user": who}
                if visibility.may_publish(request.user, latest.article):
                    text = format_html('{} <a href="{}">{}</a>', text, review, _("Review it"))
                messages.info(request, text)
            return
        if latest.state == PendingChange.State.RETURNED:
            messages.warning(
                request,
                _(
                    "%(chief)s sent this change back: %(note)s. The form shows the change, "
                    "not the published version; readers still see the published version."
                )
                % {"chief": _user_name(latest.reviewed_by), "note": isolated(latest.note or "—")},
            )
        elif latest.state == PendingChange.State.PENDING:
            messages.info(
                request,
                _(
                    "The form shows the change %(user)s submitted on %(when)s, awaiting a "
                    "Chief Editor's review; readers still see the published version."
                )
                % {"user": who, "when": when},
            )
        else:
            messages.info(
                request,
                _(
                    "The form shows the change %(user)s saved as a draft on %(when)s; "
                    "readers still see the published version."
                )
                % {"user": who, "when": when},
            )

    # --- The review page ---------------------------------------------------------------

    def get_urls(self):
        review = [
            path(
                "<id:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="articles_article_review",
            ),
            path(
                "<id:pk>/review/preview/",
                self.admin_site.admin_view(self.review_preview_view),
                name="articles_article_review_preview",
            ),
        ]
        return [*review, *super().get_urls()]

    def _waiting_change(self, request, pk) -> PendingChange:
        """Return the article's change awaiting review, for a Chief Editor of its desk."""
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
        if not visibility.may_publish(request.user, change.article):
            raise PermissionDenied
        return change

    def review_view(self, request, pk):
        """Show a held change beside the live text with a preview; publish it or send it back.

        Template admin/articles/article/review.html: `rows` (the side-by-side diff),
        `conflicts` (fields changed live since, to choose between), `change`, and
        `counterpart_problem`: why Publish would refuse the counterpart link the change
        carries now (deleted, or linked by another desk since...), said before it is pressed.
        """
        change = self._waiting_change(request, pk)
        article = change.article
        live = live_story(article)
        _writes, clashes = publish_plan(live, change.data)
        seen = article.updated_at.isoformat()
        if request.method == "POST" and "publish" in request.POST:
            choices = {clash.name: request.POST.get(f"resolve-{clash.name}") for clash in clashes}
            if clashes and request.POST.get("live_seen") != seen:
                messages.warning(
                    request,
                    _(
                        "The published version was changed after this change was made. For "
                        "each field below, keep the published version or take the change."
                    ),
                )
            else:
                try:
                    article_change_publish(change=change, user=request.user, choices=choices)
                except HeldChangeClashes:
                    messages.error(
                        request, _("Choose which version to keep for every field below.")
                    )
                except ValidationError as refused:
                    messages.error(request, " ".join(refused.messages))
                except CounterpartLocked as refused:
                    # Someone has the story or a counterpart open: nothing to send back.
                    messages.error(
                        request, _("Nothing is published: %(reason)s") % {"reason": refused}
                    )
                except (CounterpartRefused, EditionLinkRefused, VisibilityChangeRefused) as refused:
                    # Linked since by another desk, a pick moved to another edition since,
                    # a change the guards refuse, say: nothing is published.
                    messages.error(
                        request,
                        _("Nothing is published: %(reason)s Send the change back to fix it.")
                        % {"reason": refused},
                    )
                else:
                    messages.success(request, _("The change is published."))
                    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))
        if request.method == "POST" and "send_back" in request.POST:
            article_change_return(
                change=change,
                user=request.user,
                note=request.POST.get("note", ""),
                link=request.build_absolute_uri(
                    reverse("admin:articles_article_change", args=[pk])
                ),
            )
            messages.success(request, _("The change is sent back to its editor."))
            return HttpResponseRedirect(reverse("admin:articles_article_changelist"))
        names = change_names(live, change.data)
        shown = clash_text(clashes, names)
        chosen = request.POST if request.method == "POST" else {}
        conflicts = [
            Conflict(
                clash.name,
                field_label(clash.name),
                shown[clash.name][0] or "—",
                shown[clash.name][1] or "—",
                chosen.get(f"resolve-{clash.name}", "")
                if chosen.get(f"resolve-{clash.name}") in (THEIRS, MINE)
                else "",
            )
            for clash in clashes
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Review the change to “%s”") % article.isolated_title,
            "change": change,
            "submitter": _user_name(change.submitted_by),
            "rows": [
                *change_rows(live, change.data, names),
                *counterpart_rows(article, change.data),
            ],
            "conflicts": conflicts,
            "counterpart_problem": held_link_problem(article, change.data, request.user),
            "live_seen": seen,
            **internal_notes_context(request, article, back="review"),
        }
        return TemplateResponse(request, "admin/articles/article/review.html", context)

    def review_preview_view(self, request, pk):
        """Render the article page as it will be with the held change (staff only, no-store)."""
        change = self._waiting_change(request, pk)
        article = Article.objects.with_detail().get(pk=pk)
        live_picks = list(
            RelatedArticle.objects.filter(article=article).values_list("related_id", flat=True)
        )
        preview_story(article, change.data)
        extra = {"preview": True}
        picks = preview_picks(change.data)
        if picks is not None:
            extra["related"] = preview_related(article, picks, live_picks)
        counterparts = preview_counterparts(article, change.data)
        if counterparts is not None:
            extra["counterparts"] = counterparts
        return preview_response(article_page_response(request, article, extra_context=extra))


def _user_name(user) -> str:
    """Return who did it, set apart for the sentence it goes in: "Editor (fa)" opening a
    Persian one read "(Editor (fa" (web/bidi.py)."""
    if user is None:
        return _("someone")
    return isolated(person_name(user))


@admin.display(description=gettext_lazy("change to review"), ordering="has_pending_change")
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

    @admin.display(description=gettext_lazy("review"))
    def review_link(self, change):
        if change.state != PendingChange.State.PENDING:
            return change.note
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_review", args=[change.article_id]),
            _("review"),
        )
