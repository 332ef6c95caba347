from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from alwaght.blocks import RAIL_SPARE, cached_blocks_html, leave_out
from web.fragments import cached_fragment

register = template.Library()


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


def column_articles(context) -> set[int]:
    """Return the ids of the articles the page's main column links (no query once cached).

    Kept like the column itself (its key, scopes and expiry): worked out from the
    same lazily computed lists, so a column rendered now costs nothing more.
    """
    article = context["article"]

    def ids() -> str:
        linked = [*context.get("related", []), *context.get("more_in_section", [])]
        linked += [context.get("older"), context.get("newer")]
        return ",".join(str(item.pk) for item in linked if item)  # a lazy None is falsy

    found = cached_fragment(
        "article-column-ids",
        [article.pk, article.updated_at],
        context.get("fragment_scopes", []),
        ids,
        until=context.get("next_change"),
        off=bool(context.get("preview")),
    )
    return {int(pk) for pk in found.split(",") if pk}
