"""The article admin: list, form with its inlines, history, restores, compare, actions."""

from contextlib import nullcontext

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Exists, JSONField, OuterRef, Q, Subquery, When
from django.db.models.functions import Cast
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin
from reversion.models import Version
from reversion.revisions import set_comment
from reversion.utils import mute_signals
from taggit.managers import TaggableManager
from taggit.models import Tag

from articles.admin.counterparts import CounterpartPickerMixin, unlink_control
from articles.admin.editing import EditingAdminMixin
from articles.admin.forms import ArticleAdminForm
from articles.admin.internal_notes import InternalNotesAdminMixin
from articles.admin.review import ReviewedEditsMixin, pending_change_link
from articles.admin.search import FullTextSearchMixin
from articles.admin.workflow import WorkflowAdminMixin
from articles.corrections import notes_locked
from articles.counterparts import article_counterparts_link
from articles.editors_choice import choice_add_at_end
from articles.models import (
    Article,
    ArticleNote,
    EditorsChoice,
    PendingChange,
    RelatedArticle,
    Takedown,
)
from articles.revisions import article_versions_of, compare, restore_article
from articles.services import (
    article_images_problem,
    article_publish,
    article_takedown_record,
    article_unpublish,
)
from articles.widgets import TagSuggestWidget
from media.admin import EditionAdminMixin, VisibilityFilter, visibility_badge
from media.admin import thumbnail as photo_thumbnail
from publishing import visibility
from publishing.desk_dates import desk_date
from publishing.edition_guard import edition_link_problems
from publishing.editions import user_editions
from web.csp import MediaNonceMixin
from web.people import person_name

TAG_SUGGESTIONS = 10


def saved_by(version) -> str:
    """Return who saved `version`, or a dash for a save with no user (the demo loader,
    a script): the compare page once answered 500 for those."""
    return person_name(version.revision.user) or "—"


class _ShownOnly(Exception):
    """Undo a restore that was only shown (a GET, or a form with errors)."""

    def __init__(self, response):
        self.response = response


class RelatedArticleForm(forms.ModelForm):
    """A Related Content row, checked with the article it belongs to.

    Django leaves the parent's key out of an inline row's checks, so the
    database's rules on it (not itself, not twice) would fail as a 500; with the
    key known, they come back as the constraints' messages.
    """

    def _post_clean(self):
        super()._post_clean()
        if not self.instance.article_id or self.has_error("related"):
            return
        try:
            self.instance.validate_constraints(
                exclude=self._get_validation_exclusions() - {"article", "related"}
            )
        except ValidationError as error:
            self._update_errors(error)


class RelatedArticleFormSet(forms.BaseInlineFormSet):
    """Related Content rows, each a story of the article's own edition.

    Checked here, where the article is known even before it is first saved; the
    guard (publishing/edition_guard.py) refuses the same rows on every other path.
    """

    def clean(self):
        super().clean()
        for form in self.forms:
            if not getattr(form, "cleaned_data", None):
                continue  # an empty extra row, or one with errors of its own
            form.instance.article = self.instance  # the form as it would save it
            for name, message in edition_link_problems(form.instance).items():
                form.add_error(name, message)


class RelatedArticleInline(admin.TabularInline):
    """Related Content picked by hand, in order; the page tops it up automatically."""

    model = RelatedArticle
    form = RelatedArticleForm
    formset = RelatedArticleFormSet
    fk_name = "article"
    autocomplete_fields = ["related"]
    fields = ["related", "position"]
    extra = 1
    verbose_name = _("related article")
    verbose_name_plural = _("Related Content picked by hand (topped up automatically to five)")


class ArticleNoteInline(admin.TabularInline):
    """Dated corrections and updates, shown to readers at the article's foot.

    Append-only once the article is published (articles/corrections.py): its rows
    are then shown read-only, and new ones can still be added.
    """

    model = ArticleNote
    fields = ["kind", "noted_at", "text"]
    extra = 0

    def has_change_permission(self, request, obj=None):
        locked = obj is not None and notes_locked(obj.pk)
        return not locked and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        locked = obj is not None and notes_locked(obj.pk)
        return not locked and super().has_delete_permission(request, obj)


