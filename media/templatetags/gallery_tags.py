from django import template
from django.utils.html import format_html

from media.models import Film, Map, PhotoGallery
from media.renditions import rendition, widths_for
from media.views import cover_prefetch

register = template.Library()


@register.simple_tag
def picture(photo, ratio="original", sizes="100vw", loading="lazy", css_class=""):
    """Render `photo` as a responsive <picture>: WebP with a JPEG fallback.

    Width and height are set so the page does not shift while images load.
    """
    widths = widths_for(photo)
    webp = [rendition(photo, width, ratio, "webp") for width in widths]
    jpeg = [rendition(photo, width, ratio, "jpg") for width in widths]
    default = jpeg[min(1, len(jpeg) - 1)]
    return format_html(
        '<picture class="{}"><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" '
        'loading="{}" decoding="async">'
        "</picture>",
        css_class,
        ", ".join(f"{r.url} {r.width}w" for r in webp),
        sizes,
        default.url,
        ", ".join(f"{r.url} {r.width}w" for r in jpeg),
        sizes,
        default.width,
        default.height,
        photo.alt_text,
        loading,
    )


@register.inclusion_tag("media/exclusive_teaser.html")
def exclusive_teaser():
    """Render the front page's teaser of the newest Exclusive gallery or film."""
    gallery = (
        PhotoGallery.objects.published()
        .filter(exclusive=True)
        .prefetch_related(cover_prefetch())
        .first()
    )
    film = Film.objects.published().filter(exclusive=True).select_related("poster").first()
    candidates = [item for item in (gallery, film) if item is not None]
    item = max(candidates, key=lambda candidate: candidate.publish_at, default=None)
    if item is gallery and gallery is not None:
        photo = gallery.ordered_items[0].photo if gallery.ordered_items else None
    else:
        photo = film.poster if film else None
    return {"item": item, "photo": photo, "is_film": item is film and film is not None}


@register.inclusion_tag("media/map_teaser.html")
def map_teaser():
    """Render the front page's block promoting the newest map."""
    return {"map": Map.objects.published().select_related("photo").first()}
