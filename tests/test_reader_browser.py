"""The reader's site in Chromium at phone and desktop widths, with JavaScript on and off."""

import re

import pytest
from playwright.sync_api import expect

from alwaght.background import run_jobs
from popularity.services import article_view_record
from tests.factories import (
    make_article,
    make_editors_choice,
    make_film,
    make_gallery,
    make_map,
    make_section,
    make_topic,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
DESKTOP = {"width": 1280, "height": 900}
BLOCKS = ["Editor's Choice", "News", "Most Viewed", "In Focus", "Map", "Gallery", "Exclusive"]
SECTIONS = ["News", "Report", "Analysis", "Interview", "Opinion"]
OTHER_MENU_ITEMS = ["Home", "In Focus", "Gallery", "Maps", "Most Viewed", "All news"]


@pytest.fixture
def site():
    sections = [make_section(name=name, slug=name.lower()) for name in SECTIONS]
    article = make_article(title="Water talks resume", section=sections[0], tags=["Water"])
    for number in range(4):
        make_editors_choice(make_article(section=sections[number % 5]), position=number)
    for number in range(6):
        make_article(title=f"Headline {number}", section=sections[number % 5])
    article_view_record(article_id=article.pk)
    make_topic(name="Water diplomacy", in_focus=True)
    make_map(title="Northern line")
    make_gallery(title="Harbour at dawn", photos=2, exclusive=True)
    make_film(title="Inside the port")
    run_jobs()  # what the background worker stores: Most Viewed, related, renditions
    return article


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def reader(request, browser):
    """Open pages as a reader, with JavaScript on or off."""
    context = browser.new_context(java_script_enabled=request.param)
    yield context.new_page()
    context.close()


def no_overflow(page):
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_article_page_shows_every_reference_block(reader, live_server, site, viewport):
    reader.set_viewport_size(viewport)
    reader.goto(f"{live_server.url}{site.get_absolute_url()}")

    for heading in BLOCKS:
        expect(
            reader.locator(".article-aside .block-title", has_text=heading).first
        ).to_be_visible()
    assert no_overflow(reader)
    article = reader.locator("article.article").bounding_box()
    form = reader.locator("#comment-form").bounding_box()
    for side in (".article-aside--start", ".article-aside--end"):
        box = reader.locator(side).bounding_box()
        if viewport is DESKTOP:  # beside the article, starting level with it
            assert abs(box["y"] - article["y"]) < 40, side
            assert box["y"] < form["y"], side
        else:  # after the article and its comment form
            assert box["y"] > form["y"], side


def test_desktop_puts_the_blocks_on_both_sides_of_the_article(reader, live_server, site):
    reader.set_viewport_size(DESKTOP)
    reader.goto(f"{live_server.url}{site.get_absolute_url()}")

    article = reader.locator("article.article").bounding_box()
    start = reader.locator(".article-aside--start").bounding_box()
    end = reader.locator(".article-aside--end").bounding_box()
    assert start["x"] + start["width"] <= article["x"]
    assert end["x"] >= article["x"] + article["width"]


def test_every_menu_item_is_reachable_on_a_phone(reader, live_server, site):
    reader.set_viewport_size(PHONE)
    reader.goto(f"{live_server.url}/en/")

    expect(reader.locator(".section-nav__list")).to_be_hidden()
    reader.locator(".phone-menu__toggle").click()
    menu = reader.locator(".phone-menu__list")
    for label in SECTIONS + OTHER_MENU_ITEMS:
        link = menu.get_by_role("link", name=label, exact=True)
        expect(link).to_be_visible()
        expect(link).to_be_in_viewport()
    assert no_overflow(reader)

    menu.get_by_role("link", name="Maps", exact=True).click()
    reader.wait_for_url("**/en/maps/")
    expect(reader.locator(".phone-menu__current")).to_have_text("Maps")


def test_phone_menu_closes_with_escape_when_javascript_runs(page, live_server, site):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/en/")

    page.locator(".phone-menu__toggle").click()
    expect(page.locator(".phone-menu__list")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".phone-menu__list")).to_be_hidden()


def test_tablet_menu_shows_every_item_uncut(page, live_server, site):
    page.set_viewport_size(TABLET)
    page.goto(f"{live_server.url}/en/")

    for label in SECTIONS + OTHER_MENU_ITEMS:
        link = page.locator(".section-nav__list").get_by_role("link", name=label, exact=True)
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= TABLET["width"], label
    assert no_overflow(page)


