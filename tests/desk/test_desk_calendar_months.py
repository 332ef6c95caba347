"""The Persian desk's lists filter by Solar Hijri year and month, on the edition's clock.

Django's date drill-down (date_hierarchy) walks Gregorian years and months; the
Persian desk gets a filter of Solar Hijri years and months instead, in Persian
digits, each filtering by that month's real range on Tehran time (the Persian
edition's zone). The English desk keeps Django's drill-down.
"""

from datetime import UTC, datetime

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_photo, make_staff

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")


@pytest.fixture
def persian_chief(client, settings):
    settings.EDITION_TIME_ZONES = {**settings.EDITION_TIME_ZONES, "fa": "Asia/Tehran"}
    settings.TIME_ZONE = "UTC"  # the newsroom's clock differs from the edition's
    user = make_staff("سردبیر", role="chief", desks=("fa",))
    client.force_login(user)
    return user


def at(*moment) -> datetime:
    return datetime(*moment, tzinfo=UTC)


def listed(response) -> set[str]:
    assert response.status_code == 200, response.get("Location")
    return {article.title for article in response.context["cl"].result_list}


# Tehran is UTC+03:30 all year (no daylight saving since 2022).
MONTHS = {
    # 1 Azar 1404 is 22 Nov 2025, 1 Dey is 22 Dec: each starts at 20:30 UTC the day before.
    "1404-09": (
        at(2025, 11, 21, 20, 29, 59),  # 30 Aban, 23:59:59 in Tehran
        at(2025, 11, 21, 20, 30),  # 1 Azar, midnight in Tehran (still 21 Nov in UTC)
        at(2025, 12, 21, 20, 29, 59),  # 30 Azar, 23:59:59 in Tehran
        at(2025, 12, 21, 20, 30),  # 1 Dey, midnight in Tehran (still 21 Dec in UTC)
    ),
    # Esfand 1403 (30 days, a leap year) runs into Nowruz: 1 Farvardin 1404 is 21 Mar 2025.
    "1403-12": (
        at(2025, 2, 18, 20, 29, 59),
        at(2025, 2, 18, 20, 30),
        at(2025, 3, 20, 20, 29, 59),
        at(2025, 3, 20, 20, 30),
    ),
}


@pytest.mark.parametrize("month", MONTHS)
def test_a_solar_hijri_month_lists_exactly_the_articles_inside_it(client, persian_chief, month):
    for name, moment in zip(("before", "first", "last", "after"), MONTHS[month], strict=True):
        make_article(language="fa", title=name, publish_at=moment)

    response = client.get(ARTICLES, {"publish_at_month": month})

    assert listed(response) == {"first", "last"}


def test_a_solar_hijri_year_runs_from_nowruz_to_nowruz(client, persian_chief):
    make_article(language="fa", title="1403", publish_at=at(2025, 3, 20, 20, 29, 59))
    make_article(language="fa", title="1404 first", publish_at=at(2025, 3, 20, 20, 30))
    make_article(language="fa", title="1404 last", publish_at=at(2026, 3, 20, 20, 29, 59))
    make_article(language="fa", title="1405", publish_at=at(2026, 3, 20, 20, 30))

    assert listed(client.get(ARTICLES, {"publish_at_month": "1404"})) == {
        "1404 first",
        "1404 last",
    }


def test_the_filter_offers_solar_hijri_years_then_the_chosen_years_months(client, persian_chief):
    make_article(language="fa", publish_at=at(2025, 3, 1))  # Esfand 1403
    make_article(language="fa", publish_at=at(2025, 12, 1))  # Azar 1404

    years = client.get(ARTICLES).content.decode()
    months = client.get(ARTICLES, {"publish_at_month": "1404-09"}).content.decode()

    offered = lxml.html.fromstring(years).xpath("//*[@id='changelist-filter']")[0].text_content()
    assert "۱۴۰۴" in offered and "۱۴۰۳" in offered
    assert "آذر" not in offered  # months once a year is chosen
    assert "2025" not in offered and "toplinks" not in years  # no Gregorian drill-down
    assert "آذر ۱۴۰۴" in months and "فروردین ۱۴۰۴" in months
    assert "?publish_at_month=1404-09" in years or "publish_at_month=1404" in years


@pytest.mark.parametrize("value", ["1404-13", "1404-00", "14041", "abc", "1404-9-1", "999-01"])
def test_a_month_that_is_not_one_is_refused(client, persian_chief, value):
    make_article(language="fa")

    response = client.get(ARTICLES, {"publish_at_month": value})

    assert response.status_code == 302 and "e=1" in response["Location"]


