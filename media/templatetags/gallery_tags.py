from django import template
from django.utils.html import format_html

from media.models import Film, Map, PhotoGallery
from media.renditions import renditions, widths_for

register = template.Library()


@register.simple_tag
def picture(photo, ratio="original", sizes="100vw", loading="lazy", css_class=""):
    """Render `photo` as a responsive <picture>: WebP with a JPEG fallback.

    Width and height are set so the page does not shift while images load.
    """
    widths = widths_for(photo)
    webp = renditions(photo, widths, ratio, "webp")
    jpeg = renditions(photo, widths, ratio, "jpg")
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
    newest = [
        PhotoGallery.objects.published().filter(exclusive=True).with_photos().first(),
        Film.objects.published().filter(exclusive=True).select_related("poster").first(),
    ]
    item = max(filter(None, newest), key=lambda candidate: candidate.publish_at, default=None)
    return {"item": item, "is_film": isinstance(item, Film)}


@register.inclusion_tag("media/map_teaser.html")
def map_teaser():
    """Render the front page's block promoting the newest map."""
    return {"map": Map.objects.published().select_related("photo").first()}
