"""Take the README's screenshots: each edition's front page and the desk's home.

Run against a development server of this checkout (`make run`, or
`manage.py runserver`), after the background jobs have made the renditions:

    .venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000]

The desk is shown as the `editor` account that `make run` creates, signed in
through a session made here (no password needed), so the script must use the
same database and secret key as the server. Writes docs/images/*.png.
"""

import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
PAGES = {
    "front-en.png": "/en/",
    "front-ar.png": "/ar/",
    "front-fa.png": "/fa/",
}
VIEWPORT = {"width": 1280, "height": 860}


def desk_session_cookie(username: str = "editor") -> dict:
    """Return a session cookie of `username`, made as Django's test client logs in."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value}


def main(base: str) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        for name, path in PAGES.items():
            page.goto(base + path, wait_until="networkidle")
            page.screenshot(path=OUT / name)
        context = browser.new_context(viewport=VIEWPORT)
        context.add_cookies([{**desk_session_cookie(), "url": base}])
        desk = context.new_page()
        desk.goto(base + "/admin/", wait_until="networkidle")
        desk.screenshot(path=OUT / "desk.png")
        browser.close()
    for name in [*PAGES, "desk.png"]:
        # Lossless, only smaller: the PNGs are committed.
        image = Image.open(OUT / name)
        image.save(OUT / name, optimize=True)
        print(OUT / name, (OUT / name).stat().st_size // 1024, "KB")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alwaght.settings")
    django.setup()
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
