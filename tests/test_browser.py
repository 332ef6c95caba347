"""Reader flows in a real Chromium (Debian's), driven by Playwright."""

import pytest
from playwright.sync_api import expect

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


def test_editor_gets_a_readable_slug_from_an_arabic_title(page, live_server, admin_user):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/articles/article/add/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")

    title = page.locator("#id_title")
    title.press_sequentially("اجتماع وزراء الخارجية")
    # Playwright inserts non-Latin characters without key events; leaving the field
    # with Tab fires the change event an editor's own typing would.
    title.press("Tab")

    expect(page.locator("#id_slug")).to_have_value("اجتماع-وزراء-الخارجية")


def test_most_viewed_tabs_work_without_javascript(browser, live_server, edition):
    from popularity.services import article_view_record, most_viewed_refresh

    lead, news = edition
    article_view_record(article_id=lead.pk)
    most_viewed_refresh(language="en")  # the background job's work
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(f"{live_server.url}/en/")
    block = page.locator(".block--most-viewed")
    panels = block.locator(".tabs__panel")
    expect(panels.nth(0)).to_be_visible()
    expect(panels.nth(1)).to_be_hidden()

    block.get_by_text("Week", exact=True).click()

    expect(panels.nth(1)).to_be_visible()
    expect(panels.nth(0)).to_be_hidden()
    expect(panels.nth(1).get_by_role("link", name="Water talks resume")).to_be_visible()
    context.close()


def test_reading_an_article_in_a_browser_counts_one_view(browser, live_server, edition):
    from popularity.models import ViewCount

    lead, news = edition
    # Headless Chromium calls itself HeadlessChrome, which we treat as a bot.
    context = browser.new_context(
        user_agent="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
    )
    page = context.new_page()

    # Fire-and-forget for the page; the test waits for the server's answer to it.
    with page.expect_response("**/beacon/articles/*/view"):
        page.goto(f"{live_server.url}{lead.get_absolute_url()}")

    assert ViewCount.objects.filter(article=lead).values_list("views", flat=True)[0] == 1
    context.close()


def test_editor_gets_tag_suggestions(page, live_server, admin_user):
    from taggit.models import Tag

    Tag.objects.create(name="Water", slug="water")
    Tag.objects.create(name="Gulf states", slug="gulf-states")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/articles/article/add/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    # The suggestions listen from the form's scripts on: typing before they have run
    # (a loaded machine) asked nobody.
    page.wait_for_url("**/admin/articles/article/add/")
    page.wait_for_load_state("load")

    page.locator("#id_tags").fill("Gulf states, wat")

    options = page.locator("#id_tags-suggestions option")
    expect(options).to_have_count(1)
    assert options.first.get_attribute("value") == "Gulf states, Water, "


def test_reader_comments_moderator_approves_reader_sees_it(browser, live_server, settings):
    from django.contrib.auth.models import Group, User

    settings.COMMENTS_MIN_SECONDS = 0  # the robot types faster than any person
    article = make_article(title="Water talks resume")
    moderator = User.objects.create_user("mod", password="mod-pass-for-tests-1", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    reader = browser.new_context().new_page()
    desk = browser.new_context().new_page()

    reader.goto(f"{live_server.url}{article.get_absolute_url()}")
    reader.get_by_label("Name").fill("Leila")
    reader.get_by_label("Email").fill("leila@example.org")
    reader.get_by_label("Text").fill("A calm and useful comment.")
    reader.get_by_role("button", name="Send").click()
    expect(reader.get_by_role("status")).to_contain_text("once a moderator has approved it")
    expect(reader.locator(".comment-list")).to_have_count(0)

    desk.goto(f"{live_server.url}/admin/")
    desk.fill("#id_username", "mod")
    desk.fill("#id_password", "mod-pass-for-tests-1")
    desk.click("input[type=submit]")
    expect(desk.get_by_text("Comments (1 pending)")).to_be_visible()
    desk.goto(f"{live_server.url}/admin/comments/comment/")
    desk.get_by_role("button", name="Approve").click()
    expect(desk.locator(".messagelist")).to_contain_text("Approved")

    reader.reload()
    expect(reader.locator(".comment-list")).to_contain_text("A calm and useful comment.")
    expect(reader.locator(".comment__name")).to_have_text("Leila")
    assert "leila@example.org" not in reader.content()
