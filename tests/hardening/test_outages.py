"""Database or cache down: 503 pages or degraded pages, never a 500; nothing typed is lost."""

import re
import time
from html import escape

import pytest
from django.test import Client, override_settings

from comments.forms import form_token
from comments.models import Comment
from tests.editions.test_numerals import offences
from tests.factories import make_article

DEAD_REDIS = {
    "default": {
        "BACKEND": "web.cache.FailSafeRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def reader():
    # Exceptions must become responses as in production, not be re-raised.
    return Client(raise_request_exception=False)


def comment_data(article, text):
    return {
        "name": "Leila",
        "email": "leila@example.org",
        "text": text,
        "website": "",
        "token": form_token(article.pk, now=time.time() - 60),
    }


@pytest.mark.django_db(transaction=True)
def test_database_down_gives_503_with_retry_after_and_recovers(reader, reader_pages, database_down):
    article, urls = reader_pages
    stop, start = database_down
    pages = [url for url in urls if "sitemap" not in url and url != "/robots.txt"]

    stop()
    statuses = {url: reader.get(url) for url in pages}
    start()
    after = {url: reader.get(url).status_code for url in pages}

    assert {url: r.status_code for url, r in statuses.items()} == dict.fromkeys(pages, 503)
    for response in statuses.values():
        assert response["Retry-After"] == "30"
        assert "no-cache" in response["Cache-Control"]
        assert "We will be back in a moment" in response.content.decode()
    assert after == dict.fromkeys(pages, 200)


@pytest.mark.django_db(transaction=True)
def test_a_comment_sent_while_the_database_is_down_comes_back_to_send_again(
    reader, reader_pages, database_down, settings
):
    settings.COMMENTS_MIN_SECONDS = 0
    article, _ = reader_pages
    stop, start = database_down
    text = "My <b>careful</b> thoughts\non the talks."

    stop()
    response = reader.post(f"/en/comments/{article.pk}/", comment_data(article, text))
    start()

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Your comment was not sent" in page
    assert "My &lt;b&gt;careful&lt;/b&gt; thoughts\non the talks.</textarea>" in page
    assert 'value="Leila"' in page
    assert f'action="/en/comments/{article.pk}/"' in page
    # The form on the outage page sends it once the database is back.
    again = reader.post(f"/en/comments/{article.pk}/", comment_data(article, text))
    assert again.status_code == 303
    assert Comment.objects.filter(text=text).exists()


@pytest.mark.django_db(transaction=True)
def test_a_persian_reader_is_told_in_persian_and_gets_the_comment_back(
    reader, database_down, settings
):
    settings.COMMENTS_MIN_SECONDS = 0
    article = make_article(language="fa", title="گفت‌وگوهای آب")
    stop, start = database_down
    text = "نظر من درباره گفت‌وگوها"

    stop()
    response = reader.post(f"/fa/comments/{article.pk}/", comment_data(article, text))
    start()

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Content-Language"] == "fa"
    assert '<html lang="fa" dir="rtl">' in page
    assert "چند لحظه دیگر برمی‌گردیم" in page  # We will be back in a moment
    assert '<label for="text">متن</label>' in page
    assert f"{text}</textarea>" in page
    assert '<a href="/fa/">' in page  # the edition's front page, not the English one
    assert offences(re.sub(r"<code>\w+</code>", "", page)) == []


@pytest.mark.django_db(transaction=True)
def test_health_endpoints(reader, database_down):
    stop, start = database_down

    assert reader.get("/healthz").status_code == 200
    ready = reader.get("/readyz")
    assert (ready.status_code, ready.json()) == (
        200,
        {"status": "ok", "database": True, "cache": True},
    )
    assert "no-cache" in ready["Cache-Control"]

    stop()
    alive, down = reader.get("/healthz"), reader.get("/readyz")
    start()

    assert alive.status_code == 200
    assert (down.status_code, down.json()["database"]) == (503, False)
    with override_settings(CACHES=DEAD_REDIS):
        assert reader.get("/readyz").json() == {
            "status": "unavailable",
            "database": True,
            "cache": False,
        }


@pytest.mark.django_db
def test_cache_down_the_site_keeps_serving(reader, reader_pages, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    article, urls = reader_pages

    with override_settings(CACHES=DEAD_REDIS):
        statuses = {url: reader.get(url).status_code for url in urls}
        beacon = reader.post(
            f"/beacon/articles/{article.pk}/view", headers={"User-Agent": "Mozilla/5.0"}
        )
        sent = reader.post(f"/en/comments/{article.pk}/", comment_data(article, "Still here."))

    assert statuses == dict.fromkeys(urls, 200)
    assert beacon.status_code == 204
    assert sent.status_code == 303
    assert Comment.objects.filter(text="Still here.").exists()


def test_a_cache_that_does_not_answer_misses_and_logs_once(caplog):
    from django.core.cache import caches

    with override_settings(CACHES=DEAD_REDIS):
        cache = caches["default"]
        with caplog.at_level("WARNING", logger="web.cache"):
            assert cache.get("k", "default") == "default"
            assert cache.get_many(["a", "b"]) == {}
            assert cache.add("k", 1) is False
            cache.set("k", 1)
            assert cache.set_many({"a": 1}) == ["a"]
            with pytest.raises(ValueError):
                cache.incr("k")
    assert len([r for r in caplog.records if r.name == "web.cache"]) <= 1


@pytest.fixture
def redis_server(tmp_path):
    """Start a throwaway redis-server on a free port; yield (url, stop, start)."""
    import shutil
    import socket
    import subprocess

    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = ["redis-server", "--port", str(port), "--save", "", "--dir", str(tmp_path)]
    processes = []

    def start():
        processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop():
        processes[-1].terminate()
        processes[-1].wait(10)

    start()
    yield f"redis://127.0.0.1:{port}/0", stop, start
    if processes[-1].poll() is None:
        stop()


@pytest.mark.django_db
def test_redis_stops_and_comes_back_without_a_restart(reader, reader_pages, redis_server):
    url, stop, start = redis_server
    _, pages = reader_pages
    caches = {"default": {**DEAD_REDIS["default"], "LOCATION": url}}
    with override_settings(CACHES=caches):
        from django.core.cache import cache

        before = [reader.get(page).status_code for page in pages]
        cache.set("probe", 1)
        stop()
        during = [reader.get(page).status_code for page in pages]
        start()
        cache.set("probe", 2)
        after = [reader.get(page).status_code for page in pages]
        back = cache.get("probe")

    assert before == during == after == [200] * len(pages)
    assert back == 2


class ReadsTheDatabaseFirst:
    """A middleware that reads the database before any view (as session or login ones do)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.auth.models import User

        User.objects.exists()
        return self.get_response(request)


@pytest.mark.django_db(transaction=True)
def test_the_database_failing_in_a_middleware_gives_the_503_page_too(
    reader, database_down, settings
):
    stop, start = database_down
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.ReadsTheDatabaseFirst"]

    stop()
    response = reader.get("/en/")
    start()

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert reader.get("/en/").status_code == 200


def test_other_errors_keep_the_plain_500_page(rf):
    from alwaght.outage import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/en/"))

    assert response.status_code == 500
    assert "Retry-After" not in response


def form_values(page, form_id):
    """Return the (name, value) pairs a browser would send for form `form_id` of `page`."""
    import lxml.html

    form = lxml.html.fromstring(page).get_element_by_id(form_id)
    return [(name, value or "") for name, value in form.form_values()]


def as_query(pairs):
    """Return (name, value) pairs as the test client's {name: [values]}."""
    query = {}
    for name, value in pairs:
        query.setdefault(name, []).append(value)
    return query


def posted_form(page):
    """Return (action, [(name, value)...]) of the form the 503 page offers to send again."""
    from html import unescape

    action = re.search(r'<form method="post" action="([^"]+)">', page)[1]
    fields = re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', page)
    return unescape(action), [(unescape(name), unescape(value)) for name, value in fields]


@pytest.mark.django_db(transaction=True)
def test_an_editors_article_sent_while_the_database_is_down_comes_back_to_save_again(
    database_down, settings
):
    """Issue 20 L11: the editor's unsaved article form was not given back."""
    from django.contrib.auth.models import Group, User

    from articles.models import Article
    from tests.factories import make_section

    section = make_section(name="Report", slug="report")
    editor = User.objects.create_user("ed", password="ed-pass-for-tests-1")
    editor.groups.add(Group.objects.get(name="Editors"), Group.objects.get(name="English desk"))
    desk = Client(raise_request_exception=False, enforce_csrf_checks=True)
    desk.force_login(editor)
    add_page = desk.get("/admin/articles/article/add/").content.decode()
    body = "<p>The first cranes arrived on Monday &amp; more</p>\n<p>Work starts “next week”.</p>"
    typed = {
        "title": "Harbour works begin <soon>",
        "slug": "harbour-works-begin",
        "lead": "Cranes arrive at the old port.",
        "body": body,
        "section": str(section.pk),
        "tags": "Port, Cranes",
    }
    # What the browser sends: every field of the form as the page filled it, then
    # what the editor typed, and the button they pressed.
    sent = [(n, v) for n, v in form_values(add_page, "article_form") if n not in typed]
    sent += [*typed.items(), ("_continue", "Save and continue editing")]
    stop, start = database_down

    stop()
    response = desk.post("/admin/articles/article/add/", as_query(sent))
    start()

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Your changes were not saved" in page
    assert f'<textarea readonly rows="2">{escape(body)}</textarea>' in page
    assert "Title<textarea" in page and "Body<textarea" in page
    assert "csrfmiddlewaretoken" not in page.split("What you wrote")[1]
    action, fields = posted_form(page)
    assert action == "/admin/articles/article/add/"
    assert fields == sent
    # The database is back: the form on the outage page saves the article as typed.
    again = desk.post(action, as_query(fields))
    assert again.status_code == 302, again.context["adminform"].form.errors
    article = Article.objects.get()
    assert (article.title, article.body) == (typed["title"], body)
    assert sorted(article.tags.names()) == ["Cranes", "Port"]


@pytest.mark.django_db(transaction=True)
def test_passwords_and_codes_never_come_back_in_the_outage_page(database_down):
    from django.contrib.auth.models import User

    stop, start = database_down
    reader = Client(raise_request_exception=False)
    staff = Client(raise_request_exception=False)
    staff.force_login(User.objects.create_superuser("admin", "admin@example.org", "x" * 20))

    stop()
    login = reader.post(
        "/admin/login/", {"username": "chief", "password": "secret-1", "otp_token": "123456"}
    )
    change = staff.post(
        "/admin/auth/user/1/password/", {"password1": "secret-2", "password2": "secret-2"}
    )
    start()

    for response in (login, change):
        assert response.status_code == 503
        page = response.content.decode()
        assert "secret-" not in page and "123456" not in page


@pytest.mark.django_db(transaction=True)
def test_the_persian_desk_is_told_in_persian(database_down, admin_user, settings):
    desk = Client(raise_request_exception=False)
    desk.force_login(admin_user)
    desk.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    stop, start = database_down

    stop()
    response = desk.post("/admin/topics/topic/add/", {"name": "تنگه هرمز", "language": "fa"})
    start()

    page = response.content.decode()
    assert response.status_code == 503
    assert '<html lang="fa" dir="rtl">' in page
    assert "تغییرات شما ذخیره نشد" in page
    assert "تنگه هرمز</textarea>" in page
