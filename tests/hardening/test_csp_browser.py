"""No page type of the site, reader's or desk's, breaks its Content-Security-Policy."""

import pytest
from django.contrib.auth.models import User

from tests.factories import make_photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script, outside the page's policy (Playwright injects it).
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched(page):
    """Return the page and a list collecting every CSP violation it reports."""
    violations = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return page, violations


def visit(page, violations, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    violations.extend(f"{url}: {v}" for v in page.evaluate("window.__violations"))


def test_reader_pages_break_no_policy(watched, live_server, reader_pages):
    page, violations = watched
    article, urls = reader_pages
    film = next(u for u in urls if u.startswith("/en/gallery/films/") and u != "/en/gallery/films/")
    html_pages = [url for url in urls if "feed" not in url and ".xml" not in url]

    for url in [*html_pages, f"{film}?play=1", "/en/news/999999/missing/"]:
        visit(page, violations, f"{live_server.url}{url}")

    assert len(html_pages) >= 15
    assert violations == []


def test_the_desks_main_pages_break_no_policy(watched, live_server, reader_pages):
    page, violations = watched
    article, _ = reader_pages
    photo = make_photo(title="Harbour")
    User.objects.create_superuser("chief", "chief@example.org", "chief-pass-for-tests-1")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "chief-pass-for-tests-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    for path in [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        f"/admin/articles/article/{article.pk}/change/",
        f"/admin/articles/article/{article.pk}/history/",
        "/admin/comments/comment/",
        "/admin/media/photo/",
        f"/admin/media/photo/{photo.pk}/change/",
        "/admin/media/photo/picker/?CKEditorFuncNum=-1",
        "/admin/media/film/add/",
        "/admin/articles/topic/add/",
    ]:
        visit(page, violations, f"{live_server.url}{path}")
    assert violations == []
    # The rich-text editor started (its modules load through the nonce'd import map).
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator(".ProseMirror[contenteditable=true]").wait_for(timeout=10_000)
