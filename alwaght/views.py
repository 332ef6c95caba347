"""The site's own pages, composed from every app: the front page."""

from django.shortcuts import render

from alwaght.blocks import site_blocks


def front_page(request):
    """Render alwaght/front_page.html with the site-wide blocks (see alwaght/blocks.py)."""
    return render(request, "alwaght/front_page.html", site_blocks(request.LANGUAGE_CODE))
