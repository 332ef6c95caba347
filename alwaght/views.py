"""The site's own pages: the front page, composed from every app, and the standing pages."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from alwaght.blocks import cached_blocks_html
from alwaght.models import Page


def front_page(request):
    """Render alwaght/front_page.html with `blocks`: the site-wide blocks laid out.

    The layout (includes/blocks/front.html) is rendered once per change of what
    the blocks show (alwaght/blocks.py), without the request: it is the same
    for every reader.
    """
    html = cached_blocks_html(
        request.LANGUAGE_CODE,
        lambda blocks: render_to_string("includes/blocks/front.html", blocks),
        name="front",
    )
    return render(request, "alwaght/front_page.html", {"blocks": mark_safe(html)})  # noqa: S308


def standing_page(request, slug):
    """Render alwaght/page.html: one of the edition's standing pages (About, Privacy…).

    An edition that has no version of its own yet shows the default edition's,
    marked with its language, so the footer's links never lead nowhere.
    """
    editions = [request.LANGUAGE_CODE, settings.LANGUAGE_CODE]
    pages = {page.language: page for page in Page.objects.filter(slug=slug, language__in=editions)}
    page = pages.get(request.LANGUAGE_CODE) or pages.get(settings.LANGUAGE_CODE)
    if page is None:
        raise Http404("No such page")
    return render(request, "alwaght/page.html", {"page": page})
