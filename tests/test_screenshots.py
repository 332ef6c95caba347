"""The browser tests' screenshots: one failed capture is asked again, anything else raised."""

import pytest
from playwright.sync_api import Error

from tests.screenshots import NEXT_FRAME, keep_screenshot


class Page:
    """Answers screenshot() with the given failures first, then saves; records the calls."""

    def __init__(self, *failures):
        self.failures = list(failures)
        self.calls = []

    def screenshot(self, **options):
        self.calls.append(("screenshot", options))
        if self.failures:
            raise Error(self.failures.pop(0))

    def evaluate(self, script):
        self.calls.append(("evaluate", script))


def test_a_capture_without_a_frame_is_asked_again_after_two_frames():
    page = Page("Page.screenshot: Protocol error: Unable to capture screenshot")

    keep_screenshot(page, "front.png")

    assert page.calls == [
        ("screenshot", {"path": "front.png", "full_page": True}),
        ("evaluate", NEXT_FRAME),
        ("screenshot", {"path": "front.png", "full_page": True}),
    ]


def test_a_second_failure_fails_the_test():
    page = Page(*["Unable to capture screenshot"] * 2)

    with pytest.raises(Error, match="Unable to capture"):
        keep_screenshot(page, "front.png", full_page=False)
    assert [call for call, _ in page.calls] == ["screenshot", "evaluate", "screenshot"]


def test_any_other_error_is_raised_at_once():
    page = Page("Target page, context or browser has been closed")

    with pytest.raises(Error, match="closed"):
        keep_screenshot(page, "front.png")
    assert len(page.calls) == 1
