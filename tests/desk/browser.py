"""Steps the desk's browser tests share: signing in, choosing in an autocomplete box."""

from playwright.sync_api import expect


def sign_in(page, base: str, username: str, password: str):
    """Sign `page` in at the desk's login form and wait for the desk home."""
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    return page


def choose(page, box: str, typed: str, option: str) -> None:
    """Open the admin's autocomplete box `box` (a CSS selector), type, pick `option`."""
    page.locator(box).click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).click()


def answer_to(page, button) -> int:
    """Press `button` (a locator of a button that posts) and return the post's HTTP status."""
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        button.click()
    page.wait_for_load_state()
    return answer.value.status


def switcher_link(page, edition: str) -> str | None:
    """Return where the masthead's edition switcher leads for `edition` (its href)."""
    return page.locator(f".editions__list a[hreflang={edition}]").get_attribute("href")
