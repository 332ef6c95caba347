"""Every edition reflows to 320 px (WCAG 1.4.10): no sideways scrolling, no button label
broken over two lines; screenshots of each page are kept under the test's tmp_path."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import override

from alwaght.background import run_jobs
from articles.models import Article
from media.models import Map
from media.renditions import renditions_make_missing
from tests.screenshots import keep_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROWEST = {"width": 320, "height": 720}
PHONE = {"width": 390, "height": 844}


def addresses(edition):
    article = Article.objects.published().in_language(edition).exclude(photo=None).first()
    word = article.title.split()[0]
    with override(edition):
        return {
            "front": reverse("articles:front"),
            "article": article.get_absolute_url(),
            "unavailable note": article.get_absolute_url() + "#edition-xx",
            "section": article.section.get_absolute_url(),
            "archive, page 2": reverse("articles:archive") + "?page=2",
            "search": reverse("articles:search") + "?q=" + word,
            "gallery": reverse("media:index"),
            "maps": reverse("media:maps"),
            "most viewed": reverse("popularity:most-viewed"),
        }


def wrapped_labels(page) -> list[str]:
    """Return pagination labels taller than one line (a label broken inside its button)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.pagination a, .pagination__current')]
            .filter(e => e.getClientRects().length > 1
                || e.getBoundingClientRect().height
                    > 2.2 * parseFloat(getComputedStyle(e).lineHeight || 20))
            .map(e => e.textContent.trim())"""
    )


def test_every_edition_reflows_at_320_px(page, live_server, settings, media_root, tmp_path):
    call_command("load_demo", verbosity=0)
    settings.ARTICLES_PER_PAGE = 3  # pagination on every list
    overflowing, wrapped = {}, {}

    def look(key, address, viewport):
        page.set_viewport_size(viewport)
        page.goto(live_server.url + address)
        key = f"{key} {viewport['width']}"
        keep_screenshot(page, tmp_path / f"{key.replace(' ', '-')}.png")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > viewport["width"]:
            overflowing[key] = width
        if labels := wrapped_labels(page):
            wrapped[key] = labels

    # A picture that does not load (its file gone from storage, a storage outage) is
    # drawn as its alt text at its width attribute (1,280 px for the demo's
    # originals, shown until the worker has made renditions): the article's column
    # once grew to that width.
    for edition in ("en", "ar", "fa"):
        article = Article.objects.published().in_language(edition).exclude(photo=None).first()
        image = article.photo.image
        with image.storage.open(image.name) as original:
            kept = original.read()
        image.storage.delete(image.name)
        for viewport in (NARROWEST, PHONE):
            look(f"{edition} article, picture not loading", article.get_absolute_url(), viewport)
        assert image.storage.save(image.name, ContentFile(kept)) == image.name
    run_jobs(["renditions"])  # the pictures at their renditions' widths, as on a running site
    for edition in ("en", "ar", "fa"):
        for name, address in addresses(edition).items():
            for viewport in (NARROWEST, PHONE):
                look(f"{edition} {name}", address, viewport)

    assert overflowing == {}
    assert wrapped == {}


def test_the_map_fills_its_column(page, live_server, media_root):
    call_command("load_demo", verbosity=0)
    # The English maps' renditions, as the background job makes them (the whole job
    # spent its 30 s budget on every photo the demo uses; only these are measured).
    maps = Map.objects.filter(language="en").select_related("photo")
    renditions_make_missing([map_.photo for map_ in maps], budget_seconds=600)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(live_server.url + "/en/maps/")
    figure = page.locator(".map-figure").bounding_box()
    image = page.locator(".map-figure img").bounding_box()

    assert image["width"] == pytest.approx(figure["width"], abs=1)
