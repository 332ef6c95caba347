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
