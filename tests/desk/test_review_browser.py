"""Reviewed edits in a real browser: an Editor's change waits until a Chief Editor publishes it."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from articles.models import Article, PendingChange
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff(username, group):
    user = User.objects.create_user(username, password="pass-for-browser-tests-1", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    user.groups.add(Group.objects.get(name="English desk"))  # the edition these tests write in
    return user


def log_in(page, live_server, username, next_url):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pass-for-browser-tests-1")
    page.click("input[type=submit]")
    # Signed in before the next step: under load, a step could otherwise race the post.
    expect(page).not_to_have_url(re.compile(r"/admin/login/"))


def test_editor_change_waits_for_the_chief_editor_then_goes_live(page, live_server):
    staff("ed", "Editors")
    staff("chief", "Chief Editors")
    article = make_article(title="Ferry timetable", lead="Ferries sail at eight.")
    reader_url = f"{live_server.url}{article.get_absolute_url()}"
    change_url = f"/admin/articles/article/{article.pk}/change/"

    # The Editor changes the lead of the live article and saves.
    log_in(page, live_server, "ed", change_url)
    page.fill("#id_lead", "Ferries sail at nine.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("waiting for a Chief Editor")

    # Readers still see the live text.
    page.goto(reader_url)
    expect(page.locator("body")).to_contain_text("Ferries sail at eight.")
    expect(page.locator("body")).not_to_contain_text("Ferries sail at nine.")

    # The Chief Editor finds it on the desk, reads the diff, and publishes it.
    log_in(page, live_server, "chief", "/admin/")
    expect(page.get_by_role("link", name="Changes awaiting review (1)")).to_be_visible()
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.get_by_role("link", name="review", exact=True).click()
    expect(page.get_by_role("rowheader", name="Lead")).to_be_visible()
    expect(page.locator("del")).to_have_text("eight.")
    expect(page.locator("ins")).to_have_text("nine.")
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone, nothing sideways
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    page.get_by_role("button", name="Publish this change").click()
    expect(page.locator(".messagelist")).to_contain_text("The change is published")

    # Readers now see the new text.
    page.goto(reader_url)
    expect(page.locator("body")).to_contain_text("Ferries sail at nine.")
    assert Article.objects.get(pk=article.pk).lead == "Ferries sail at nine."


def test_a_held_change_previewed_runs_nothing_even_when_the_policy_only_reports(
    page, live_server, settings
):
    """The review preview neither navigates nor runs script from the held body (issue 20, H1)."""
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.SITE_CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    staff("ed", "Editors")
    staff("chief", "Chief Editors")
    article = make_article(title="Ferry timetable", body="<p>Ferries sail at eight.</p>")
    hostile = (
        "<p>Ferries sail at nine.</p>"
        '<meta http-equiv="refresh" content="0;url=/admin/logout/">'
        "<script>document.title = 'pwned'</script>"
        '<img src="/static/none.png" onerror="document.title = \'pwned\'">'
    )

    log_in(page, live_server, "ed", f"/admin/articles/article/{article.pk}/change/")
    expect(page.locator("#id_lead")).to_be_visible()
    page.evaluate("body => { document.querySelector('[name=body]').value = body; }", hostile)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("waiting for a Chief Editor")

    log_in(page, live_server, "chief", "/admin/")
    preview_url = f"{live_server.url}/admin/articles/article/{article.pk}/review/preview/"
    response = page.goto(preview_url)  # at the load event: script and onerror have run
    expect(page.locator("body")).to_contain_text("Ferries sail at nine.")

    # A refresh starts only after the load event, so look for what would ask for one.
    assert "refresh" not in response.headers
    # Counted now: a retrying expect() would wait until a refresh had left the page.
    assert page.locator('meta[http-equiv="refresh" i]').count() == 0
    assert page.url == preview_url  # no refresh to anywhere
    assert page.title() != "pwned"
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#user-tools")).to_contain_text("chief")  # still signed in


def test_a_correction_and_a_pick_held_reviewed_published_and_a_change_sent_back(page, live_server):
    """Issue 22, items 1 and 2: the whole story is held, shown, published and returned."""
    staff("ed", "Editors")
    staff("chief", "Chief Editors")
    article = make_article(title="Ferry timetable", lead="Ferries sail at eight.")
    make_article(title="Harbour strike ends")
    reader_url = f"{live_server.url}{article.get_absolute_url()}"
    change_url = f"/admin/articles/article/{article.pk}/change/"

    # The Editor adds a correction and a Related Content pick to the live story.
    log_in(page, live_server, "ed", change_url)
    page.locator("#related_links-0 .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill("strike")
    page.locator(".select2-results__option", has_text="Harbour strike ends").click()
    page.get_by_role("button", name="Add another Correction or update").click()
    page.locator("#id_notes-0-kind").select_option("correction")
    page.locator("#id_notes-0-noted_at_0").fill("2026-01-05")
    page.locator("#id_notes-0-noted_at_1").fill("09:30:00")
    page.locator("#id_notes-0-text").fill("An earlier version gave the wrong pier.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("waiting for a Chief Editor")
    page.goto(reader_url)
    expect(page.locator("body")).not_to_contain_text("the wrong pier")
    held = PendingChange.objects.get()
    assert set(held.data["fields"]) == {"related"}  # the untouched body is no change

    # The Chief Editor sees both in the diff and the preview, and publishes.
    log_in(page, live_server, "chief", f"/admin/articles/article/{article.pk}/review/")
    expect(page.get_by_role("row", name="Related Content")).to_contain_text("Harbour strike ends")
    expect(page.get_by_role("row", name="New: Correction")).to_contain_text("the wrong pier")
    expect(page.locator(".desk-side-by-side")).not_to_contain_text("<p>")
    with page.expect_popup() as popup:
        page.get_by_role("link", name="Preview the article with this change").click()
    preview = popup.value
    expect(preview.locator(".article-notes")).to_contain_text("the wrong pier")
    expect(preview.locator(".related")).to_contain_text("Harbour strike ends")
    preview.close()
    page.get_by_role("button", name="Publish this change").click()
    expect(page.locator(".messagelist")).to_contain_text("The change is published")
    page.goto(reader_url)
    expect(page.locator(".article-notes")).to_contain_text("the wrong pier")
    expect(page.locator(".related")).to_contain_text("Harbour strike ends")

    # A second change is sent back; the Editor reopens it and finds their words.
    log_in(page, live_server, "ed", change_url)
    page.fill("#id_lead", "Ferries sail at nine from the north pier.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("waiting for a Chief Editor")
    log_in(page, live_server, "chief", f"/admin/articles/article/{article.pk}/review/")
    page.fill("#id_note", "Which pier? Check with the port.")
    page.get_by_role("button", name="Send back with this note").click()
    expect(page.locator(".messagelist")).to_be_visible()  # sent, before the next sign-in
    log_in(page, live_server, "ed", change_url)
    expect(page.locator(".messagelist")).to_contain_text("Which pier? Check with the port.")
    expect(page.locator("#id_lead")).to_have_value("Ferries sail at nine from the north pier.")
    assert Article.objects.get(pk=article.pk).lead == "Ferries sail at eight."