def test_the_photo_library_filters_by_solar_hijri_month_too(client, persian_chief):
    """Its Gregorian "this month" filter on the upload date goes with the drill-down."""
    inside, outside = make_photo(title="inside"), make_photo(title="outside")
    from media.models import Photo

    Photo.objects.filter(pk=inside.pk).update(uploaded_at=at(2025, 11, 21, 20, 30))
    Photo.objects.filter(pk=outside.pk).update(uploaded_at=at(2025, 11, 21, 20, 29))

    response = client.get(reverse("admin:media_photo_changelist"), {"uploaded_at_month": "1404-09"})

    assert listed(response) == {"inside"}
    assert "uploaded_at__gte" not in response.content.decode()


def test_the_english_desk_keeps_the_gregorian_drill_down(client):
    client.force_login(make_staff("chief_en", role="chief", desks=("en",)))
    make_article(publish_at=at(2025, 11, 21, 20, 30))

    page = client.get(ARTICLES).content.decode()
    month = client.get(ARTICLES, {"publish_at__year": "2025", "publish_at__month": "11"})

    assert "publish_at__year=2025" in page and "publish_at_month" not in page
    assert month.status_code == 200 and month.context["cl"].result_count == 1
    assert Article.objects.count() == 1


# --- What the filter's years cost -------------------------------------------------------


def bounds_queries(queries) -> list[str]:
    """Return the SQL of the filter's oldest/newest query among a page's queries."""
    return [
        query["sql"]
        for query in queries
        if '"articles_article"."publish_at"' in query["sql"]
        and ("MIN(" in query["sql"] or "UNION" in query["sql"])
        and "COUNT(" not in query["sql"]
        and '"articles_article"."title"' not in query["sql"]
    ]


def article_rows_read(sql: str) -> int:
    """Return how many rows of articles_article the plan of `sql` reads, seq scans refused,
    on fresh statistics.

    With sequential scans off, a query no index serves still reads the whole table
    through some index; one served by an index reads one row per end.
    """
    with connection.cursor() as cursor:
        # The planner judges by the statistics of the rows it has (as autovacuum keeps
        # them on a running site), not by those an earlier test left: in a whole run,
        # statistics of other tests' articles made it walk the date index past every
        # row of an edition that has none here. Rolled back with the test.
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = on")
    nodes, read = [plan[0]["Plan"]], 0
    while nodes:
        node = nodes.pop()
        nodes += node.get("Plans", [])
        if node.get("Relation Name") == "articles_article":
            read += node["Actual Rows"] * node["Actual Loops"]
    return read


@pytest.mark.parametrize("desks", [("fa",), ("fa", "ar")], ids=["one-desk", "two-desks"])
def test_the_filters_years_read_one_row_per_end_not_every_article(client, settings, desks):
    settings.EDITION_TIME_ZONES = {**settings.EDITION_TIME_ZONES, "fa": "Asia/Tehran"}
    client.force_login(make_staff("سردبیر", role="chief", desks=desks))
    for number in range(30):
        make_article(language=desks[number % len(desks)], publish_at=at(2020 + number % 6, 5, 1))
    make_article(language="en", publish_at=at(2010, 5, 1))  # another desk's: not a year here

    with CaptureQueriesContext(connection) as page:
        response = client.get(ARTICLES, headers={"accept-language": "fa"})  # the Persian desk

    page_html = lxml.html.fromstring(response.content.decode())
    offered = page_html.xpath("//*[@id='changelist-filter']")[0].text_content()
    assert "۱۳۹۹" in offered and "۱۴۰۴" in offered
    assert "۱۳۸۹" not in offered
    [sql] = bounds_queries(page.captured_queries)
    assert article_rows_read(sql) <= 2 * len(desks)


@pytest.mark.parametrize("count", [5, 50])
def test_the_persian_article_list_runs_a_fixed_number_of_queries(
    client, persian_chief, django_assert_num_queries, count
):
    for number in range(count):
        make_article(language="fa", tags=["نفت"], publish_at=at(2020 + number % 6, 5, 1))

    # session, user, the user's and the groups' permissions, the filter's years,
    # sections and people (filters), count, changes awaiting review (header), rows
    # (Editor's Choice, views, comments and held changes as subqueries), and the
    # savepoint pair of reversion's revision block
    with django_assert_num_queries(12):
        response = client.get(ARTICLES)

    assert response.status_code == 200
    assert response.context["cl"].result_count == count
