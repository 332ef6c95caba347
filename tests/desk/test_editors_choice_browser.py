"""Ordering an edition's front page in a real browser: drag a row, or use the buttons."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from articles.models import EditorsChoice
from tests.factories import make_article, make_editors_choice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "chief-pass-for-tests-1"


def english_order():
    rows = EditorsChoice.objects.filter(language="en").order_by("position")
    return list(rows.values_list("article__title", flat=True))


@pytest.fixture
def front(live_server):
    for number in range(1, 4):
        make_editors_choice(make_article(title=f"Story {number}"))
    make_editors_choice(make_article(title="خبر فارسی", language="fa"))
    chief = User.objects.create_user("chief", password=PASSWORD, is_staff=True)
    chief.groups.add(Group.objects.get(name="Chief Editors"))
    chief.groups.add(Group.objects.get(name="English desk"))


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/articles/editorschoice/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#result_list")).to_be_visible()


def row(page, title):
    return page.locator("#result_list tbody tr", has_text=title)


def test_a_chief_drags_a_story_to_the_top_of_their_edition(page, live_server, front):
    sign_in(page, live_server)
    expect(page.locator("#result_list")).not_to_contain_text("خبر فارسی")  # another desk's
    row(page, "Story 1").locator("input[name$='-until_0']").fill("2099-01-01")  # typed, unsaved

    row(page, "Story 3").locator(".desk-drag").drag_to(row(page, "Story 1").locator(".desk-drag"))

    expect(page.get_by_role("status")).to_have_text(
        "“Story 3” is now number 1 of English Editor's Choice."
    )
    assert english_order() == ["Story 3", "Story 1", "Story 2"]
    assert EditorsChoice.objects.get(language="fa").position == 1
    positions = page.locator("#result_list input[name^='form-'][name$='-position']")
    assert positions.evaluate_all("inputs => inputs.map(input => input.value)") == ["1", "2", "3"]
    # What the editor typed in another row is still there, and saves with the new order.
    expect(row(page, "Story 1").locator("input[name$='-until_0']")).to_have_value("2099-01-01")
    row(page, "Story 1").locator("input[name$='-until_1']").fill("08:00:00")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert english_order() == ["Story 3", "Story 1", "Story 2"]
    assert EditorsChoice.objects.get(article__title="Story 1").until is not None


def test_keyboard_users_move_a_story_with_the_buttons(page, live_server, front):
    sign_in(page, live_server)

    row(page, "Story 2").get_by_role("button", name="Move up").focus()
    page.keyboard.press("Enter")

    position = row(page, "Story 2").locator("input[name^='form-'][name$='-position']")
    expect(position).to_have_value("1")
    assert english_order() == ["Story 2", "Story 1", "Story 3"]
