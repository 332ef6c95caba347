"""A Chief Editor of two desks moves a section between editions, in a real browser, in Persian.

The select offers both of their editions, so the move is one choice away: a
section with stories stays where they are, said on the field in the desk's
language, right to left; an empty one moves. With ALWAGHT_SCREENSHOTS=<folder> the
refused form is saved there at 390 and 1280 px.
"""

import pytest
from playwright.sync_api import expect

from articles.models import Section
from tests.desk.browser import answer_to
from tests.desk.browser import sign_in as sign_in_page
from tests.desk.test_desk_language_browser import WIDTHS, no_sideways_scroll, shoot
from tests.factories import make_article, make_section, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only-1"  # tests.factories.make_staff's


@pytest.mark.parametrize("width", WIDTHS)
def test_a_two_desk_chief_moves_an_empty_section_but_not_one_with_stories(
    browser, live_server, width
):
    make_staff("two-desk-chief", role="chief", desks=("fa", "en"))
    world = make_section(language="en", name="World", slug="world")
    make_article(language="en", section=world, title="Dam talks")
    empty = make_section(language="en", name="Letters", slug="letters")
    context = browser.new_context(locale="fa-IR", viewport={"width": width, "height": 900})
    page = sign_in_page(context.new_page(), live_server.url, "two-desk-chief", PASSWORD)
    try:
        page.goto(f"{live_server.url}/admin/articles/section/{world.pk}/change/")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        page.select_option("#id_language", "fa")
        page.fill("#id_name", "جهان")

        status = answer_to(page, page.locator("input[name=_save]"))

        assert status == 200  # the form again
        error = page.locator(".field-language .errorlist")
        expect(error).to_contain_text("نسخهٔ انگلیسی")  # the English edition, in Persian
        expect(page.locator("#id_name")).to_have_value("جهان")  # what was typed, kept
        assert no_sideways_scroll(page)
        shoot(page, f"desk-section-move-refused-fa-{width}")
        assert Section.objects.get(pk=world.pk).language == "en"

        page.goto(f"{live_server.url}/admin/articles/section/{empty.pk}/change/")
        page.select_option("#id_language", "fa")
        assert answer_to(page, page.locator("input[name=_save]")) == 302
        assert Section.objects.get(pk=empty.pk).language == "fa"
    finally:
        context.close()
