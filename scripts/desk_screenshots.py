"""Take docs/desk.md's screenshots: the desk home, the review page and the compare page,
in English and in Persian, as a newcomer to each desk meets them.

Run against a development server of this checkout with the demo content loaded
(`make run`, or `manage.py migrate && manage.py load_demo && manage.py runserver PORT`):

    .venv/bin/python scripts/desk_screenshots.py [http://127.0.0.1:8000]

It works as the newsroom would, through the desk's own buttons: an Editor of each
desk submits a change to the edition's newest live story (a held change for the
review page), and a Chief Editor publishes a new lead on the next one (two versions
to compare). Accounts `shots_<role>_<edition>` are made if missing and signed in
through sessions made here (no passwords), so the script must use the server's
database and secret key. Running it again changes nothing more. Writes
docs/images/desk-{home,review,compare}-{en,fa}.png, at most 1000 px wide, as
256-colour PNGs (each well under 150 KB).
"""

import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
WIDTH = 1000
VIEWPORT = {"width": WIDTH, "height": 760}
LOCALES = {"en": "en-GB", "fa": "fa-IR"}  # the desk speaks the browser's language
SUFFIX = {"en": " Figures checked with the port.", "fa": " ارقام با بندر بررسی شد."}


def account(role: str, edition: str):
    """Return the screenshot account of `role` on `edition`'s desk, made if missing."""
    from django.contrib.auth.models import Group, User

    from alwaght.roles import DESKS

    groups = {"editor": "Editors", "chief": "Chief Editors"}
    user, made = User.objects.get_or_create(
        username=f"shots_{role}_{edition}",
        defaults={"is_staff": True, "first_name": f"{role.title()} ({edition})"},
    )
    if made:
        user.set_unusable_password()
        user.save()
        user.groups.add(
            Group.objects.get(name=groups[role]), Group.objects.get(name=DESKS[edition])
        )
    return user


def session_cookie(user, base: str) -> dict:
    """Return a session cookie of `user` for `base`, made as Django's test client logs in."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": base}


def live_stories(edition: str):
    from articles.models import Article

    return Article.objects.published().in_language(edition).order_by("-publish_at", "-pk")


def desk_page(browser, user, base: str, edition: str):
    context = browser.new_context(locale=LOCALES[edition], viewport=VIEWPORT)
    context.add_cookies([session_cookie(user, base)])
    return context.new_page()


def press(page, name: str) -> None:
    """Press a workflow button by its name (the page's `name` attribute, any language)."""
    page.locator(f".desk-workflow button[value={name}]").click()
    page.locator(".messagelist").wait_for()


def submit_a_change(browser, base: str, edition: str, story) -> None:
    """The Editor adds a sentence to the lead of a live story: held for review."""
    page = desk_page(browser, account("editor", edition), base, edition)
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    page.fill("#id_lead", story.lead.removesuffix(SUFFIX[edition]) + SUFFIX[edition])
    press(page, "submit")
    page.context.close()


def publish_a_new_lead(browser, base: str, edition: str, story) -> tuple[int, int]:
    """The Chief saves the story as it is, then with a new lead; return the two versions."""
    from reversion.models import Version

    page = desk_page(browser, account("chief", edition), base, edition)
    url = f"{base}/admin/articles/article/{story.pk}/change/"
    versions = Version.objects.get_for_object(story).order_by("pk")
    if versions.count() < 2:
        page.goto(url)
        press(page, "publish")
        page.goto(url)
        page.fill("#id_lead", story.lead.removesuffix(SUFFIX[edition]) + SUFFIX[edition])
        press(page, "publish")
    page.context.close()
    versions = Version.objects.get_for_object(story).order_by("pk")
    return versions.first().pk, versions.last().pk


def shoot(page, url: str, path: Path, *, ready: str) -> None:
    page.goto(url, wait_until="networkidle")
    page.locator(ready).first.wait_for()
    page.screenshot(path=path)


def optimise(path: Path) -> None:
    """Keep the repository light: at most WIDTH px wide, 256 colours, optimised."""
    from PIL import Image

    with Image.open(path) as image:
        image = image.convert("RGB")
        if image.width > WIDTH:
            image = image.resize((WIDTH, round(image.height * WIDTH / image.width)))
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main(base: str) -> None:
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for edition in LOCALES:
            reviewed, compared = live_stories(edition)[:2]
            submit_a_change(browser, base, edition, reviewed)
            old, new = publish_a_new_lead(browser, base, edition, compared)
            chief = desk_page(browser, account("chief", edition), base, edition)
            admin = f"{base}/admin/articles/article"
            for name, url, ready in [
                ("home", f"{base}/admin/", ".desk-home"),
                ("review", f"{admin}/{reviewed.pk}/review/", ".desk-side-by-side"),
                ("compare", f"{admin}/{compared.pk}/compare/?old={old}&new={new}", "#content"),
            ]:
                path = OUT / f"desk-{name}-{edition}.png"
                shoot(chief, url, path, ready=ready)
                written.append(path)
            chief.context.close()
        browser.close()
    for path in written:
        optimise(path)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alwaght.settings")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # ORM calls beside Playwright's event loop
    django.setup()
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
