"""The benchmark's calibration views and the address list `make bench` loads."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import clear_url_caches, set_urlconf

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_urls(settings):
    """Reload the URLconf with the calibration views mounted, and unmount them after."""
    import importlib

    import alwaght.urls

    def reload(enabled):
        settings.BENCH_VIEWS = enabled
        importlib.reload(alwaght.urls)
        clear_url_caches()
        set_urlconf(None)

    reload(True)
    yield
    reload(False)


def test_calibration_views_are_not_mounted_by_default(client):
    assert client.get("/bench/no-db/").status_code == 404
    assert client.get("/bench/one-query/").status_code == 404


def test_no_database_view_runs_no_query(bench_urls, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/bench/no-db/")
    assert response.content == b"ok"


def test_one_query_view_runs_one_query(bench_urls, client, django_assert_num_queries):
    from tests.factories import make_section

    make_section(name="World", slug="world")
    with django_assert_num_queries(1):
        response = client.get("/bench/one-query/")
    assert b"World" in response.content


def test_bench_pages_lists_every_page_with_working_addresses(bench_urls, client):
    call_command("load_demo", verbosity=0)
    out = StringIO()

    call_command("bench_pages", list_urls=True, stdout=out)

    listing = json.loads(out.getvalue())
    assert listing["articles"] > 0
    names = list(listing["pages"])
    assert names[:3] == ["no-DB view", "one-query view", "static CSS"]
    assert any(name.startswith("search, rare word") for name in names)
    # make bench-1m's search shapes, within the busiest section too, listed for naming.
    shapes = [name for name, page in listing["pages"].items() if page.get("when_named")]
    assert "search, two words meeting in 1 of 80, busiest section, never repeated" in shapes
    assert len(shapes) == 6
    for name, page in listing["pages"].items():
        if name == "static CSS":
            continue  # whitenoise serves it outside the test client's reach
        method = page.get("method", "GET")
        response = client.generic(method, page["paths"][0], HTTP_USER_AGENT="Mozilla/5.0")
        assert response.status_code in {200, 204}, (name, page["paths"][0])
