"""Reader views take GET and HEAD (and POST where a form posts); anything else is 405."""

import time

import pytest

from comments.forms import form_token

pytestmark = pytest.mark.django_db

REFUSED = ["OPTIONS", "TRACE", "PUT", "PATCH", "DELETE", "PROPFIND", "POST"]


def test_reader_pages_refuse_other_methods_with_405(client, reader_pages):
    _, urls = reader_pages
    answers = {}
    for url in [*urls, "/healthz", "/readyz"]:
        for method in REFUSED:
            response = client.generic(method, url)
            answers[(method, url)] = (response.status_code, response.get("Allow"))
            assert b"<html" not in response.content, (method, url)

    assert answers == dict.fromkeys(answers, (405, "GET, HEAD"))


def test_get_and_head_still_answer(client, reader_pages):
    _, urls = reader_pages
    for url in urls:
        assert client.get(url).status_code == 200, url
        head = client.head(url)
        assert head.status_code == 200, url


def test_forms_and_beacons_still_post(client, reader_pages, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    article, _ = reader_pages
    comment = {
        "text": "Well put.",
        "website": "",
        "token": form_token(article.pk, time.time() - 60),
    }

    assert client.post(f"/en/comments/{article.pk}/", comment).status_code == 303
    beacon = f"/beacon/articles/{article.pk}/view"
    assert client.post(beacon, headers={"User-Agent": "Mozilla/5.0"}).status_code == 204
    refused = client.options(f"/en/comments/{article.pk}/")
    assert (refused.status_code, refused["Allow"]) == (405, "GET, HEAD, POST")


def test_the_desk_still_takes_posts(client, admin_user):
    response = client.post(
        "/admin/login/", {"username": admin_user.username, "password": "password"}
    )

    assert response.status_code == 302
    assert client.generic("TRACE", "/admin/").status_code == 405
