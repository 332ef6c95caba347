"""The editor's day in a real browser: write, preview, schedule, publish, revise, restore."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(page, live_server):
    make_section(name="Report", slug="report")
    chief = User.objects.create_user("chief", password="chief-pass-for-tests-1", is_staff=True)
    chief.groups.add(Group.objects.get(name="Chief Editors"))
    chief.groups.add(Group.objects.get(name="English desk"))
    page.goto(f"{live_server.url}/admin/login/?next=/admin/articles/article/add/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "chief-pass-for-tests-1")
    page.click("input[type=submit]")
    return page


def save(page, action="Save draft"):
    page.get_by_role("button", name=action, exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()


def test_editor_writes_previews_schedules_publishes_revises_and_restores(desk, live_server):
    page = desk
    page.fill("#id_title", "Harbour works begin")
    page.locator("#id_section + .select2").click()  # the admin's autocomplete box
    page.locator(".select2-container--open .select2-search__field").fill("Rep")
    page.locator(".select2-results__option", has_text="Report").click()
    page.fill("#id_lead", "Cranes arrive at the old port.")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    editor.press_sequentially("The first cranes arrived on Monday.")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    editor.press_sequentially("Work starts next week.")
    save(page)

    article = Article.objects.get(title="Harbour works begin")
    assert article.status == "draft"
    assert article.body == (
        "<p>The first cranes arrived on Monday.</p><p><strong>Work starts next week.</strong></p>"
    )

    # Preview: "View on site" opens the staff preview of the draft.
    page.get_by_role("link", name="View on site").click()
    page.wait_for_url(f"**/en/preview/{article.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Preview: this article is Draft")
    expect(page.locator("h1")).to_have_text("Harbour works begin")
    page.go_back()

    # Schedule: published, for tomorrow.
    tomorrow = timezone.localtime() + timedelta(days=1)
    expect(page.get_by_role("button", name="Schedule")).to_be_hidden()  # no time yet
    page.fill("#id_publish_at_0", tomorrow.strftime("%Y-%m-%d"))
    page.fill("#id_publish_at_1", "08:00:00")
    save(page, "Schedule")
    page.goto(f"{live_server.url}/admin/articles/article/")
    expect(page.locator(".desk-badge--scheduled")).to_have_text("Scheduled")
    assert page.context.request.get(f"{live_server.url}{article.get_absolute_url()}").status == 404

    # Publish now.
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    save(page, "Publish")
    assert page.context.request.get(f"{live_server.url}{article.get_absolute_url()}").status == 200

    # Revise, then restore the first version from the history.
    page.fill("#id_title", "Harbour works delayed")
    save(page, "Publish")
    page.get_by_role("link", name="History").click()
    page.locator("#change-history tbody tr").last.get_by_role("link").click()
    # The first version is a draft: restoring it brings back its text, not its status.
    expect(page.locator(".messagelist")).to_contain_text("the article stays as it is now")
    save(page, "Publish")

    article.refresh_from_db()
    assert article.title == "Harbour works begin"
    assert article.is_live


def test_editor_inserts_a_photo_from_the_library(desk, live_server):
    from tests.factories import make_photo

    photo = make_photo(title="Harbour cranes", alt_text="Two cranes at dawn", caption="The port")
    make_photo(title="harbour-cranes-03", alt_text="")  # bulk-uploaded: no alt text yet
    page = desk
    page.fill("#id_title", "With a photo")
    page.locator("#id_section + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill("Rep")
    page.locator(".select2-results__option", has_text="Report").click()
    page.fill("#id_lead", "A lead.")
    page.locator(".ProseMirror[contenteditable=true]").click()

    page.locator("[title=figure]").click()
    with page.expect_popup() as popup_info:
        page.get_by_role("button", name="Browse...").click()
    picker = popup_info.value
    # The picker closes itself as it hands the photo over: a click that waits on the
    # page after clicking meets a closed page under load, so dispatch the click only.
    picker.wait_for_load_state("load")  # its script listens from then on
    # Shown, not offered: readers would get it with an empty alt.
    expect(picker.get_by_role("button", name="harbour-cranes-03")).to_be_disabled()
    expect(picker.get_by_text("No alt text yet, so it cannot be inserted.")).to_be_visible()
    choice = picker.get_by_role("button", name="Harbour cranes", exact=True)
    with picker.expect_event("close"):
        choice.dispatch_event("click")
    expect(page.locator("dialog input[name=altText]")).to_have_value("Two cranes at dawn")
    page.locator("dialog").get_by_role("button", name="Insert").click()
    save(page)

    body = Article.objects.get(title="With a photo").body
    assert body.startswith('<figure class="figure"><img src="/uploads/renditions/')
    assert f'alt="Two cranes at dawn" data-file="{photo.pk}"' in body
    assert "<figcaption>The port</figcaption></figure>" in body
