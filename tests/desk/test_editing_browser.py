"""Two editors in two browsers: the edit lock, take-over, a late save, autosave."""

import pytest
import reversion
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from articles.models import Article, Autosave
from tests.desk.browser import sign_in as sign_in_page
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-for-browser-tests-1"


@pytest.fixture
def quick_desk(settings):
    settings.DESK_LOCK_HEARTBEAT_SECONDS = 1
    settings.DESK_AUTOSAVE_SECONDS = 1


@pytest.fixture
def signed_in(browser, live_server):
    """Return a function opening a signed-in browser of its own for a new desk member."""
    contexts = []

    def sign_in(username, group):
        user = User.objects.create_user(username, password=PASSWORD, first_name=username.title())
        user.groups.add(Group.objects.get(name=group))
        user.groups.add(Group.objects.get(name="English desk"))  # the edition they write in
        contexts.append(browser.new_context())
        return sign_in_page(contexts[-1].new_page(), live_server.url, username, PASSWORD)

    yield sign_in
    for context in contexts:  # stop their heartbeats before the next test
        context.close()


def change_url(live_server, article):
    return f"{live_server.url}/admin/articles/article/{article.pk}/change/"


def test_the_lock_is_shown_a_chief_takes_over_and_a_late_save_loses_nothing(
    signed_in, live_server, quick_desk
):
    with reversion.create_revision():  # its first version, as the desk or demo saves it
        article = make_article(
            title="Harbour works begin", lead="Cranes arrive.", status="draft", publish_at=None
        )
    editor = signed_in("ed", "Editors")
    chief = signed_in("chief", "Chief Editors")

    editor.goto(change_url(live_server, article))
    chief.goto(change_url(live_server, article))
    lock_banner = chief.locator("[data-lock-banner]")
    expect(lock_banner).to_contain_text("Ed has been editing since")

    chief.get_by_role("button", name="Take over").click()
    expect(chief.locator(".messagelist")).to_contain_text("taken over")
    expect(chief.locator("[data-lock-banner]")).to_be_hidden()
    expect(editor.locator("[data-lock-banner]")).to_contain_text("Chief has been editing since")

    # Both forms are open; the chief saves first, then the editor.
    chief.fill("#id_title", "Harbour works delayed")
    chief.get_by_role("button", name="Save draft").click()
    expect(chief.locator(".messagelist")).to_contain_text("was changed successfully")
    editor.fill("#id_lead", "Cranes arrive on Monday.")
    editor.get_by_role("button", name="Save draft").click()

    conflicts = editor.locator(".desk-conflicts")
    expect(conflicts).to_contain_text("Harbour works delayed")  # theirs
    expect(conflicts).to_contain_text("Harbour works begin")  # mine
    expect(editor.locator(".errorlist")).to_contain_text("Chief saved this article")
    expect(editor.locator(".desk-conflict")).to_have_count(1)  # the lead was only mine
    article.refresh_from_db()
    assert article.lead == "Cranes arrive."

    editor.locator(".desk-conflict[data-field=title]").get_by_label("Keep theirs").check()
    editor.get_by_role("button", name="Save draft").click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert (article.title, article.lead) == ("Harbour works delayed", "Cranes arrive on Monday.")


def test_typing_is_kept_when_the_tab_closes_and_restored_on_reopening(
    signed_in, live_server, quick_desk
):
    article = make_article(title="Harbour works begin", status="draft", publish_at=None)
    editor = signed_in("ed", "Editors")
    editor.goto(change_url(live_server, article))

    editor.fill("#id_title", "Harbour works begin at last")
    body = editor.locator(".ProseMirror[contenteditable=true]")
    body.click()
    editor.keyboard.press("End")
    body.press_sequentially(" More soon.")
    expect(editor.locator(".desk-autosave-status")).to_contain_text("Unsaved changes kept at")
    expect(editor.locator(".desk-meter--words")).to_have_text("6 words · about 1 min read")
    editor.get_by_text("Search and social").click()
    editor.fill("#id_seo_title", "x" * 61)
    expect(editor.locator(".field-seo_title .desk-meter")).to_have_text(
        "61 / 60 characters — longer than shows in full"
    )

    dialogs = []
    editor.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    editor.close(run_before_unload=True)
    editor.wait_for_event("close")
    assert dialogs == ["beforeunload"]  # leaving with unsaved changes warned

    again = editor.context.new_page()
    again.goto(change_url(live_server, article))
    expect(again.locator(".desk-autosave")).to_contain_text("You have unsaved changes")
    again.get_by_role("link", name="Restore them").click()
    expect(again.locator("#id_title")).to_have_value("Harbour works begin at last")
    expect(again.locator(".ProseMirror[contenteditable=true]")).to_contain_text("More soon.")
    again.get_by_role("button", name="Save draft").click()
    expect(again.locator(".messagelist")).to_contain_text("was changed successfully")

    article.refresh_from_db()
    assert article.title == "Harbour works begin at last"
    assert "More soon." in article.body
    assert not Autosave.objects.exists()
    assert Article.objects.count() == 1
