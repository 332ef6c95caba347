"""The 400, CSRF 403 and 500 pages speak the edition of the address, and need nothing to.

Each is asked for as production meets it (exceptions become responses, never
re-raised), in every edition: its status, `lang` and `dir`, its title in the
edition's words and a link to the edition's front page. The 500 page runs no
query and still renders with the database unreachable; the 400 page never shows
the Host it was sent and carries the security headers of every other page.
"""

import re

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.test import Client
from django.urls import path
from django.utils import translation

from alwaght import urls as site_urls
from tests.editions.test_numerals import offences
from tests.factories import make_article

pytestmark = pytest.mark.django_db

EDITIONS = [("en", "ltr"), ("ar", "rtl"), ("fa", "rtl")]
TITLES = {
    500: {"en": "Server error", "ar": "خطأ في الخادم", "fa": "خطای سرور"},
    400: {"en": "Bad request", "ar": "طلب غير صالح", "fa": "درخواست نامعتبر"},
    403: {"en": "Form expired", "ar": "انتهت صلاحية النموذج", "fa": "فرم منقضی شده است"},
}


def broken_view(request):
    raise RuntimeError("a bug")


# The site, and a page that fails in each edition and outside them.
urlpatterns = [
    *i18n_patterns(path("broken/", broken_view), prefix_default_language=True),
    path("broken/", broken_view),
    *site_urls.urlpatterns,
]
handler500 = site_urls.handler500


@pytest.fixture
def reader():
    # Exceptions must become responses as in production, not be re-raised.
    return Client(raise_request_exception=False)


@pytest.fixture
def broken_site(settings, reader):
    settings.ROOT_URLCONF = __name__
    return reader


def assert_edition_page(response, status, edition, direction):
    page = response.content.decode()
    title = TITLES[status][edition]
    assert response.status_code == status
    assert response["Content-Language"] == edition
    assert f'<html lang="{edition}" dir="{direction}">' in page
    assert f"<title>{title} · " in page
    assert f'<a href="/{edition}/">' in page  # the edition's front page
    if edition == "fa":
        # Persian digits, as on every reader page; the reference to quote is a code.
        assert offences(re.sub(r"<code>\w+</code>", "", page)) == []


@pytest.mark.parametrize(("edition", "direction"), EDITIONS)
def test_the_500_page_speaks_the_edition_and_runs_no_query(
    broken_site, edition, direction, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = broken_site.get(f"/{edition}/broken/")

    assert_edition_page(response, 500, edition, direction)
    assert f"<code>{response['X-Request-ID']}</code>" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_500_page_renders_with_the_database_unreachable(broken_site, database_down):
    stop, start = database_down

    stop()
    response = broken_site.get("/fa/broken/")
    start()

    assert_edition_page(response, 500, "fa", "rtl")
    assert "Retry-After" not in response  # a bug, not an outage: the 503 page is for those


def test_an_error_before_the_locale_middleware_ran_speaks_the_address_not_the_thread(rf):
    """A request that failed early inherits the thread's language from the one before."""
    from alwaght.outage import server_error

    with translation.override("ar"):
        try:
            raise ValueError("a bug")
        except ValueError:
            response = server_error(rf.get("/fa/news/"))
            outside = server_error(rf.get("/sitemap.xml", headers={"Accept-Language": "fa"}))

    assert_edition_page(response, 500, "fa", "rtl")
    assert_edition_page(outside, 500, "fa", "rtl")


def comments_of(article):
    return f"/{article.language}/comments/{article.pk}/"


# What Django answers 400: Host not in ALLOWED_HOSTS, a body over
# DATA_UPLOAD_MAX_MEMORY_SIZE, fields over DATA_UPLOAD_MAX_NUMBER_FIELDS, a body that
# cannot be parsed.
BAD_REQUESTS = {
    "forged Host": lambda reader, article: reader.get(
        f"/{article.language}/", headers={"Host": "evil.example"}
    ),
    "3 MB body": lambda reader, article: reader.post(
        comments_of(article), {"text": "x" * 3_000_000}
    ),
    "2,000 fields": lambda reader, article: reader.post(
        comments_of(article), {f"f{n}": "1" for n in range(2000)}
    ),
    "multipart without a boundary": lambda reader, article: reader.generic(
        "POST", comments_of(article), b"text=x", content_type="multipart/form-data"
    ),
}


@pytest.mark.parametrize("sent", BAD_REQUESTS)
@pytest.mark.parametrize(("edition", "direction"), EDITIONS)
def test_the_400_page_speaks_the_edition_and_carries_the_headers(reader, edition, direction, sent):
    response = BAD_REQUESTS[sent](reader, make_article(language=edition))

    assert_edition_page(response, 400, edition, direction)
    page = response.content.decode()
    assert "evil.example" not in page and "http" not in page  # no host, no absolute address
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_forged_host_gets_the_editions_page_without_a_query(reader, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = reader.get("/fa/", headers={"Host": "evil.example"})

    assert_edition_page(response, 400, "fa", "rtl")


@pytest.mark.parametrize(("edition", "direction"), EDITIONS)
def test_the_csrf_page_speaks_the_readers_language(edition, direction):
    # The desk's language switch: no edition in its address, so the browser's language.
    browser = Client(enforce_csrf_checks=True, headers={"Accept-Language": edition})

    response = browser.post("/i18n/setlang/", {"language": edition})

    assert_edition_page(response, 403, edition, direction)


def test_the_csrf_page_follows_the_language_switchs_cookie(settings):
    browser = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    response = browser.post("/admin/login/", {"username": "chief", "password": "x"})

    assert_edition_page(response, 403, "ar", "rtl")
    assert "ارجع وأعد تحميل الصفحة" in response.content.decode()
