"""The Persian and Arabic desks in a real browser: right to left, their words, their calendar.

With ALWAGHT_SCREENSHOTS=<folder> the pages are also saved there at 390 and 1280 px.
"""

import os
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from publishing.dates import localize_digits
from publishing.desk_dates import jalali_format
from tests.factories import make_article, make_section, make_staff
from tests.screenshots import keep_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-only-1"  # tests.factories.make_staff's
COUNTER = {"fa": "نویسه", "ar": "حرفًا"}
WIDTHS = (390, 1280)


def sign_in(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def shoot(page, name):
    folder = os.environ.get("ALWAGHT_SCREENSHOTS")
    if folder:
        keep_screenshot(page, Path(folder) / f"{name}.png")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def notes_below_the_form(page) -> bool:
    return page.evaluate(
        "document.querySelector('.desk-notes').getBoundingClientRect().top >= "
        "document.querySelector('#content-main').getBoundingClientRect().bottom"
    )


def icon_room_at_the_start(message) -> bool:
    """Return whether a message's icon has its room on the right, where the line starts."""
    return message.evaluate(
        "li => parseFloat(getComputedStyle(li).paddingRight) > "
        "parseFloat(getComputedStyle(li).paddingLeft)"
    )


def icons_placed_from_the_right(page) -> dict[str, str]:
    """Return where each level's message icon is placed across, in a list put on the page
    (the admin's tablet and phone rules place warnings' and errors' again)."""
    return page.evaluate(
        """() => {
            const list = document.createElement("ul");
            list.className = "messagelist";
            document.querySelector("#content").prepend(list);
            const placed = {};
            for (const level of ["success", "warning", "error"]) {
                const li = list.appendChild(document.createElement("li"));
                li.className = level;
                placed[level] = getComputedStyle(li).backgroundPositionX;
            }
            list.remove();
            return placed;
        }"""
    )


@pytest.mark.parametrize("language", ["fa", "ar"])
def test_a_desk_works_right_to_left_in_its_words(page, live_server, language):
    chief = make_staff(f"chief-{language}", role="chief", desks=(language,))
    section = make_section(language=language, name="تحلیل", slug="tahlil")
    article = make_article(
        language=language,
        section=section,
        title="بندر",
        slug="bandar",
        lead="بندر باز شد.",
        body="<p>بندر باز شد.</p>",
        status=Article.Status.DRAFT,
        publish_at=None,
    )
    change = f"/admin/articles/article/{article.pk}/change/"
    page.set_extra_http_headers({"Accept-Language": "en"})  # an English browser at this desk
    sign_in(page, live_server, chief.username, change)

    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", language)
    # The scripts' counters speak the desk's language (admin:jsi18n).
    expect(page.locator(".field-lead .desk-meter--chars")).to_contain_text(COUNTER[language])
    expect(page.locator(".desk-meter--words")).not_to_contain_text("words")
    # Counted by the desk's plural rule: Arabic's "3 كلمات", not its "one word".
    expect(page.locator(".desk-meter--words")).to_contain_text("3")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert no_sideways_scroll(page) or width == 390, width
        # The internal notes begin below the (floated) form, not behind its fieldsets.
        assert notes_below_the_form(page), width
        placed = icons_placed_from_the_right(page)
        assert all(x.startswith("calc(100%") for x in placed.values()), (width, placed)
        shoot(page, f"desk-{language}-article-{width}")

    if language == "fa":  # schedule for tomorrow, typed in the Solar Hijri calendar
        tomorrow = (timezone.localtime() + timedelta(days=1)).date()
        typed = localize_digits(jalali_format(tomorrow, "Y/m/d"), "fa")
        page.fill("#id_publish_at_0", typed)
        page.fill("#id_publish_at_1", "08:00:00")
        page.locator("[data-schedule]").click()
        expect(page.locator(".messagelist")).to_be_visible()
        assert icon_room_at_the_start(page.locator(".messagelist li").first)
        article.refresh_from_db()
        moment = datetime.combine(tomorrow, time(8), tzinfo=timezone.get_current_timezone())
        assert article.publish_at == moment
        assert article.status == Article.Status.PUBLISHED

    for name, url in [
        ("home", "/admin/"),
        ("articles", "/admin/articles/article/"),
        ("history", f"/admin/articles/article/{article.pk}/history/"),
    ]:
        page.goto(live_server.url + url)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            shoot(page, f"desk-{language}-{name}-{width}")
