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


# Every rich-text editor of the page has started (django-prose-editor wraps its textarea
# in .prose-editor with the editable .ProseMirror; an empty inline form's is left).
EDITORS_STARTED = """() => [
    ...document.querySelectorAll(
        "[data-django-prose-editor-configurable], [data-django-prose-editor-default]"
    ),
].filter((textarea) => !textarea.id.includes("__prefix__"))
 .every((textarea) => textarea.closest(".prose-editor")?.querySelector(".ProseMirror"))"""


def visit(page, violations, url):
    """Open `url`; add what its policy refused to `violations`.

    page.goto returns at the load event, when the parser's scripts, the module scripts
    with every module they import (the editor's, through the import map), stylesheets,
    fonts and images have loaded or been refused (the favicon comes later, but its
    address is checked when its <link> is read). After it, scripts go on working:
    Django's date widgets add their icons (from 'self'), and the rich-text editor
    imports its extensions' modules with import() and starts once they have run. So
    the page is checked when its editors have started: a late module that breaks the
    policy is caught (waiting for 0.5 s without requests missed it, and cost 0.5 s a
    page). An import() carries the nonce of the module making it, so the policy lets
    it load from anywhere: what the imported module does is what is checked.
    """
    page.goto(url)
    page.wait_for_function(EDITORS_STARTED, timeout=10_000)
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
