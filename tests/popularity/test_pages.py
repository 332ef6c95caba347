from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from popularity.services import article_view_record
from tests.factories import make_article

# Most Viewed windows are counted in days: each test runs at both ends of a UTC day.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("either_end_of_the_day")]


def store_most_viewed():
    call_command("run_background", job=["most_viewed"], stdout=StringIO())


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("/en/most-viewed/", "Day"),
        ("/en/most-viewed/week/", "Week"),
        ("/en/most-viewed/month/", "Month"),
    ],
)
def test_most_viewed_page_has_a_link_per_window(client, url, label):
    article = make_article(title="Widely read")
    article_view_record(article_id=article.pk)
    store_most_viewed()

    response = client.get(url)

    assert response.status_code == 200
    content = response.content.decode()
    assert f'aria-current="page">{label}</a>' in content
    assert "Widely read" in content


@pytest.mark.parametrize("period", ["year", "DAY", "1"])
def test_unknown_window_is_404(client, period):
    assert client.get(f"/en/most-viewed/{period}/").status_code == 404


def test_front_page_has_the_three_tabs(client):
    article = make_article(title="Widely read")
    article_view_record(article_id=article.pk)
    store_most_viewed()

    content = client.get(reverse("articles:front")).content.decode()

    for period in ("day", "week", "month"):
        assert f'id="most-viewed-{period}"' in content
    assert content.count("Widely read") >= 3


def test_article_page_carries_the_view_beacon(client):
    article = make_article()

    content = client.get(article.get_absolute_url()).content.decode()

    beacon = reverse("beacon:view-beacon", args=[article.pk])
    assert f'data-beacon="{beacon}"' in content
    assert f'<noscript><img class="beacon" src="{beacon}"' in content
