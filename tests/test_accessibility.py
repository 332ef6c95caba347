"""WCAG 2.2 AA rules (axe-core) and layout checks on the reader pages, in Chromium."""

import os
from pathlib import Path

import pytest

from alwaght.demo.pages import load_standing_pages
from popularity.services import article_view_record
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_editors_choice,
    make_film,
    make_gallery,
    make_map,
    make_photo,
    make_topic,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """async (rules) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: rules}});
    return result.violations.map(
        (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`
    );
}"""


@pytest.fixture
def browser_context_args(browser_context_args):
    """Let axe-core be injected: the site's Content-Security-Policy refuses inline script."""
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def axe_path():
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is missing: run `npm ci`")
        pytest.skip("axe-core is not installed (npm ci)")
    return str(AXE)


TITLES = {
    "en": "Water talks resume",
    "ar": "استئناف مفاوضات المياه مع شركة Meridian",
    "fa": "مذاکرات آب با شرکت Meridian از سر گرفته شد",
}


@pytest.fixture(params=["en", "ar", "fa"])
def edition(request):
    return request.param


@pytest.fixture
def pages(edition):
    e = edition
    topic = make_topic(slug="water-diplomacy", in_focus=True, language=e)
    author = make_author(name="Leila Haddad", bio="Covers water.", photo=make_photo())
    article = make_article(
        language=e,
        title=TITLES[e],
        author=author,
        tags=["Water"],
        photo=make_photo(
            size=(640, 360), alt_text="Delegates at a table", caption="The opening session."
        ),
    )
    article.topics.add(topic)
    make_editors_choice(article, position=1)
    make_editors_choice(
        make_article(section=article.section, tags=["Water"], language=e), position=2
    )
    make_comment(article=article, status="approved")
    article_view_record(article_id=article.pk)
    gallery = make_gallery(photos=3, exclusive=True, language=e)
    film = make_film(language=e)
    make_map(language=e)
    make_article(section=article.section, title="An earlier story", language=e)
    load_standing_pages()  # the demo's standing pages are English only
    standing = ["/en/pages/privacy/"] if e == "en" else []
    return [
        author.get_absolute_url(),
        *standing,
        gallery.get_absolute_url() + "#photo-2",
        f"/{e}/gallery/",
        gallery.get_absolute_url(),
        f"/{e}/gallery/films/",
        film.get_absolute_url(),
        f"/{e}/maps/",
        f"/{e}/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        f"/{e}/news/",
        f"/{e}/in-focus/",
        topic.get_absolute_url(),
        f"/{e}/tags/water/",
        f"/{e}/most-viewed/week/",
        f"/{e}/search/?q=water",
        f"/{e}/search/?q=%3F",
        f"/{e}/search/?q=water&section={article.section.slug}&when=year&sort=newest",
        f"/{e}/search/?q=water&section=nowhere&when=decade&from=2024-13-01&to=x&sort=oldest",
        f"/{e}/search/?q=water&from=2024-05-02&to=2024-05-01",
        f"/{e}/news/999999/missing/",
    ]


@pytest.mark.parametrize("width", [390, 1280])
def test_reader_pages_pass_axe_and_do_not_overflow(page, live_server, axe_path, pages, width):
    """Every page type, in every edition (the `pages` fixture), at phone and desktop widths."""
    page.set_viewport_size({"width": width, "height": 900})
    problems = {}
    for url in pages:
        page.goto(f"{live_server.url}{url}")
        page.add_script_tag(path=axe_path)
        violations = page.evaluate(RUN_AXE, RULES)
        overflow = page.evaluate("document.scrollingElement.scrollWidth > window.innerWidth")
        if violations or overflow:
            problems[url] = violations + (["horizontal overflow"] if overflow else [])

    assert problems == {}


def test_open_phone_menu_passes_axe(page, live_server, axe_path, pages):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/en/")
    page.locator(".phone-menu__toggle").click()
    page.add_script_tag(path=axe_path)

    assert page.evaluate(RUN_AXE, RULES) == []
