import logging
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from PIL import UnidentifiedImageError

from media.forms import (
    FilmAdminForm,
    GalleryPhotoForm,
    GalleryPhotoFormSet,
    PhotoAdminForm,
    PhotoGalleryAdminForm,
    PhotoGalleryListForm,
    ShownPhotosCheckedFormMixin,
)
from media.galleries import gallery_add_photos
from media.models import Film, GalleryPhoto, Map, Photo, PhotoGallery
from media.renditions import rendition
from publishing import sharing, visibility
from publishing.desk_dates import DeskCalendarAdminMixin, desk_date
from publishing.desk_rules import Outcome, decide
from publishing.edition_guard import EditionLinksCheckedFormMixin
from publishing.editions import user_editions
from publishing.models import Publishable

logger = logging.getLogger(__name__)

PICKER_LIMIT = 60


class EditionAdminMixin:
    """An edition's content in the admin, for the editions of the user's desks.

    Lists show only those editions (and filter by edition); the edition select
    offers only them, starting on the first. A form posted without the field
    (scripts, older forms) keeps the model's default edition; the edition guard
    (publishing/edition_guard.py) refuses any write in an edition not the user's,
    and the form says on the field when content still links to a row being moved.
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(language__in=user_editions(request.user))

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = _checked(kwargs.get("form", self.form))
        form = super().get_form(request, obj, change, **kwargs)
        field = form.base_fields.get("language")
        if field is not None:
            editions = user_editions(request.user)
            field.required = False
            field.choices = [(code, name) for code, name in field.choices if code in editions]
            field.initial = editions[0] if editions else None
            # Posted blank, the first of them too: a superuser's blank made a section of
            # no edition, which no edition's pages show.
            field.empty_value = field.initial
        return form

    def get_changelist_form(self, request, **kwargs):
        kwargs["form"] = _checked(kwargs.get("form", forms.ModelForm))
        return super().get_changelist_form(request, **kwargs)

    def has_add_permission(self, request, *args):
        return bool(user_editions(request.user)) and super().has_add_permission(request, *args)


def _checked(base: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """Return `base` with the checks every edition's row's form makes, said on the field
    with what was typed kept: a move to another edition that content still links into
    (publishing/edition_guard.py), a photo readers would be shown without alt text."""
    mixins = [
        mixin
        for mixin in (EditionLinksCheckedFormMixin, ShownPhotosCheckedFormMixin)
        if not issubclass(base, mixin)
    ]
    return type(base.__name__, (*mixins, base), {}) if mixins else base


CALLBACK = re.compile(r"^-?[0-9]{1,9}$")
FILE_MISSING = _("File missing")


def desk_rendition_url(photo, width: int, ratio: str) -> str | None:
    """Return the address of a rendition the desk shows, making it if need be; None when
    the photo's file cannot be read (lost with its storage, a restore without the
    uploads): one such photo made every list showing it answer 500, its own form too,
    so nobody could open it to upload the file again."""
    try:
        return rendition(photo, width, ratio, "jpg").url
    except (OSError, UnidentifiedImageError, ValueError):
        logger.warning("The file of photo %s cannot be read", photo.pk, exc_info=True)
        return None


def thumbnail(photo):
    if not photo or not photo.image:
        return ""
    small = desk_rendition_url(photo, 320, "4:3")
    if small is None:
        return format_html('<span class="desk-thumb desk-thumb--missing">{}</span>', FILE_MISSING)
    return format_html(
        '<img class="desk-thumb desk-thumb--photo" src="{}" alt="" width="80" height="60" '
        'loading="lazy">',
        small,
    )


class VisibilityFilter(admin.SimpleListFilter):
    """Filter any Publishable by what readers get now, which status alone cannot tell."""

    title = _("visibility")
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return list(Publishable.VISIBILITIES.items())

    def queryset(self, request, queryset):
        return queryset.with_visibility(self.value()) if self.value() else queryset


@admin.display(description=_("visibility and publish time"), ordering="publish_at")
def visibility_badge(item: Publishable):
    """Show what readers get now, as a badge, with the publish time under it."""
    when = desk_date(item.publish_at, "SHORT_DATETIME_FORMAT")
    return format_html(
        '<span class="desk-badge desk-badge--{}">{}</span>'
        '<span class="desk-when desk-quiet">{}</span>',
        str(item.visibility).lower().replace(" ", "-"),
        item.visibility,
        when or "—",
    )


@admin.register(Photo)
class PhotoAdmin(DeskCalendarAdminMixin, admin.ModelAdmin):
    """The photo library: everything that shows an image picks it from here."""

    form = PhotoAdminForm
    list_display = ["preview", "title", "credit", "size", "uploaded_at"]
    list_display_links = ["preview", "title"]
    search_fields = ["title", "caption", "credit", "alt_text"]
    list_filter = ["uploaded_at", "credit"]
    date_hierarchy = "uploaded_at"
    fields = [
        *["image", "focal_picker", "title", "alt_text", "caption", "credit"],
        ("focal_x", "focal_y"),
    ]
    readonly_fields = ["focal_picker"]

    class Media:
        js = ["admin_desk/focal_point.js"]

    @admin.display(description=_("preview and focal point"))
    def focal_picker(self, photo):
        """The stored image, to click where every crop should keep (new photos: after saving)."""
        if not photo.pk or not photo.image:
            return _("Shown here once the photo is saved.")
        preview = desk_rendition_url(photo, min(960, photo.width), "original")
        if preview is None:
            return _("The photo's file is missing: choose it again above and save.")
        return format_html(
            '<div class="desk-focal" data-focal><img src="{}" alt="" width="{}" height="{}">'
            '<span class="desk-focal__dot"></span></div>'
            '<div class="help">{}</div>',
            preview,
            min(960, photo.width),
            round(photo.height * min(960, photo.width) / photo.width),
            _("Click the part of the picture that every crop must keep."),
        )

    def has_change_permission(self, request, obj=None):
        """Shown read-only to whoever may not change what readers of its editions see of it."""
        if obj is not None and sharing.editions_refused(obj, request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and sharing.editions_refused(obj, request.user):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        photo = self.get_object(request, object_id) if request.method == "GET" else None
        refused = sharing.editions_refused(photo, request.user) if photo else set()
        if refused:
            messages.warning(
                request,
                _(
                    "Published content in the %(editions)s edition shows this photo: only a "
                    "Chief Editor of that desk may change what readers see of it. To show "
                    "another picture, upload a new photo and pick it instead."
                )
                % {"editions": sharing.edition_names(refused)},
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        picker = path(
            "picker/", self.admin_site.admin_view(self.picker_view), name="media_photo_picker"
        )
        return [picker, *super().get_urls()]

    def picker_view(self, request):
        """A window the rich-text editor opens to insert a photo from the library.

        It speaks the editor's picker protocol: the chosen photo's address, id,
        alt text and caption go back through window.opener. Photos without alt text
        are listed as not insertable, with a link to write it.
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        callback = request.GET.get("CKEditorFuncNum", "")
        if not CALLBACK.match(callback):  # the editor numbers its callbacks -1, -2, ...
            raise Http404("Open the picker from the editor.")
        query = request.GET.get("q", "").strip()[:100]
        photos = Photo.objects.all()
        if query:
            photos = photos.filter(Q(title__icontains=query) | Q(caption__icontains=query))
        # A photo without alt text is shown but not offered (it would reach readers with
        # an empty alt): its thumbnail says so and leads to where it is written.
        choices = [
            {
                "photo": photo,
                "described": bool(photo.alt_text.strip()),
                "thumbnail": desk_rendition_url(photo, 320, "4:3"),
                "url": desk_rendition_url(photo, min(1024, photo.width), "original"),
            }
            for photo in photos[:PICKER_LIMIT]
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Insert a photo"),
            "choices": choices,
            "callback": callback,
            "query": query,
            "is_popup": True,
        }
        return TemplateResponse(request, "admin/media/photo/picker.html", context)

    @admin.display(description="")
    def preview(self, photo):
        return thumbnail(photo)

    @admin.display(description=_("pixels"))
    def size(self, photo):
        return f"{photo.width} × {photo.height}"


