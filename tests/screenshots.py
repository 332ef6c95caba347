"""Screenshots the browser tests keep for people to look at."""

from playwright.sync_api import Error, Page

NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def keep_screenshot(page: Page, path, *, full_page: bool = True) -> None:
    """Save a screenshot of the page at path, asking a second time if Chromium has no frame.

    Under load headless Chromium now and then answers a capture with "Unable to
    capture screenshot" when it has not yet drawn a frame at the new size (a full-page
    capture resizes the page first). The picture is kept for people, not measured, so
    one failed capture must not fail the test whose assertions are about the layout:
    wait until the page has drawn two more frames and capture once more, which then
    fails loudly if Chromium still cannot.
    """
    try:
        page.screenshot(path=path, full_page=full_page)
    except Error as error:
        if "Unable to capture screenshot" not in error.message:
            raise
        page.evaluate(NEXT_FRAME)
        page.screenshot(path=path, full_page=full_page)
