"""Editor's Choice: Chief Editors order the front page's hand-picked slots."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from articles.editors_choice import choice_move, choice_place
from articles.models import (
    Article,
    EditorsChoice,
)
from publishing import visibility


class EditorsChoiceForm(visibility.VisibilityCheckedFormMixin, forms.ModelForm):
    """A slot's form: a taken position is not an error, the others move down for it."""

    class Meta:
        model = EditorsChoice
        fields = ["article", "position", "until"]

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "position"}


@admin.register(EditorsChoice)
class EditorsChoiceAdmin(visibility.VisibilityCheckedAdminMixin, admin.ModelAdmin):
    """Chief Editors reorder the list with up/down/top buttons or by typing a position."""

    form = EditorsChoiceForm
    list_display = ["article", "section", "position", "until", "is_live"]
    list_editable = ["position", "until"]
    list_display_links = ["article"]
    list_select_related = ["article__section"]
    autocomplete_fields = ["article"]
    ordering = ["position", "id"]

    def get_list_display(self, request):
        if self.has_change_permission(request):
            return [*self.list_display, "move"]
        return self.list_display

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=EditorsChoiceForm, **kwargs)

    def save_model(self, request, obj, form, change):
        """Place the slot where asked; the slots from there down move one place."""
        if change and "position" not in form.changed_data:
            # Not the position: another row of the same list may have just moved this one.
            obj.save(update_fields=[name for name in form.changed_data if name != "position"])
        else:
            choice_place(slot=obj, position=obj.position)

    def get_urls(self):
        move = path(
            "<int:pk>/move/<str:where>/",
            self.admin_site.admin_view(self.move_view),
            name="articles_editorschoice_move",
        )
        return [move, *super().get_urls()]

    def move_view(self, request, pk, where):
        """Move one slot up, down or to the top (POST), then show the list again."""
        if request.method != "POST" or where not in ("up", "down", "top"):
            raise Http404("Move a slot up, down or to the top.")
        slot = get_object_or_404(EditorsChoice, pk=pk)
        if not self.has_change_permission(request, slot):
            raise PermissionDenied
        choice_move(slot=slot, where=where)
        return redirect("admin:articles_editorschoice_changelist")

    @admin.display(description=_("move"))
    def move(self, slot):
        buttons = [("top", "⤒", _("Move to the top")), ("up", "↑", _("Move up")),
                   ("down", "↓", _("Move down"))]  # fmt: skip
        return format_html_join(
            " ",
            '<button type="submit" class="button desk-move" formmethod="post" formaction="{}" '
            'aria-label="{}" title="{}">{}</button>',
            (
                (reverse("admin:articles_editorschoice_move", args=[slot.pk, where]), label,
                 label, symbol)
                for where, symbol, label in buttons
            ),
        )  # fmt: skip

    def get_queryset(self, request):
        now = timezone.now()
        live_article = Article.objects.published(now).filter(pk=OuterRef("article_id"))
        return (
            super()
            .get_queryset(request)
            .annotate(live=Exists(live_article) & (Q(until__isnull=True) | Q(until__gt=now)))
        )

    @admin.display(description=_("section"), ordering="article__section__name")
    def section(self, slot):
        return slot.article.section

    @admin.display(description=_("on the front page"), boolean=True, ordering="live")
    def is_live(self, slot):
        return slot.live
