"""The site's own pages: the front page, composed from every app, and the standing pages."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from alwaght.blocks import site_blocks
from alwaght.models import Page


def front_page(request):
    """Render alwaght/front_page.html with the site-wide blocks (see alwaght/blocks.py)."""
    return render(request, "alwaght/front_page.html", site_blocks(request.LANGUAGE_CODE))


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
