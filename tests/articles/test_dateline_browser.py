"""A body that opens with a heading does not run into the floating dateline."""

import pytest

from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("opening", ["<h2>First, the facts</h2>", "<h3>First, the facts</h3>"])
def test_the_dateline_stands_above_an_opening_heading(page, live_server, opening):
    article = make_article(body=f"{opening}<p>Cranes arrived on Monday.</p>")

    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    dateline = page.locator(".article__body .dateline").bounding_box()
    heading = page.locator(".article__body :is(h2, h3)").first.bounding_box()
    assert heading["y"] >= dateline["y"] + dateline["height"] - 1


def test_a_paragraph_still_runs_on_from_the_dateline(page, live_server):
    article = make_article(body="<p>Cranes arrived on Monday.</p>")

    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    dateline = page.locator(".article__body .dateline").bounding_box()
    paragraph = page.locator(".article__body p").first.bounding_box()
    assert paragraph["y"] < dateline["y"] + dateline["height"]  # on the same line
