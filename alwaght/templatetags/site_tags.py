import re
from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from alwaght.blocks import RAIL_SPARE, cached_blocks_html, leave_out
from web.templatetags.fragment_tags import rendered_fragment

register = template.Library()

LINKED_ARTICLE = re.compile(r'data-article="(\d+)"')


@register.simple_tag(takes_context=True)
def side_blocks(context):
    """Render the site-wide blocks for the side of an article page, cached per change.

    Rendered once per edition without the request (the fragment is shared by every
    reader), with spare headlines; each page then leaves out the article being read
    and the headlines its column shows (alwaght/blocks.py `leave_out`).
    """
    html = cached_blocks_html(
        get_language(),
        lambda blocks: render_to_string("includes/blocks/aside.html", blocks),
        spare=RAIL_SPARE,
    )
    article = context.get("article")
    if article is None:
        return mark_safe(html)  # noqa: S308 - our own template rendered it, escaping as usual
    return mark_safe(leave_out(html, column_articles(context), article.pk))  # noqa: S308


def column_articles(context) -> frozenset[int]:
    """Return the ids of the articles the page's main column lists: read from the HTML
    of its lists (every headline and the previous and next links carry data-article),
    so nothing is queried or stored for them."""
    return linked_articles(rendered_fragment(context, "article-lists") or "")


@lru_cache(maxsize=256)
def linked_articles(html: str) -> frozenset[int]:
    """Return the ids of the articles `html` links (kept: a process serves the same
    column, the same str, to every reader of the article)."""
    return frozenset(int(pk) for pk in LINKED_ARTICLE.findall(html))
