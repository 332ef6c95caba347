"""The article form's live editing aids: edit locks, heartbeat, autosave and restore.

Mixed into ArticleAdmin. The page's script (static/admin_desk/editing.js) finds
its addresses in data- attributes of the change form (no inline script).
"""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from articles.editing import (
    autosave_discard,
    autosave_for,
    autosave_store,
    lock_release,
    lock_take,
    new_token,
    restored_initial,
    timings,
)
from articles.models import Article
from publishing.visibility import may_publish
from web.numbers import parse_number
from web.people import person_name

RESTORE_PARAMETER = "restore-autosave"


def lock_state(lock, user) -> dict:
    """Return what the page shows about a lock, as JSON-ready values."""
    if lock.user_id == user.pk:
        return {"held": True}
    return {
        "held": False,
        "holder": person_name(lock.user),
        "since": time_format(timezone.localtime(lock.since), "H:i"),
        "message": _("%(name)s has been editing since %(since)s.")
        % {
            "name": person_name(lock.user),
            "since": time_format(timezone.localtime(lock.since), "H:i"),
        },
    }


class EditingAdminMixin:
    """Locks, autosaves and their endpoints for a ModelAdmin of articles."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        extra = [
            path("<id:pk>/lock/", wrap(self.lock_view), name="articles_article_lock"),
            path(
                "<id:pk>/lock/release/",
                wrap(self.lock_release_view),
                name="articles_article_lock_release",
            ),
            path(
                "<id:pk>/lock/take-over/",
                wrap(self.lock_take_over_view),
                name="articles_article_lock_take_over",
            ),
            path("autosave/", wrap(self.autosave_view), name="articles_article_autosave"),
            path(
                "autosave/discard/",
                wrap(self.autosave_discard_view),
                name="articles_article_autosave_discard",
            ),
        ]
        return [*extra, *super().get_urls()]

    # --- Helpers ---------------------------------------------------------------------

    def _article_to_change(self, request, pk) -> Article:
        article = get_object_or_404(Article, pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def _form_article(self, request) -> Article | None:
        """Return the article named by the `article` parameter (empty: a new one)."""
        value = request.POST.get("article", "")
        if not value:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        try:
            return self._article_to_change(request, int(value))
        except ValueError:
            raise Http404("No such article.") from None

    # --- Views -----------------------------------------------------------------------

    def lock_view(self, request, pk):
        """Heartbeat: take or keep the lock; answer who holds it (JSON)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_to_change(request, pk)
        token = request.POST.get("token", "")[:32] or new_token()
        lock = lock_take(article=article, user=request.user, token=token)
        return JsonResponse(lock_state(lock, request.user))

    def lock_release_view(self, request, pk):
        """Release this page's lock (sent by the page as it closes)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_to_change(request, pk)
        lock_release(article=article, user=request.user, token=request.POST.get("token", ""))
        return JsonResponse({"held": False})

    def lock_take_over_view(self, request, pk):
        """A Chief Editor takes the lock from whoever holds it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_to_change(request, pk)
        if not may_publish(request.user):
            raise PermissionDenied
        lock_take(
            article=article,
            user=request.user,
            token=request.POST.get("token", "")[:32] or new_token(),
            force=True,
        )
        messages.success(request, _("You have taken over editing this article."))
        return redirect("admin:articles_article_change", article.pk)

    def autosave_view(self, request):
        """Keep the posted form fields as this editor's autosave (JSON answer)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._form_article(request)
        data = {key: request.POST.getlist(key) for key in request.POST if key != "article"}
        autosave = autosave_store(user=request.user, article=article, data=data)
        return JsonResponse(
            {"saved_at": time_format(timezone.localtime(autosave.saved_at), "H:i:s")}
        )

    def autosave_discard_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._form_article(request)
        autosave_discard(user=request.user, article=article)
        if article is None:
            return redirect("admin:articles_article_add")
        return redirect("admin:articles_article_change", article.pk)

    # --- The form page ---------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if request.method == "GET" and RESTORE_PARAMETER in request.GET:
            autosave = autosave_for(user=request.user, article=obj)
            if autosave is not None:
                restored = restored_initial(form, autosave.data)

                class RestoredForm(form):
                    def __init__(self, *args, **kwargs):
                        kwargs["initial"] = {**(kwargs.get("initial") or {}), **restored}
                        super().__init__(*args, **kwargs)

                RestoredForm.__name__ = form.__name__
                return RestoredForm
        return form

    def editing_context(self, request, article: Article | None) -> dict:
        """Return the change form's lock, autosave and script settings."""
        token = new_token()
        context = {
            "editing_token": token,
            "editing_config": json.dumps(
                {
                    "token": token,
                    "article": article.pk if article else "",
                    "heartbeat": timings()["heartbeat"],
                    "autosaveEvery": timings()["autosave"],
                    "autosaveUrl": reverse("admin:articles_article_autosave"),
                    "lockUrl": reverse("admin:articles_article_lock", args=[article.pk])
                    if article
                    else "",
                    "releaseUrl": reverse("admin:articles_article_lock_release", args=[article.pk])
                    if article
                    else "",
                }
            ),
        }
        if request.method == "GET" and RESTORE_PARAMETER not in request.GET:
            autosave = autosave_for(user=request.user, article=article)
            if autosave is not None:
                context["autosave"] = autosave
        if article is not None:
            lock = lock_take(article=article, user=request.user, token=token)
            context["lock"] = lock_state(lock, request.user)
            context["can_take_over"] = may_publish(request.user)
        return context

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self.editing_context(request, None)}
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pk = parse_number(object_id)
        article = Article.objects.filter(pk=pk).first() if pk is not None else None
        if article is not None and self.has_change_permission(request, article):
            extra_context = {**(extra_context or {}), **self.editing_context(request, article)}
        response = super().change_view(request, object_id, form_url, extra_context)
        if article is not None and request.method == "POST" and response.status_code == 302:
            # Saved, or held for review (whose writes are undone): either way the
            # form's work has left this page, so its autosave and lock go too.
            autosave_discard(user=request.user, article=article)
            lock_release(article=article, user=request.user)
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        autosave_discard(user=request.user, article=obj if change else None)
        lock_release(article=obj, user=request.user)
