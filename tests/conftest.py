import functools
import hashlib
import os
import shutil
import threading
import time
from datetime import UTC, datetime

import pytest
import time_machine

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium floods this closed network (also used by
# scripts/screenshots.py).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def stopped_clock():
    """Stop the clock now; a test moves it on (`move_to`, `shift`) instead of sleeping.

    Also for tests that render a page twice and compare: a form token carries the
    second it was made in, and a loaded machine crosses seconds between renders.
    """
    from django.utils import timezone

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


# A test that compares with "today" must hold whatever the hour `make test` starts
# at: the last minutes of a UTC day and the first, when "2 hours ago" is yesterday.
EDGES_OF_THE_DAY = ("00:30", "23:30")
A_WEDNESDAY = (2026, 5, 13)  # no calendar's new year near it (Nowruz, January)


@pytest.fixture(params=EDGES_OF_THE_DAY, ids=lambda hour: f"{hour}UTC")
def either_end_of_the_day(request):
    """Stop the clock at 00:30, then at 23:30 UTC (the test runs at each)."""
    hour, minute = map(int, request.param.split(":"))
    moment = datetime(*A_WEDNESDAY, hour, minute, tzinfo=UTC)
    with time_machine.travel(moment, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep uploads of every test in a temporary folder, never under var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; the networking flags keep it off the closed network."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required for browser tests in CI")
        pytest.skip(f"{CHROMIUM} is not installed")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def close_stray_test_connections(django_db_setup, django_db_blocker):
    """Let the test database be dropped even if a thread left its connection open.

    After browser tests, one idle connection (opened in a live-server or Playwright
    context, not the main thread's) can outlive the run; dropping the database then
    fails. Its teardown runs just before pytest-django's.
    """
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session", autouse=True)
def renditions_encoded_once(tmp_path_factory):
    """Resize and encode each rendition of the same picture once per test process.

    A rendition is a function of its source file's bytes, crop, focal point, size and
    format, and the tests make the same ones again and again: the factories draw the
    same few flat images, and the reader's browser tests run the background job in
    every set-up. The first is kept in this session's temp folder and its bytes handed
    back for the same inputs; anything new is made by `_render` itself. Names, storage
    and the cache are untouched: every test still stores its own files.
    """
    from media import renditions

    render = renditions._render
    folder = tmp_path_factory.mktemp("renditions")

    def render_once(photo, size, ratio, extension):
        with photo.image.open("rb") as source:
            recipe = hashlib.sha256(source.read())
        shape, options = renditions.RATIOS[ratio], renditions.FORMATS[extension]
        recipe.update(repr((size, shape, photo.focal_x, photo.focal_y, options)).encode())
        kept = folder / recipe.hexdigest()
        if not kept.exists():
            kept.write_bytes(render(photo, size, ratio, extension))
        return kept.read_bytes()

    renditions._render = render_once
    yield
    renditions._render = render


@pytest.fixture(scope="session", autouse=True)
def demo_pictures_drawn_once():
    """Draw each of the demo's pictures once per test process.

    A dozen tests run load_demo, and drawing its 70 pictures with Pillow was about
    half of each run; a drawing is a pure function of its arguments (a seeded random).
    Only the loader's references are wrapped: tests of the drawings call their own.
    """
    from alwaght.demo import loader

    drawings = {name: getattr(loader, name) for name in ("illustration_jpeg", "map_png")}
    for name, draw in drawings.items():
        setattr(loader, name, functools.cache(draw))
    yield
    for name, draw in drawings.items():
        setattr(loader, name, draw)


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with empty caches (Most Viewed lists, rate limits, pages)."""
    from django.core.cache import caches

    from media import renditions
    from web.fragments import forget_fragments
    from web.scopes import forget_versions

    for alias in ("default", "pages"):
        caches[alias].clear()
    renditions._known_here.clear()  # per-test upload folders: nothing is made yet
    forget_versions()  # this process's copies of what was just cleared
    forget_fragments()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()
    forget_versions()
    forget_fragments()


class LiveServerGate:
    """The live server's site behind a gate: counts the requests it is serving, and
    while shut answers 503 at once, without running the site or touching the database."""

    def __init__(self, site):
        self.site = site
        self.shut = False
        self.serving = 0
        self.changed = threading.Condition()

    def __call__(self, environ, start_response):
        with self.changed:
            if self.shut:
                start_response("503 Service Unavailable", [("Content-Length", "0")])
                return []
            self.serving += 1
        try:
            body = self.site(environ, start_response)
        except BaseException:
            self.served()
            raise
        return ServedBody(body, self.served)

    def served(self):
        with self.changed:
            self.serving -= 1
            self.changed.notify_all()

    def shut_and_drain(self, timeout: float) -> bool:
        """Shut the gate; return once no request is being served (False: timed out)."""
        with self.changed:
            self.shut = True
            return self.changed.wait_for(lambda: self.serving == 0, timeout)


class ServedBody:
    """A response's body that tells the gate when the server has closed it."""

    def __init__(self, body, served):
        self.body, self.served = body, served

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.served()


@pytest.fixture(autouse=True)
def settle_live_server_requests(request):
    """Let the live server finish its requests, and take no more, before the flush.

    A page of the desk sends its autosave and lock release as it closes, and keeps
    a heartbeat while open; one of them arriving while a transactional test's
    database is flushed deadlocks the TRUNCATE. Set up before the browser page
    (autouse), so this runs after the page has closed and before the flush: the
    gate is shut, so a request arriving late (a beacon sent on close) is answered
    503 without the database, and the ones already in are waited for. The next test
    opens it again.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    thread = request.getfixturevalue("live_server").thread
    gate = thread.httpd.get_app()
    if not isinstance(gate, LiveServerGate):
        gate = LiveServerGate(gate)
        thread.httpd.set_app(gate)
    gate.shut = False
    yield
    from django.db import connection

    gate.shut_and_drain(timeout=5)
    # Then any connection another thread of the site is still using.
    deadline = time.monotonic() + 5
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state <> 'idle'"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


@pytest.fixture(autouse=True)
def default_edition():
    """Start every test in the English edition.

    A request to /ar/ or /fa/ leaves its language active in the thread, and
    reverse() would then build the next test's addresses in that edition.
    """
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")
