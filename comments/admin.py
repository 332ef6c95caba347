from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.models import BlockedTerm, Comment
from comments.services import comment_moderate, commenter_erase
from publishing.desk_dates import desk_date

MODERATE_PERMISSION = "comments.can_moderate"


class StatusFilter(admin.SimpleListFilter):
    """Filter by status; with no choice made, show the pending queue."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, ("all", _("All"))]

    def choices(self, changelist):
        current = self.value() or Comment.Status.PENDING
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or Comment.Status.PENDING
        if value == "all":
            return queryset
        if value not in Comment.Status.values:  # an unknown status matches nothing
            return queryset.none()
        return queryset.filter(status=value)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "commenter",
        "article_title",
        "sent",
        "status_badge",
        "moderate_buttons",
    ]
    list_filter = [StatusFilter, ("article", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article"]
    search_fields = ["name", "email", "text"]
    ordering = ["-submitted_at", "-id"]
    actions = ["approve", "reject", "mark_spam", "erase_commenters"]
    list_per_page = 50
    fields = [
        "article",
        "name",
        "email",
        "text",
        "status",
        "flag_reason",
        "submitted_at",
        "ip_address",
        "moderated_at",
        "moderated_by",
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = [field for field in self.fields if field != "status"]
        if not request.user.has_perm(MODERATE_PERMISSION):
            readonly.append("status")
        return readonly

    def has_add_permission(self, request):
        return False  # comments come from readers

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(MODERATE_PERMISSION):
            for name in ("approve", "reject", "mark_spam"):
                actions.pop(name, None)
        return actions

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            comment_moderate(
                comments=Comment.objects.filter(pk=obj.pk),
                status=obj.status,
                moderator=request.user,
            )
            return
        super().save_model(request, obj, form, change)

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.text).chars(90)

    @admin.display(description=_("name and email"), ordering="name")
    def commenter(self, comment):
        return format_html(
            '{}<br><span class="desk-quiet">{}</span>', comment.display_name, comment.email or "—"
        )

    @admin.display(description=_("submitted and IP"), ordering="submitted_at")
    def sent(self, comment):
        return format_html(
            '{}<br><span class="desk-quiet">{}</span>',
            desk_date(comment.submitted_at, "SHORT_DATETIME_FORMAT"),
            comment.ip_address or "—",
        )

    @admin.display(description=_("article"), ordering="article__title")
    def article_title(self, comment):
        return Truncator(comment.article.title).chars(50)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, comment):
        return format_html(
            '<span class="desk-badge desk-badge--{}">{}</span>',
            comment.status,
            comment.get_status_display(),
        )

    @admin.display(description=_("moderate"))
    def moderate_buttons(self, comment):
        """One-click buttons; they submit the list's own form (with its CSRF token)."""
        choices = [
            (status, label)
            for status, label in [
                (Comment.Status.APPROVED, _("Approve")),
                (Comment.Status.SPAM, _("Spam")),
            ]
            if comment.status != status
        ]
        return format_html_join(
            " ",
            '<button type="submit" class="button desk-moderate desk-moderate--{}" '
            'formmethod="post" formaction="{}">{}</button>',
            (
                (
                    status,
                    reverse("admin:comments_comment_moderate", args=[comment.pk, status]),
                    label,
                )
                for status, label in choices
            ),
        )

    def get_urls(self):
        moderate = path(
            "<id:pk>/moderate/<slug:status>/",
            self.admin_site.admin_view(self.moderate_view),
            name="comments_comment_moderate",
        )
        return [moderate, *super().get_urls()]

    def moderate_view(self, request, pk, status):
        """Set one comment's status from its row's button, then return to the list."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm(MODERATE_PERMISSION):
            raise PermissionDenied
        if status not in Comment.Status.values:
            raise PermissionDenied
        comment = get_object_or_404(Comment, pk=pk)
        comment_moderate(
            comments=Comment.objects.filter(pk=pk), status=status, moderator=request.user
        )
        self.message_user(
            request,
            _("Comment by %(name)s: %(status)s.")
            % {"name": comment.display_name, "status": Comment.Status(status).label},
            messages.SUCCESS,
        )
        back = request.META.get("HTTP_REFERER", "")
        if not back.startswith(request.build_absolute_uri(reverse("admin:index"))):
            back = reverse("admin:comments_comment_changelist")
        return HttpResponseRedirect(back)

    def _moderate(self, request, queryset, status):
        count = comment_moderate(comments=queryset, status=status, moderator=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d comment marked %(status)s.",
                "%(count)d comments marked %(status)s.",
                count,
            )
            % {"count": count, "status": Comment.Status(status).label.lower()},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve selected comments"))
    def approve(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.APPROVED)

    @admin.action(description=_("Reject selected comments"))
    def reject(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.REJECTED)

    @admin.action(description=_("Mark selected comments as spam"))
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, Comment.Status.SPAM)

    @admin.action(
        description=_("Erase ALL comments by these commenters' emails (privacy request)"),
        permissions=["delete"],
    )
    def erase_commenters(self, request, queryset):
        emails = set(queryset.exclude(email="").values_list("email", flat=True))
        erased = sum(commenter_erase(email=email) for email in emails)
        self.message_user(
            request,
            ngettext("%(count)d comment erased.", "%(count)d comments erased.", erased)
            % {"count": erased},
            messages.SUCCESS,
        )


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "note", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]
