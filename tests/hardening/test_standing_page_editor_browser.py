"""The standing pages' rich-text editor starts under the enforcing policy (issue 20 L9)."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from alwaght.models import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_an_editor_writes_a_standing_page_in_the_rich_text_editor(page, live_server, settings):
    assert settings.CONTENT_SECURITY_POLICY  # enforced, not report-only
    User.objects.create_superuser("chief", "chief@example.org", "chief-pass-for-tests-1")
    page.add_init_script(LISTEN)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/alwaght/page/add/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "chief-pass-for-tests-1")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/alwaght/page/add/")

    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.wait_for(timeout=10_000)  # the editor's modules loaded through the import map
    page.fill("#id_title", "About us")  # the slug follows it
    editor.click()
    editor.press_sequentially("We report from three desks.")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    assert page.evaluate("window.__violations") == []
    assert Page.objects.get(title="About us").body == "<p>We report from three desks.</p>"
