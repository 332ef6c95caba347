"""Reader flows in a real Chromium (Debian's), driven by Playwright."""

import pytest

from tests.factories import make_article, make_editors_choice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def edition():
    lead = make_article(title="Water talks resume", tags=["Water"])
    make_editors_choice(lead, position=1)
    news = [make_article(title=f"Headline {n}", section=lead.section) for n in range(3)]
    return lead, news


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_reader_goes_from_front_page_to_article_and_section(page, live_server, edition, viewport):
    lead, news = edition
    page.set_viewport_size(viewport)

    page.goto(f"{live_server.url}/")

    assert page.url == f"{live_server.url}/en/"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")

    page.get_by_role("link", name="Water talks resume").click()
    page.wait_for_url(f"**{lead.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Water talks resume"
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")

    page.locator("article .kicker a").click()
    assert page.locator("h1").inner_text() == lead.section.name
    assert page.get_by_role("link", name="Headline 2").is_visible()


def test_reader_searches_from_the_masthead(page, live_server, edition):
    page.goto(f"{live_server.url}/en/")

    page.get_by_label("Search articles").first.fill("water")
    page.keyboard.press("Enter")

    page.wait_for_url("**/en/search/?q=water")
    assert page.get_by_role("link", name="Water talks resume").is_visible()
