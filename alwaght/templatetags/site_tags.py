from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from alwaght.blocks import cached_blocks_html

register = template.Library()


@register.simple_tag
def side_blocks():
    """Render the site-wide blocks for the side of an article page, cached per change.

    Rendered without the request: the fragment is shared by every reader.
    """
    html = cached_blocks_html(
        get_language(), lambda blocks: render_to_string("includes/blocks/aside.html", blocks)
    )
    return mark_safe(html)  # noqa: S308 - our own template rendered it, escaping as usual
