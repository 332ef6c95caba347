from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from media.models import Film, GalleryPhoto, Map, Photo, PhotoGallery
from media.renditions import rendition


def thumbnail(photo):
    if not photo or not photo.image:
        return ""
    small = rendition(photo, 320, "4:3", "jpg")
    return format_html(
        '<img class="desk-thumb desk-thumb--photo" src="{}" alt="" width="80" height="60" '
        'loading="lazy">',
        small.url,
    )


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    """The photo library: everything that shows an image picks it from here."""

    list_display = ["preview", "title", "credit", "size", "uploaded_at"]
    list_display_links = ["preview", "title"]
    search_fields = ["title", "caption", "credit", "alt_text"]
    list_filter = ["uploaded_at", "credit"]
    date_hierarchy = "uploaded_at"
    fields = ["image", "title", "alt_text", "caption", "credit", ("focal_x", "focal_y")]

    @admin.display(description="")
    def preview(self, photo):
        return thumbnail(photo)

    @admin.display(description=_("pixels"))
    def size(self, photo):
        return f"{photo.width} × {photo.height}"


class GalleryPhotoInline(admin.TabularInline):
    model = GalleryPhoto
    autocomplete_fields = ["photo"]
    fields = ["photo", "position", "caption"]
    extra = 3


class PublishableAdmin(admin.ModelAdmin):
    list_display = ["title", "is_published", "publish_at", "exclusive"]
    list_filter = ["is_published", "exclusive"]
    list_editable = ["is_published", "exclusive"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "publish_at"


@admin.register(PhotoGallery)
class PhotoGalleryAdmin(PublishableAdmin):
    inlines = [GalleryPhotoInline]


@admin.register(Film)
class FilmAdmin(PublishableAdmin):
    autocomplete_fields = ["poster"]
    list_select_related = ["poster"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "poster"]}),
        (
            _("Video: a file, or an embed from an allowed host"),
            {"fields": ["video", ("embed_host", "embed_id")]},
        ),
        (_("Publishing"), {"fields": ["is_published", "publish_at", "exclusive"]}),
    ]


@admin.register(Map)
class MapAdmin(PublishableAdmin):
    list_display = ["title", "is_published", "publish_at"]
    list_editable = ["is_published"]
    list_filter = ["is_published"]
    autocomplete_fields = ["photo"]
    fields = ["title", "slug", "description", "photo", "is_published", "publish_at"]