class CreatedByFilter(admin.RelatedOnlyFieldListFilter):
    """Filter by the desk account that created the article (not the byline's Author)."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = _("created by")


@admin.register(Article)
class ArticleAdmin(
    FullTextSearchMixin,
    WorkflowAdminMixin,
    InternalNotesAdminMixin,
    CounterpartPickerMixin,
    EditingAdminMixin,
    EditionAdminMixin,
    ReviewedEditsMixin,
    MediaNonceMixin,
    VersionAdmin,
):
    form = ArticleAdminForm
    list_display = [
        "thumbnail",
        "title",
        "section",
        visibility_badge,
        pending_change_link,
        "in_editors_choice",
    ]
    list_display_links = ["title"]
    list_filter = [
        *[VisibilityFilter, "status", "section", "language"],
        ("created_by", CreatedByFilter),
    ]
    list_select_related = ["section", "photo"]
    # Tags and authors too; Django adds DISTINCT for the many-valued tag join. The
    # body's words come from the search vector (articles/admin/search.py).
    search_fields = [
        *["title", "lead", "byline", "author__name", "tags__name"],
        *["created_by__username", "created_by__first_name", "created_by__last_name"],
    ]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section", "author", "topics", "photo", "social_photo"]
    inlines = [RelatedArticleInline, ArticleNoteInline]
    formfield_overrides = {TaggableManager: {"widget": TagSuggestWidget}}
    actions = ["add_to_editors_choice", "publish", "unpublish"]
    list_per_page = 50
    # A filtered list says "12 results (Show all)", not "12 results (300,000 total)":
    # the total is a second count of every article of the desk's editions on each
    # filtered view (an index-only read of all of them: 13-49 ms at 300k, growing
    # with the archive, 0.3 s without an index), for a number no one acts on.
    show_full_result_count = False
    history_latest_first = True
    object_history_template = "admin/articles/article/object_history.html"
    change_form_template = "admin/articles/article/change_form.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    *["title", "slug", "section", "lead", "body", ("author", "byline")],
                    *["loaded_at", "conflict_seen_at"],
                ]
            },
        ),
        (_("Subjects"), {"fields": ["topics", "tags"]}),
        (_("Main image"), {"fields": ["photo"]}),
        (
            _("Search and social"),
            {"fields": ["seo_title", "meta_description", "social_photo"], "classes": ["collapse"]},
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "visibility_now",
                    "status",
                    "publish_at",
                    "unpublish_at",
                    "takedown_reason",
                    "takedown_history",
                    "language",
                    "comments_open",
                ]
            },
        ),
        (_("Other editions"), {"fields": ["counterparts", "counterpart"]}),
        (_("Authors"), {"fields": ["created_by", "created_at", "updated_by", "updated_at"]}),
    ]
    readonly_fields = [
        "visibility_now",
        "takedown_history",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "counterparts",
    ]

    @admin.display(description=_("Counterparts"))
    def counterparts(self, article):
        """List the articles linked as this one's counterparts in other editions."""
        if not article.translation_group:
            return "—"
        others = list(
            Article.objects.filter(translation_group=article.translation_group).exclude(
                pk=article.pk
            )
        )
        if not others:
            return "—"
        # Each title in its own edition's language and direction (a Persian title in
        # the English desk, or an English one in the Arabic desk, kept whole), then its
        # edition in the desk's words.
        links = format_html_join(
            ", ",
            '<a href="{}" lang="{}" dir="{}">{}</a> ({})',
            (
                (
                    reverse("admin:articles_article_change", args=[other.pk]),
                    other.language,
                    "rtl" if other.is_right_to_left else "ltr",
                    other.title,
                    other.get_language_display(),
                )
                for other in others
            ),
        )
        return format_html("{}{}", links, unlink_control(article))  # Unlink, if offered

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if getattr(form, "takes_down", False):
            article_takedown_record(
                article=obj, user=request.user, reason=form.cleaned_data["takedown_reason"]
            )
        counterpart = form.cleaned_data.get("counterpart")
        # A held save's link waits in the change (articles/admin/review.py) until published.
        if counterpart is not None and not getattr(request, "holding", False):
            # Checked again here, on the write path, as the form checked it.
            article_counterparts_link(article=obj, counterpart=counterpart, user=request.user)

    def delete_view(self, request, object_id, extra_context=None):
        """A live article is taken down first, with a reason kept on the desk (readers then
        get 410 Gone, not a bare 404): deleting it outright would leave no record."""
        article = self.get_object(request, unquote(object_id))
        if article is not None and article.is_live:
            self.message_user(
                request,
                _(
                    "This article is on the site: take it down first (unpublish it and say "
                    "why), then delete it if it should go altogether."
                ),
                messages.ERROR,
            )
            return redirect("admin:articles_article_change", article.pk)
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one by one, each live one taken down first
        return actions

    def view_on_site(self, article):
        """Published articles open on the site; others open in the staff preview."""
        if article.is_live:
            return article.get_absolute_url()
        return reverse("articles:preview", kwargs={"pk": article.pk})

    def get_urls(self):
        extra = [
            path(
                "tag-suggestions/",
                self.admin_site.admin_view(self.tag_suggestions),
                name="articles_article_tag_suggestions",
            ),
            path(
                "<id:pk>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
        ]
        return [*extra, *super().get_urls()]

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

    def history_view(self, request, object_id, extra_context=None):
        """Reversion's history, plus the versions to pick from for a comparison."""
        versions = article_versions_of(object_id).select_related("revision__user").order_by("-pk")
        return super().history_view(
            request, object_id, {**(extra_context or {}), "versions": versions}
        )

    def compare_view(self, request, pk):
        """Show what changed between two saved versions (?old=<id>&new=<id>)."""
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        try:
            old = versions.get(pk=int(request.GET.get("old", "")))
            new = versions.get(pk=int(request.GET.get("new", "")))
        except (ValueError, Version.DoesNotExist):
            raise Http404("Choose two versions of this article to compare.") from None
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Compare versions of “%s”") % article.title,
            "old": old,
            "new": new,
            "changes": compare(old, new),
            "old_by": saved_by(old),
            "new_by": saved_by(new),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def get_queryset(self, request):
        slot = (
            EditorsChoice.objects.filter(article=OuterRef("pk"))
            .filter(Q(until__isnull=True) | Q(until__gt=timezone.now()))
            .values("position")[:1]
        )
        # Subqueries, not joins: the list's count() can then drop them.
        return (
            super()
            .get_queryset(request)
            .annotate(
                choice_position=Subquery(slot),
                has_pending_change=Exists(
                    PendingChange.objects.awaiting_review().filter(article=OuterRef("pk"))
                ),
            )
        )

    @admin.display(description=_("Now"))
    def visibility_now(self, article):
        """What readers get now; the buttons below the form change it (articles/workflow.py)."""
        if article is None or article.pk is None:
            return _("New, not saved yet")
        return article.visibility

    @admin.display(description=_("taken down before"))
    def takedown_history(self, article):
        """Each takedown: when, by whom, why (recorded by the service, never edited)."""
        # By id: a deleted and recovered article comes back under the same one.
        takedowns = Takedown.objects.filter(article_number=article.pk).select_related(
            "taken_down_by"
        )
        return (
            format_html_join(
                "",
                "<p>{} · {}: {}</p>",
                (
                    (
                        desk_date(t.taken_down_at, "SHORT_DATETIME_FORMAT"),
                        t.taken_down_by or _("someone"),
                        t.reason,
                    )
                    for t in takedowns
                ),
            )
            or "—"
        )

    @admin.display(description="")
    def thumbnail(self, article):
        return photo_thumbnail(article.photo)

    @admin.display(description=_("Editor's Choice"), ordering="choice_position")
    def in_editors_choice(self, article):
        if article.choice_position is None:
            return ""
        return format_html('<span class="desk-choice">★ {}</span>', article.choice_position)

    def has_publish_permission(self, request):
        return visibility.may_publish(request.user)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is not None:
            visibility.apply_kept_visibility(article)  # see revision_view
        return article

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restore an old version of this article: its text, never its visibility.

        The version must be this article's own (not a tag link's, a note's or another
        article's that happens to carry the same id). The status and schedule stay as
        they are now, for everyone: restoring a version saved as a draft does not take a
        live story down (a Chief Editor takes it down, or reschedules it, with the form's
        buttons). Corrections and picks added since stay (articles/revisions.py).
        """
        version = get_object_or_404(article_versions_of(object_id), pk=version_id)
        with visibility.restoring(Article, object_id, keep=True) as before:
            if before and request.method == "GET":
                message = str(
                    _(
                        "Restoring brings back this version's text, tags, topics and Related "
                        "Content; the article stays as it is now (%(visibility)s). Corrections "
                        "and updates are never removed, and picks added since stay until you "
                        "remove them below."
                    )
                )
                shown = ("status", "publish_at", "unpublish_at")
                now = Article(**{name: before[name] for name in shown})
                then = Article(**{name: version.field_dict.get(name) for name in shown})
                if then.visibility_key != now.visibility_key:
                    message += " " + str(
                        _(
                            "This version was saved as %(then)s: use the buttons below to "
                            "change that too, if you mean to."
                        )
                    ) % {"then": then.visibility}
                messages.info(request, message % {"visibility": now.visibility})
            return super().revision_view(request, object_id, version_id, extra_context)

    # Deleted articles come back only through a Chief Editor of their desk: the rules
    # table's row ("articles.article", "recover"), checked before these views run.

    def _reversion_order_version_queryset(self, request, queryset):
        """Versions of the desk's editions only: the recover list named every desk's deleted
        stories (the version's own row, as serialized, says its edition)."""
        queryset = super()._reversion_order_version_queryset(request, queryset)
        if request.user.is_superuser:
            return queryset
        return queryset.annotate(row=Cast("serialized_data", JSONField())).filter(
            row__0__fields__language__in=user_editions(request.user)
        )

    def recover_view(self, request, version_id, extra_context=None):
        # A deleted article's version only: not a tag link's or a note's.
        get_object_or_404(Version.objects.get_deleted(Article), pk=version_id)
        return super().recover_view(request, version_id, extra_context)

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        """Show or save the form of an article as `version` holds it: reversion's view, scoped.

        This replaces django-reversion's method of the same name (6.x), which
        writes back the whole revision (`version.revision.revert(delete=True)`):
        every article a bulk action saved with this one, and the rows of any object
        whose version a crafted address named. `restore_article` writes back this
        article and its own tags, Related Content and notes only. A GET shows the
        restored form and undoes everything; a POST that saves keeps it, as a new
        revision (articles/admin/review.py holds it for review when it must).
        """
        if version.content_type.model_class() is not Article:
            raise Http404("Only an article's own versions are restored here.")
        muted = (pre_save, post_save, pre_delete, post_delete, m2m_changed)
        quiet = mute_signals(*muted) if request.method == "GET" else nullcontext()
        try:
            with transaction.atomic(using=version.db), quiet:
                restore_article(version)
                with self.create_revision(request):
                    response = self.changeform_view(
                        request, quote(version.object_id), request.path, extra_context
                    )
                    if request.method == "POST" and response.status_code == 302:
                        when = desk_date(version.revision.date_created)
                        set_comment(
                            _("Reverted to previous version, saved on %(datetime)s")
                            % {"datetime": when}
                        )
                    elif response.status_code == 200:
                        response.template_name = template_name
                        response.render()  # with the restored rows, before they are undone
                        raise _ShownOnly(response)
        except _ShownOnly as shown:
            return shown.response
        return response

    @admin.action(description=_("Publish selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        """Publish what a Chief Editor has read: an article someone who may not publish
        saved last is left out, to be read and published from its own form."""
        waiting = queryset.exclude(status=Article.Status.PUBLISHED).select_related(
            "updated_by", "photo", "social_photo"
        )
        publishes = {}  # per person and edition: their permissions are read once, not per row
        unread, undescribed = [], []
        for article in waiting:
            problem = article_images_problem(article)
            if problem:
                undescribed.append((article, problem))
                continue
            key = (article.updated_by_id, article.language)
            if article.updated_by and key not in publishes:
                publishes[key] = visibility.may_publish(article.updated_by, article)
            if article.updated_by and not publishes[key]:
                unread.append(article)
        left_out = [article.pk for article in unread]
        left_out += [article.pk for article, _problem in undescribed]
        count = article_publish(articles=queryset.exclude(pk__in=left_out), user=request.user)
        self.message_user(
            request,
            ngettext("%d article published.", "%d articles published.", count) % count,
            messages.SUCCESS,
        )
        if unread:
            self.message_user(
                request,
                _(
                    "Not published, as an Editor changed them last; open each to read and "
                    "publish it: %s"
                )
                % ", ".join(f"“{article.title}”" for article in unread),
                messages.WARNING,
            )
        for article, problem in undescribed:
            self.message_user(
                request,
                _("“%(title)s” was not published: %(problem)s")
                % {"title": article.isolated_title, "problem": problem},
                messages.WARNING,
            )

    @admin.action(description=_("Take down selected articles…"), permissions=["publish"])
    def unpublish(self, request, queryset):
        """Ask why, then unpublish: readers of a taken-down article get 410 Gone."""
        reason = request.POST.get("takedown_reason", "").strip()
        if "confirm" in request.POST and reason:
            count = article_unpublish(articles=queryset, user=request.user, reason=reason)
            self.message_user(
                request,
                ngettext("%d article taken down.", "%d articles taken down.", count) % count,
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Take down articles"),
            "articles": queryset.filter(status=Article.Status.PUBLISHED),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "reason": reason,
            "missing_reason": "confirm" in request.POST,
        }
        return TemplateResponse(request, "admin/articles/article/take_down.html", context)

    @admin.action(
        description=_("Add to the end of Editor's Choice"), permissions=["change_editors_choice"]
    )
    def add_to_editors_choice(self, request, queryset):
        new = queryset.exclude(Exists(EditorsChoice.objects.filter(article=OuterRef("pk"))))
        # One save each (not bulk_create): the publishing guard sees every slot. Each
        # goes to the end of its own edition's list.
        slots = [choice_add_at_end(article=article) for article in new.order_by("-publish_at")]
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

    def has_change_editors_choice_permission(self, request):
        return request.user.has_perm("articles.add_editorschoice")
