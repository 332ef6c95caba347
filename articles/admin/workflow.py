"""The article form's workflow buttons, and the refusal of any action not offered.

The status is no longer a drop-down: the form carries it hidden, and the button
pressed (`_action`) says what happens (articles/workflow.py). The form rewrites the
posted status from the action before anything checks it, so the takedown reason,
the publishing guard and the held-change path all see the transition the button
names; an action the user may not take on this story is a form error, and a form
posted without an action is judged by the action its status amounts to.
"""

from django import forms
from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import workflow
from articles.models import Article, PendingChange
from articles.services import article_send_back
from publishing.visibility import may_publish

ACTION_FIELD = "_action"
NOTE_FIELD = "note"


def _held_for(request, article: Article | None) -> PendingChange | None:
    """Return the article's open held change, as the form shows or a Chief Editor reviews it."""
    if article is None or article.pk is None:
        return None
    held = getattr(article, "held_change", None)  # an Editor's form (articles/admin/review.py)
    if held is None and may_publish(request.user):
        if "_workflow_held" not in article.__dict__:  # once per request's article
            article._workflow_held = (
                PendingChange.objects.still_open().filter(article=article).first()
            )
        held = article._workflow_held
    return held


def _workflow_form(form, user, article: Article | None, held: PendingChange | None):
    """Return `form` (a class) with its status set by the action posted, and checked."""

    class WorkflowForm(form):
        workflow_action = None

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["status"].widget = forms.HiddenInput()
            if not self.is_bound:
                return
            action = self.data.get(ACTION_FIELD)
            status_name = self.add_prefix("status")
            if action is None:  # an older form or a script: the status it posts decides
                action = workflow.implied_action(user, article, self.data.get(status_name))
            elif action in workflow.LABELS:
                self.data = self.data.copy()
                self.data[status_name] = workflow.target_status(action, user, article)
            self.workflow_action = action

        def clean(self):
            cleaned = super().clean()
            action = self.workflow_action
            if not workflow.may_take(action, user, article, held):
                label = workflow.LABELS.get(action)
                raise forms.ValidationError(
                    _("“%(action)s” is not yours to do on this story.")
                    % {"action": label or action},
                    code="action_refused",
                )
            if cleaned.get("status") == Article.Status.PUBLISHED and may_publish(user, article):
                self._set_publish_time(action, cleaned)
            return cleaned

        def _set_publish_time(self, action, cleaned):
            stored_at = article.publish_at if article is not None and article.pk else None
            live_before = article is not None and article.pk and article.is_live
            try:
                when = workflow.publish_time(
                    action, stored_at if live_before else None, cleaned.get("publish_at")
                )
            except ValueError:
                self.add_error("publish_at", _("Choose a time in the future to schedule it."))
                return
            if when != cleaned.get("publish_at"):
                cleaned["publish_at"] = when
                # Else the publishing check puts back the time the form was opened with.
                if "publish_at" not in self.changed_data:
                    self.changed_data.append("publish_at")

    WorkflowForm.__name__ = form.__name__
    # The metaclass rebuilt the fields from the model: keep those the mixins below set
    # up (the edition's choices, widgets).
    WorkflowForm.base_fields = form.base_fields
    return WorkflowForm


def _as_stored(article):
    """Return `article` as its row stands: a refused form is shown again with the posted
    values set on the instance (a refused Take down left it a draft in memory, so the
    form offered Publish instead of Take down), but the actions are the stored story's."""
    if article is None or article.pk is None:
        return article
    return type(article)._base_manager.filter(pk=article.pk).first() or article


class WorkflowAdminMixin:
    """For ArticleAdmin: workflow buttons instead of a status drop-down."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "status" not in form.base_fields:
            return form
        return _workflow_form(form, request.user, obj, _held_for(request, obj))

    def held_submits(self, request) -> bool:
        """An Editor's "Save draft" of a live story keeps their change as a draft."""
        return request.POST.get(ACTION_FIELD) != workflow.SAVE_DRAFT

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        held = _held_for(request, obj)
        may_write = (
            self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        )
        stored = _as_stored(obj) if request.method == "POST" else obj
        actions = workflow.offered_actions(request.user, stored, held) if may_write else []
        review_url = ""
        if held is not None and held.state == PendingChange.State.PENDING and obj is not None:
            review_url = reverse("admin:articles_article_review", args=[obj.pk])
        publish_at = obj.publish_at if obj is not None else None
        context.update(
            {
                "workflow_actions": actions,
                "workflow_action_field": ACTION_FIELD,
                "workflow_note_field": NOTE_FIELD,
                "workflow_review_url": review_url,
                "workflow_schedule_ready": bool(publish_at and publish_at > timezone.now()),
                "workflow_now": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
                "workflow_sends_back": any(a.name == workflow.SEND_BACK for a in actions),
            }
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(form, "workflow_action", None) == workflow.SEND_BACK and change:
            article_send_back(
                article=obj,
                user=request.user,
                note=request.POST.get(NOTE_FIELD, ""),
                link=request.build_absolute_uri(
                    reverse("admin:articles_article_change", args=[obj.pk])
                ),
            )

    def _stay_on_the_form(self, request):
        action = request.POST.get(ACTION_FIELD)
        if action in workflow.LABELS and "_continue" not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return action

    def response_add(self, request, obj, post_url_continue=None):
        self._tell_what_happened(request, obj, self._stay_on_the_form(request))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        action = self._stay_on_the_form(request)
        if getattr(request, "held", None) is None:  # held saves say so themselves
            self._tell_what_happened(request, obj, action)
        return super().response_change(request, obj)

    def _tell_what_happened(self, request, obj, action):
        text = {
            workflow.SAVE_DRAFT: _("Saved as a draft; readers do not see it."),
            workflow.SUBMIT: _("Submitted for review: the Chief Editors of its desk are told."),
            workflow.SEND_BACK: _("Sent back to its editor with your note."),
            workflow.TAKE_DOWN: _("Taken down: readers of its address are told it is gone."),
        }.get(action)
        if action in (workflow.PUBLISH, workflow.SCHEDULE):
            text = (
                _("Scheduled: readers see it from %(when)s.")
                if obj.publish_at and obj.publish_at > timezone.now()
                else _("Published: readers see it now.")
            ) % {"when": timezone.localtime(obj.publish_at).strftime("%Y-%m-%d %H:%M")}
        if text:
            messages.info(request, text)
