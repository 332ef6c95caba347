"""Reviewed edits in a real browser: an Editor's change waits until a Chief Editor publishes it."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from articles.models import Article
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


def test_editor_change_waits_for_the_chief_editor_then_goes_live(page, live_server):
    staff("ed", "Editors")
    staff("chief", "Chief Editors")
    article = make_article(title="Ferry timetable", lead="Ferries sail at eight.")
    reader_url = f"{live_server.url}{article.get_absolute_url()}"
    change_url = f"/admin/articles/article/{article.pk}/change/"

    # The Editor changes the lead of the live article and saves.
    log_in(page, live_server, "ed", change_url)
    page.fill("#id_lead", "Ferries sail at nine.")
    page.locator("input[name=_continue]").click()
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
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("waiting for a Chief Editor")

    log_in(page, live_server, "chief", "/admin/")
    preview_url = f"{live_server.url}/admin/articles/article/{article.pk}/review/preview/"
    page.goto(preview_url)
    expect(page.locator("body")).to_contain_text("Ferries sail at nine.")
    page.wait_for_load_state("networkidle")

    assert page.url == preview_url  # no refresh to anywhere
    assert page.title() != "pwned"
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#user-tools")).to_contain_text("chief")  # still signed in
