"""CSP, Permissions-Policy, CORP and X-Frame-Options on every kind of response."""

import re

import pytest
from django.test.utils import override_script_prefix
from django.urls import reverse

from tests.factories import make_article, make_film

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


def assert_headers(response, url):
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"], url
    assert policy["frame-ancestors"] == ["'none'"], url
    assert policy["object-src"] == ["'none'"], url
    assert policy["base-uri"] == ["'none'"], url
    assert "'unsafe-inline'" not in policy["script-src"], url
    assert "camera=()" in response["Permissions-Policy"], url
    assert response["Cross-Origin-Resource-Policy"] == "same-origin", url
    assert response["X-Frame-Options"] == "DENY", url


def test_every_kind_of_response_carries_the_headers(client, admin_user):
    article = make_article(tags=["water"])
    urls = [
        "/en/",  # page
        article.get_absolute_url(),
        "/en/feed/",  # feed
        "/sitemap.xml",  # sitemap
        "/admin/login/",  # the desk, signed out
        "/en/news/999999/missing/",  # a 404
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_headers(response, url)
    client.force_login(admin_user)
    for url in ["/admin/", "/admin/articles/article/", "/admin/articles/article/add/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_headers(response, url)


def test_static_files_carry_the_headers(client):
    from django.core.signals import request_finished
    from django.db import close_old_connections

    response = client.get("/static/css/site.css")  # served by WhiteNoise, before any view
    # Closing the streamed file fires request_finished, which would close the
    # test's connection, as Django's test client itself avoids.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

    assert response.status_code == 200
    assert_headers(response, "static")


def test_a_request_refused_before_any_view_carries_the_headers(client):
    """A forged Host is refused in CommonMiddleware, before the middleware that once set
    X-Frame-Options last had run."""
    response = client.get("/ar/", headers={"Host": "evil.example"})

    assert response.status_code == 400
    assert_headers(response, "400")


def test_reader_pages_allow_no_inline_script_or_style_and_no_frames(client):
    article = make_article()

    response = client.get(article.get_absolute_url())

    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no nonce: nothing inline asked for one
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-src"] == ["'none'"]
    # JSON-LD is a data block, which the policy does not govern; no other inline script.
    page = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all("src=" in attrs or "application/ld+json" in attrs for attrs in scripts)
    assert " style=" not in page and "<style" not in page


def test_only_film_pages_may_frame_the_video_hosts(client):
    film = make_film()

    policy = directives(client.get(film.get_absolute_url() + "?play=1")["Content-Security-Policy"])
    index = directives(client.get("/en/gallery/films/")["Content-Security-Policy"])

    assert policy["frame-src"] == ["https://player.vimeo.com", "https://www.youtube-nocookie.com"]
    assert index["frame-src"] == ["'none'"]


def test_the_rich_text_editors_import_map_runs_by_nonce_in_the_desk(staff_client):
    response = staff_client.get(reverse("admin:articles_article_add"))

    policy = directives(response["Content-Security-Policy"])
    nonce = re.search(r'<script type="importmap" nonce="([^"]+)"', response.content.decode())
    assert nonce, "the import map carries no nonce"
    assert f"'nonce-{nonce[1]}'" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]  # the desk's widgets


def test_the_desk_gets_its_allowances_under_a_script_prefix(staff_client):
    """A site mounted under a path (SCRIPT_NAME): path_info has no prefix, reverse() has."""
    with override_script_prefix("/news/"):  # as WSGIHandler sets it from SCRIPT_NAME
        desk = staff_client.get("/admin/", SCRIPT_NAME="/news")
        reader = staff_client.get("/en/", SCRIPT_NAME="/news")

    assert desk.status_code == 200
    assert directives(desk["Content-Security-Policy"])["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives(reader["Content-Security-Policy"])["style-src"] == ["'self'"]


def test_each_request_gets_its_own_nonce_though_policies_are_kept(staff_client, client):
    """The policies' text is kept between responses (alwaght/security_headers.py):
    never a nonce's, and never across the desk's and readers' allowances."""
    url = reverse("admin:articles_article_add")
    first, second = (staff_client.get(url) for _ in range(2))

    nonces = [
        re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
        for response in (first, second)
    ]
    assert nonces[0] != nonces[1]
    assert f'nonce="{nonces[1]}"' in second.content.decode()
    reader = directives(client.get("/en/")["Content-Security-Policy"])
    assert reader["script-src"] == ["'self'"]
    assert reader["style-src"] == ["'self'"]


def test_every_admin_form_with_an_import_map_runs_it_by_nonce(staff_client):
    """Issue 20 L9: the standing pages' editor had an import map without a nonce."""
    from django.contrib import admin

    forms_with_editor = []
    for model in admin.site._registry:
        opts = model._meta
        response = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        if response.status_code != 200 or "importmap" not in response.content.decode():
            continue
        forms_with_editor.append(opts.label)
        policy = directives(response["Content-Security-Policy"])
        maps = re.findall(r'<script type="importmap"([^>]*)>', response.content.decode())
        assert len(maps) == 1, opts.label
        nonce = re.search(r'nonce="([^"]+)"', maps[0])
        assert nonce and f"'nonce-{nonce[1]}'" in policy["script-src"], opts.label

    assert {"alwaght.Page", "articles.Article"} <= set(forms_with_editor)


def test_report_only_mode_sends_the_same_policy_without_enforcing_it(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None

    response = client.get("/en/")

    assert "Content-Security-Policy" not in response
    policy = directives(response["Content-Security-Policy-Report-Only"])
    assert policy["default-src"] == ["'self'"]


def test_report_only_setting_comes_from_the_environment():
    import os
    import subprocess
    import sys

    script = (
        "import django; django.setup(); from django.conf import settings;"
        "print(getattr(settings, 'CONTENT_SECURITY_POLICY', None) is None,"
        " bool(settings.CONTENT_SECURITY_POLICY_REPORT_ONLY))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DJANGO_CSP_REPORT_ONLY": "1"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )

    assert result.stdout.split() == ["True", "True"], result.stderr


def test_a_film_page_from_a_full_page_cache_still_may_frame_the_video_hosts(rf):
    from django.http import HttpResponse

    from alwaght.security_headers import SitePolicyMiddleware

    film = make_film()
    # A cache hit: no view ran, so the request was never resolved.
    cached = SitePolicyMiddleware(lambda request: HttpResponse("<p>cached</p>"))

    film_page = cached(rf.get(film.get_absolute_url()))
    other_page = cached(rf.get("/en/gallery/films/"))

    assert directives(film_page["Content-Security-Policy"])["frame-src"] == [
        "https://player.vimeo.com",
        "https://www.youtube-nocookie.com",
    ]
    assert directives(other_page["Content-Security-Policy"])["frame-src"] == ["'none'"]
