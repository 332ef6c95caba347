from django import template
from django.utils.html import format_html

from media.renditions import stored_renditions, widths_for

register = template.Library()


@register.simple_tag
def picture(photo, ratio="original", sizes="100vw", loading="lazy", css_class=""):
    """Render `photo` as a responsive <picture>: WebP with a JPEG fallback.

    Width and height are set so the page does not shift while images load.
    Renditions are never made here (media/renditions.py): until the background
    job has made them, the original file is shown at its own size.
    """
    widths = widths_for(photo)
    webp = stored_renditions(photo, widths, ratio, "webp")
    jpeg = webp and stored_renditions(photo, widths, ratio, "jpg")
    if not jpeg:
        # data-photo names the photo for the CDN's purge keys (cdn/keys.py).
        return format_html(
            '<picture class="{}" data-photo="{}"><img src="{}" width="{}" height="{}" '
            'alt="{}" loading="{}" decoding="async"></picture>',
            css_class,
            photo.pk,
            photo.image.url,
            photo.width,
            photo.height,
            photo.alt_text,
            loading,
        )
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
