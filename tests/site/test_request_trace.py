"""Every request gets an id, returned in X-Request-ID, on its log line and on the 500 and
503 pages; page-cache hits and the outage page are covered; JSON logs are one setting away."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from alwaght import urls as site_urls
from alwaght.request_trace import current_request_id
from tests.factories import make_article

ROOT = Path(__file__).resolve().parent.parent.parent


def broken_view(request):
    raise RuntimeError("a bug")


def logging_view(request):
    logging.getLogger("alwaght.tests").warning("inside the view")
    return HttpResponse(current_request_id())


urlpatterns = [path("broken/", broken_view), path("logs/", logging_view), *site_urls.urlpatterns]
handler500 = "alwaght.outage.server_error"


def request_lines(caplog):
    return [r for r in caplog.records if r.name == "alwaght.requests"]


@pytest.fixture
def traced(caplog):
    caplog.set_level(logging.INFO, logger="alwaght.requests")
    return caplog


@pytest.mark.django_db
def test_each_request_logs_one_line_with_the_id_it_returns(client, traced):
    article = make_article()

    first = client.get(article.get_absolute_url())
    second = client.get("/en/no-such-page/")

    lines = request_lines(traced)
    assert len(lines) == 2
    assert [line.request_id for line in lines] == [first["X-Request-ID"], second["X-Request-ID"]]
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert (lines[0].kind, lines[0].status, lines[0].cache) == ("article", 200, "bypass")
    assert (lines[1].kind, lines[1].status) == ("unmatched", 404)
    assert lines[0].duration_ms > 0
    assert lines[0].path == article.get_absolute_url() and lines[0].method == "GET"


@pytest.mark.django_db
def test_page_cache_hits_are_traced_too(client, traced, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_MEMO_SECONDS = 0
    make_article()

    first = client.get("/en/")
    miss = client.get("/en/")
    hit = client.get("/en/")

    assert [response["X-Page-Cache"] for response in (first, miss, hit)] == [
        "first-ask",
        "miss",
        "hit",
    ]
    lines = request_lines(traced)
    assert [(line.cache, line.kind) for line in lines] == [
        ("first-ask", "front"),
        ("miss", "front"),
        ("hit", "front"),
    ]
    assert lines[2].request_id == hit["X-Request-ID"] != miss["X-Request-ID"]


@pytest.mark.django_db
def test_records_logged_during_the_request_carry_its_id(client, caplog, settings):
    settings.ROOT_URLCONF = __name__
    caplog.set_level(logging.INFO)

    response = client.get("/logs/")

    (inside,) = [r for r in caplog.records if r.name == "alwaght.tests"]
    assert inside.request_id == response["X-Request-ID"] == response.content.decode()
    assert current_request_id() == ""  # forgotten once the request is answered


@pytest.mark.django_db
def test_the_500_page_shows_the_id_the_log_has(settings, traced):
    settings.ROOT_URLCONF = __name__

    response = Client(raise_request_exception=False).get("/broken/")

    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert f"<code>{request_id}</code>" in response.content.decode()
    (line,) = request_lines(traced)
    assert (line.request_id, line.status) == (request_id, 500)


@pytest.mark.django_db(transaction=True)
def test_the_503_outage_page_shows_the_id_the_log_has(traced):
    original = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    try:
        response = Client(raise_request_exception=False).get("/en/")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = original

    assert response.status_code == 503
    request_id = response["X-Request-ID"]
    assert f"<code>{request_id}</code>" in response.content.decode()
    (line,) = request_lines(traced)
    assert (line.request_id, line.status, line.kind) == (request_id, 503, "front")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proxies", "sent", "kept"),
    [(1, "nginx-5f1c2a9b77", True), (0, "nginx-5f1c2a9b77", False), (1, "x y\nz", False)],
)
def test_a_trusted_proxys_request_id_is_kept(client, settings, proxies, sent, kept):
    settings.TRUSTED_PROXIES = proxies

    response = client.get("/healthz", HTTP_X_REQUEST_ID=sent)

    assert (response["X-Request-ID"] == sent) is kept
    assert len(response["X-Request-ID"]) >= 8


def test_json_logs_are_one_setting_away_and_plain_text_the_default():
    script = (
        "import django, logging; django.setup(); from django.conf import settings; "
        "handler = logging.getLogger().handlers[0]; "
        "record = logging.LogRecord('alwaght.requests', 20, '', 0, 'GET / 200', None, None); "
        "record.kind = 'front'; record.status = 200; handler.filter(record); "
        "print(handler.format(record))"
    )

    def run(**env):
        environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        environment.update(DJANGO_SETTINGS_MODULE="alwaght.settings", DJANGO_DEBUG="1", **env)
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert run() == "GET / 200"
    line = json.loads(run(DJANGO_LOG_JSON="1"))
    assert line["message"] == "GET / 200" and line["logger"] == "alwaght.requests"
    assert (line["kind"], line["status"], line["request_id"]) == ("front", 200, "")
    assert line["level"] == "INFO" and "time" in line
