"""Editor's Choice: Chief Editors order their edition's front page's hand-picked slots.

Each desk sees and orders only its editions' slots (a superuser sees all, with an
edition filter): every button and drop it is offered works, none answers 403.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AdminIntegerFieldWidget
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles.editors_choice import choice_move, choice_place, choice_place_beside
from articles.models import (
    Article,
    EditorsChoice,
)
from media.admin import EditionAdminMixin
from publishing import visibility
from publishing.desk_dates import DeskCalendarAdminMixin
from publishing.editions import user_editions
from web.numbers import parse_number


class EditorsChoiceForm(visibility.VisibilityCheckedFormMixin, forms.ModelForm):
    """A slot's form: a taken position is not an error, the others move down for it."""

    class Meta:
        model = EditorsChoice
        fields = ["article", "position", "until"]

    def _get_validation_exclusions(self):
        return {*super()._get_validation_exclusions(), "position"}


class EditorsChoiceListForm(EditorsChoiceForm):
    """A row of the list. Its place counts as changed against the place the editor was
    shown, not the stored one: the list posts every row, and saving it put back what
    another chief had dragged since (the stored place differed from the one posted)."""

    position = EditorsChoice._meta.get_field("position").formfield(
        show_hidden_initial=True, widget=AdminIntegerFieldWidget
    )


@admin.register(EditorsChoice)
class EditorsChoiceAdmin(
    DeskCalendarAdminMixin,
    EditionAdminMixin,
    visibility.VisibilityCheckedAdminMixin,
    admin.ModelAdmin,
):
    """Chief Editors reorder their edition's list by dragging a row, with up/down/top
    buttons (for keyboards) or by typing a position."""

    form = EditorsChoiceForm
    list_display = ["article", "section", "position", "until", "is_live"]
    list_editable = ["position", "until"]
    list_display_links = ["article"]
    list_select_related = ["article__section"]
    autocomplete_fields = ["article"]
    ordering = ["language", "position", "id"]

    class Media:
        # SortableJS (npm, vendored by `make vendor-js`): drag and drop by mouse and touch.
        js = ["admin_desk/vendor/sortable.min.js", "admin_desk/editors_choice.js"]

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if len(self._editions(request)) > 1:
            columns.insert(1, "language")
        if self.has_change_permission(request):
            # The buttons beside the title: on a phone they are in view without scrolling.
            columns = ["drag", columns[0], "move", *columns[1:]]
        return columns

    def get_list_filter(self, request):
        return ["language"] if len(self._editions(request)) > 1 else []

    @staticmethod
    def _editions(request) -> list[str]:
        if request.user.is_superuser:
            return [code for code, _name in settings.LANGUAGES]
        return user_editions(request.user)

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=EditorsChoiceListForm, **kwargs)

    def save_model(self, request, obj, form, change):
        """Place the slot where asked; the slots from there down move one place."""
        if change and not {"position", "article"} & set(form.changed_data):
            # Not the position: another row of the same list may have just moved this one.
            # Another story may be another edition's: placed, so the old list closes up.
            obj.save(update_fields=[name for name in form.changed_data if name != "position"])
        else:
            choice_place(slot=obj, position=obj.position)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        extra = [
            path(
                "<id:pk>/move/<str:where>/",
                wrap(self.move_view),
                name="articles_editorschoice_move",
            ),
            path("<id:pk>/place/", wrap(self.place_view), name="articles_editorschoice_place"),
        ]
        return [*extra, *super().get_urls()]

    def _slot_to_move(self, request, pk) -> EditorsChoice:
        """Return a slot of the user's editions they may change (another desk's: 404)."""
        slot = get_object_or_404(self.get_queryset(request).select_related("article"), pk=pk)
        if not self.has_change_permission(request, slot):
            raise PermissionDenied
        return slot

    def move_view(self, request, pk, where):
        """Move one slot up, down or to the top (POST), then show the list again."""
        if request.method != "POST" or where not in ("up", "down", "top"):
            raise Http404("Move a slot up, down or to the top.")
        choice_move(slot=self._slot_to_move(request, pk), where=where)
        return redirect("admin:articles_editorschoice_changelist")

    def place_view(self, request, pk):
        """Drop one slot after the slot `after` or before `before` (POST, from a drag).

        Answers the edition's positions as JSON ({"positions": {id: position}}), for
        the page to show the new numbers without reloading what the editor typed.
        """
        if request.method != "POST":
            raise Http404("Drop a slot with a POST.")
        slot = self._slot_to_move(request, pk)
        edition = self.get_queryset(request).filter(language=slot.language)

        def neighbour(name):
            pk = parse_number(request.POST.get(name, ""))
            return edition.filter(pk=pk).first() if pk is not None else None

        after, before = neighbour("after"), neighbour("before")
        if after is None and before is None:
            message = _("Drop the slot beside another slot of its edition.")
            return JsonResponse({"error": str(message)}, status=400)
        choice_place_beside(slot=slot, after=after, before=before)
        positions = dict(edition.values_list("pk", "position"))
        message = _("“%(title)s” is now number %(position)s of %(edition)s Editor's Choice.") % {
            "title": slot.article.title,
            "position": positions[slot.pk],
            "edition": slot.get_language_display(),
        }
        return JsonResponse(
            {"positions": {str(pk): number for pk, number in positions.items()}, "message": message}
        )

    @admin.display(description="")
    def drag(self, slot):
        """The handle a row is dragged by (admin_desk/editors_choice.js); buttons do the same."""
        return format_html(
            '<span class="desk-drag" data-slot="{}" data-edition="{}" data-place="{}" '
            'title="{}" aria-hidden="true">⠿</span>',
            slot.pk,
            slot.language,
            reverse("admin:articles_editorschoice_place", args=[slot.pk]),
            _("Drag to reorder"),
        )

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
