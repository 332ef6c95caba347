"""The site's own pages: the front page, composed from every app, and the standing pages."""

from django.shortcuts import get_object_or_404, render

from alwaght.blocks import site_blocks
from alwaght.models import Page


def front_page(request):
    """Render alwaght/front_page.html with the site-wide blocks (see alwaght/blocks.py)."""
    return render(request, "alwaght/front_page.html", site_blocks(request.LANGUAGE_CODE))


def standing_page(request, slug):
    """Render alwaght/page.html: one of the edition's standing pages (About, Privacy…)."""
    page = get_object_or_404(Page, language=request.LANGUAGE_CODE, slug=slug)
    return render(request, "alwaght/page.html", {"page": page})