class GalleryPhotoInline(admin.TabularInline):
    """The gallery's grid: each photo's place, its alt text and its caption here."""

    model = GalleryPhoto
    form = GalleryPhotoForm
    formset = GalleryPhotoFormSet
    autocomplete_fields = ["photo"]
    fields = ["photo", "alt_text", "position", "caption"]
    extra = 3

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo")  # the alt text boxes

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user  # a class made for this request: whose change it is
        return formset

    def get_fields(self, request, obj=None):
        """Alt text is the library photo's: offered to those who may change photos."""
        if self.admin_site._registry[Photo].has_change_permission(request):
            return self.fields
        return [name for name in self.fields if name != "alt_text"]


class PublishableAdmin(
    DeskCalendarAdminMixin,
    EditionAdminMixin,
    visibility.VisibilityCheckedAdminMixin,
    admin.ModelAdmin,
):
    list_display = ["title", "language", "status", visibility_badge, "exclusive"]
    list_filter = [VisibilityFilter, "language", "exclusive"]
    list_editable = ["status", "exclusive"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "publish_at"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Tell whoever may not change a live item so, before they type (the table's rule)."""
        item = self.get_object(request, object_id) if request.method == "GET" else None
        label = self.model._meta.label_lower
        if item is not None and decide(request.user, label, "change", item) is Outcome.DENY:
            messages.warning(request, visibility.live_item_message(self.model))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_changelist(self, request, **kwargs):
        """Status and Exclusive are publishing: Chief Editors edit them in the list, others read."""
        if visibility.may_publish(request.user):
            return super().get_changelist(request, **kwargs)
        return ListWithoutEditing


class ListWithoutEditing(ChangeList):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.list_editable = ()


@admin.register(PhotoGallery)
class PhotoGalleryAdmin(PublishableAdmin):
    form = PhotoGalleryAdminForm
    inlines = [GalleryPhotoInline]

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, **{"form": PhotoGalleryListForm, **kwargs})

    def get_fields(self, request, obj=None):
        """The Add photos box is offered to those who may add photos to the library."""
        fields = super().get_fields(request, obj)
        if self.may_add_photos(request):
            return fields
        return [name for name in fields if name != "add_photos"]

    def may_add_photos(self, request) -> bool:
        return self.admin_site._registry[Photo].has_add_permission(request)

    def save_related(self, request, form, formsets, change):
        """Save the grid, then append the uploaded photos after its rows and say what happened."""
        super().save_related(request, form, formsets, change)
        batch = form.cleaned_data.get("add_photos")
        if not batch or not self.may_add_photos(request):
            return
        for name, reason in batch.refused:
            messages.error(
                request,
                _("“%(name)s” was not added: %(reason)s") % {"name": name, "reason": reason},
            )
        if batch.accepted:
            added = gallery_add_photos(gallery=form.instance, uploads=batch.accepted)
            messages.success(
                request,
                ngettext(
                    "%(count)d photo added at the end of the gallery: write its alt text below "
                    "before publishing.",
                    "%(count)d photos added at the end of the gallery: write their alt text "
                    "below before publishing.",
                    len(added),
                )
                % {"count": len(added)},
            )
        request.gallery_photos_uploaded = True

    def render_change_form(self, request, context, *args, **kwargs):
        form = context["adminform"].form
        if request.method == "POST" and form.is_bound:  # shown again: something was refused
            form.ask_for_the_files_again()
        return super().render_change_form(request, context, *args, **kwargs)

    def response_add(self, request, obj, post_url_continue=None):
        return self._back_to_the_grid(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._back_to_the_grid(request, obj) or super().response_change(request, obj)

    def _back_to_the_grid(self, request, obj):
        """After an upload the next step is the grid's alt text: open the gallery again."""
        if getattr(request, "gallery_photos_uploaded", False) and "_popup" not in request.POST:
            return HttpResponseRedirect(reverse("admin:media_photogallery_change", args=[obj.pk]))
        return None


@admin.register(Film)
class FilmAdmin(PublishableAdmin):
    form = FilmAdminForm
    autocomplete_fields = ["poster"]
    list_select_related = ["poster"]
    fieldsets = [
        (None, {"fields": ["language", "title", "slug", "description", "poster"]}),
        (
            _("Video: a file, or an embed from an allowed host"),
            {"fields": ["video", ("embed_host", "embed_id"), "duration"]},
        ),
        (_("Publishing"), {"fields": ["status", "publish_at", "unpublish_at", "exclusive"]}),
    ]


@admin.register(Map)
class MapAdmin(PublishableAdmin):
    list_display = ["title", "language", "status", visibility_badge]
    list_editable = ["status"]
    list_filter = [VisibilityFilter, "language"]
    autocomplete_fields = ["photo"]
    fields = [
        "language",
        "title",
        "slug",
        "description",
        "photo",
        "status",
        "publish_at",
        "unpublish_at",
    ]
