"""The workflow in a real browser: write, submit, send back, resubmit, publish (issue 22).

Two desk members in browsers of their own, each seeing only the buttons they may
press; the note sent back reaches the Editor on the desk home and in the story's
internal notes; readers see the story only once it is published, never its notes.
Screenshots of the pages at 390 and 1280 px, in English and Persian, go to /tmp.
"""

import tempfile

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from articles.models import Article
from tests.desk.browser import sign_in as sign_in_page
from tests.desk.test_editing_browser import PASSWORD
from tests.factories import make_section
from tests.screenshots import keep_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk_member(browser, live_server):
    """Return a function opening a signed-in browser for a new member of a group and desk."""
    contexts = []

    def sign_in(username, group, desk="English desk", locale="en-GB", width=1280):
        user = User.objects.create_user(
            username, password=PASSWORD, first_name=username.title(), email=f"{username}@x.org"
        )
        user.groups.add(Group.objects.get(name=group), Group.objects.get(name=desk))
        contexts.append(
            browser.new_context(locale=locale, viewport={"width": width, "height": 900})
        )
        return sign_in_page(contexts[-1].new_page(), live_server.url, username, PASSWORD)

    yield sign_in
    for context in contexts:
        context.close()


def test_submit_send_back_resubmit_publish(desk_member, live_server):
    make_section(name="Report", slug="report")
    editor = desk_member("ed", "Editors")
    chief = desk_member("chief", "Chief Editors")

    # The Editor writes a story and submits it: no status list, no Publish.
    editor.goto(f"{live_server.url}/admin/articles/article/add/")
    expect(editor.locator("select#id_status")).to_have_count(0)
    expect(editor.get_by_role("button", name="Publish")).to_have_count(0)
    editor.fill("#id_title", "Port strike")
    editor.locator("#id_section + .select2").click()
    editor.locator(".select2-container--open .select2-search__field").fill("Rep")
    editor.locator(".select2-results__option", has_text="Report").click()
    editor.fill("#id_lead", "Dockers stop work.")
    editor.locator(".ProseMirror[contenteditable=true]").click()
    editor.locator(".ProseMirror[contenteditable=true]").press_sequentially("Work stopped.")
    editor.get_by_role("button", name="Submit for review").click()
    expect(editor.locator(".messagelist")).to_contain_text("Submitted for review")
    story = Article.objects.get(title="Port strike")
    assert story.status == Article.Status.REVIEW
    reader_url = f"{live_server.url}{story.get_absolute_url()}"
    assert editor.context.request.get(reader_url).status == 404

    # The Chief Editor finds it awaiting review and sends it back with a note.
    chief.goto(f"{live_server.url}/admin/")
    chief.locator("#desk-in-review + ul").get_by_role("link", name="Port strike").click()
    expect(chief.get_by_role("button", name="Submit for review")).to_have_count(0)
    chief.fill("#id_workflow_note", "Name the union's spokesperson.")
    chief.get_by_role("button", name="Send back").click()
    expect(chief.locator(".messagelist")).to_contain_text("Sent back to its editor")

    # The Editor finds it sent back, reads the note, fixes it and resubmits.
    editor.goto(f"{live_server.url}/admin/")
    sent_back = editor.locator("section[aria-labelledby=desk-sent-back]")
    expect(sent_back).to_contain_text("Port strike")
    sent_back.get_by_role("link", name="Port strike").click()
    expect(editor.locator(".desk-notes")).to_contain_text("Name the union's spokesperson.")
    expect(editor.locator(".desk-notes")).to_contain_text("Chief")
    editor.fill("#id_lead", "Dockers stop work, their union's Ali Samadi says.")
    editor.get_by_role("button", name="Submit for review").click()
    expect(editor.locator(".messagelist")).to_contain_text("Submitted for review")
    editor.goto(f"{live_server.url}/admin/")
    expect(editor.locator("section[aria-labelledby=desk-sent-back]")).not_to_contain_text(
        "Port strike"
    )

    # The Chief Editor publishes it; readers see it, never the desk's notes.
    chief.goto(f"{live_server.url}/admin/articles/article/{story.pk}/change/")
    chief.get_by_role("button", name="Publish", exact=True).click()
    expect(chief.locator(".messagelist")).to_contain_text("Published: readers see it now.")
    reader = chief.context.new_page()
    reader.goto(reader_url)
    expect(reader.locator("h1")).to_have_text("Port strike")
    expect(reader.locator("body")).not_to_contain_text("spokesperson")


@pytest.mark.parametrize("locale", ["en-GB", "fa-IR"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_workflow_pages_fit_and_are_shown(desk_member, live_server, locale, width):
    from articles.models import InternalNote
    from tests.factories import make_article

    desk = "English desk" if locale.startswith("en") else "Persian desk"
    language = locale[:2]
    chief = desk_member(f"chief{width}{language}", "Chief Editors", desk, locale, width)
    user = User.objects.get(username=f"chief{width}{language}")
    story = make_article(
        title="Port strike" if language == "en" else "اعتصاب بندر",
        status="review",
        publish_at=None,
        language=language,
    )
    InternalNote.objects.create(article=story, author=user, text="Check the figures.")
    name = f"{tempfile.gettempdir()}/workflow-{language}-{width}"

    for page_name, url in [
        ("form", f"/admin/articles/article/{story.pk}/change/"),
        ("home", "/admin/"),
    ]:
        chief.goto(f"{live_server.url}{url}")
        expect(chief.locator(".desk-workflow, .desk-home").first).to_be_visible()
        if page_name == "form":
            chief.locator(".desk-workflow").scroll_into_view_if_needed()
        keep_screenshot(chief, f"{name}-{page_name}.png", full_page=page_name == "home")
        overflow = chief.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (page_name, overflow)