@pytest.mark.parametrize(
    ("path", "current"),
    [("/en/maps/", "Maps"), ("/en/gallery/", "Gallery"), ("/en/gallery/films/", "Gallery")],
)
def test_menu_marks_the_page_being_read(page, live_server, site, path, current):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{path}")

    expect(page.locator('.section-nav__list a[aria-current="page"]')).to_have_text(current)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_front_page_gallery_tabs_switch_between_photo_and_film(reader, live_server, site, viewport):
    reader.set_viewport_size(viewport)
    reader.goto(f"{live_server.url}/en/")
    block = reader.locator(".block--gallery")

    expect(block.get_by_role("link", name="Harbour at dawn")).to_be_visible()
    expect(block.get_by_role("link", name="Inside the port")).to_be_hidden()
    block.get_by_text("Film", exact=True).click()
    expect(block.get_by_role("link", name="Inside the port")).to_be_visible()
    expect(block.get_by_role("link", name="Harbour at dawn")).to_be_hidden()
    expect(reader.locator(".block--exclusive").get_by_text("Harbour at dawn")).to_be_visible()
    assert no_overflow(reader)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_footer_sits_at_the_bottom_of_a_short_page(page, live_server, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/en/news/")  # an empty archive: a short page

    footer = page.locator(".site-footer").bounding_box()
    assert abs(footer["y"] + footer["height"] - viewport["height"]) <= 1
    expect(page.locator(".site-footer").get_by_role("link", name="RSS feed")).to_be_visible()


@pytest.fixture
def gallery():
    from media.models import GalleryPhoto

    gallery = make_gallery(title="Harbour at dawn", photos=3)
    for number, item in enumerate(GalleryPhoto.objects.filter(gallery=gallery), start=1):
        item.caption = f"Caption number {number}"
        item.save()
    return gallery


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_gallery_grid_shows_captions_and_the_lightbox_counts(
    reader, live_server, gallery, viewport
):
    reader.set_viewport_size(viewport)
    reader.goto(f"{live_server.url}{gallery.get_absolute_url()}")

    expect(reader.get_by_text("3 photos")).to_be_visible()
    for number in (1, 2, 3):
        expect(
            reader.locator(".photo-grid").get_by_text(f"Caption number {number}")
        ).to_be_visible()
    reader.locator(".photo-grid__link").nth(1).click()
    expect(reader.locator("#photo-2")).to_be_visible()
    expect(reader.locator("#photo-2 .lightbox__count")).to_have_text("2 of 3")
    reader.locator("#photo-2").get_by_role("link", name="Next").click()
    expect(reader.locator("#photo-3 .lightbox__count")).to_have_text("3 of 3")
    expect(reader.locator("#photo-2")).to_be_hidden()
    reader.locator("#photo-3").get_by_role("link", name="Close").click()
    expect(reader.locator(".lightbox:visible")).to_have_count(0)
    assert no_overflow(reader)


def test_lightbox_adds_no_back_button_steps_and_closes_with_escape(page, live_server, gallery):
    page.goto(f"{live_server.url}/en/")
    page.goto(f"{live_server.url}{gallery.get_absolute_url()}")
    steps = page.evaluate("history.length")

    page.locator(".photo-grid__link").first.click()
    page.locator("#photo-1").get_by_role("link", name="Next").click()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#photo-3 .lightbox__count")).to_have_text("3 of 3")
    assert page.url.endswith("#photo-3")
    assert page.evaluate("history.length") == steps

    page.keyboard.press("Escape")
    expect(page.locator(".lightbox:visible")).to_have_count(0)
    expect(page.locator(".photo-grid__link").first).to_be_focused()
    page.go_back()
    page.wait_for_url(f"{live_server.url}/en/")


def test_film_teasers_show_a_play_mark_and_the_length(page, live_server, site):
    from datetime import timedelta

    make_film(title="Long film", duration=timedelta(minutes=62, seconds=9))
    page.goto(f"{live_server.url}/en/gallery/films/")

    card = page.locator(".media-card", has_text="Long film")
    expect(card.locator(".play-mark")).to_be_visible()
    expect(card.locator(".duration-badge")).to_have_text("Length 1:02:09")


def test_article_prints_as_the_article_only(page, live_server, site):
    from media.models import Photo

    site.photo = Photo.objects.first()
    site.body = "<p>First paragraph.</p><p>Second paragraph.</p><p>Third paragraph.</p>"
    site.save()
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{site.get_absolute_url()}")
    page.emulate_media(media="print")

    for hidden in (".masthead", ".section-nav", ".article-aside", "#comment-form", ".share"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    for shown in (".article__title", ".article__meta time", ".article__lead", ".article__body"):
        expect(page.locator(shown).first).to_be_visible()
    expect(page.locator(".article__figure figcaption")).to_be_visible()
    expect(page.locator(".article__tags").get_by_role("link", name="Water")).to_be_visible()
    expect(page.locator(".article__url")).to_have_text(
        f"{live_server.url}{site.get_absolute_url()}"
    )
    pages = len(re.findall(rb"/Type\s*/Page(?![a-z])", page.pdf(format="A4")))
    assert 1 <= pages <= 2, pages


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_skip_link_does_not_cover_the_logo(page, live_server, site, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/en/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    link, logo = skip.bounding_box(), page.locator(".masthead__brand").bounding_box()
    assert link["y"] + link["height"] <= logo["y"] or logo["x"] + logo["width"] <= link["x"]


def test_focus_lands_on_the_notice_after_sending_a_comment(reader, live_server, site):
    reader.goto(f"{live_server.url}{site.get_absolute_url()}")
    reader.get_by_label("Text").fill("A thoughtful remark about the water talks.")
    reader.get_by_role("button", name="Send").click()

    reader.wait_for_url("**?comment=sent#comment-sent")
    notice = reader.locator("#comment-sent")
    expect(notice).to_be_focused()
    expect(notice).to_be_in_viewport()


def test_news_block_does_not_repeat_a_red_label_on_every_item(page, live_server, site):
    page.goto(f"{live_server.url}/en/")

    expect(page.locator(".block--news .kicker")).to_have_count(0)
    heading_link = page.locator(".block--news .block-title a")
    assert heading_link.evaluate("a => getComputedStyle(a).textDecorationLine") == "underline"
