"""The Gregorian desks' date drill-down: Django's years, months and days, found cheaply.

Django's date_hierarchy tag asks for MIN/MAX and DISTINCT DATE_TRUNC over the whole
list: every English article on each list view (0.6 s at 300k). The desk's tag
(publishing/desk_dates.py gregorian_drill_down) shows the same links, only the
periods that have an article, on the newsroom's clock (the zone Django's ChangeList
filters a chosen period by), from a few index entries.
"""

import calendar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from media.models import Photo
from tests.desk.test_desk_calendar_months import article_rows_read
from tests.factories import make_article, make_photo, make_section, make_staff

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")
PHOTOS = reverse("admin:media_photo_changelist")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def english_chief(client, settings):
    # The newsroom's clock, which the English edition reads too, is not UTC: a month
    # starts at 04:00 or 05:00 UTC.
    settings.TIME_ZONE = "America/New_York"
    user = make_staff("chief_en", role="chief", desks=("en",))
    client.force_login(user)
    return user


def in_new_york(*moment) -> datetime:
    return datetime(*moment, tzinfo=NEW_YORK)


def offered(response) -> list[str]:
    """Return the drill-down's links (titles), as shown, without the way back."""
    assert response.status_code == 200, response.get("Location")
    page = lxml.html.fromstring(response.content.decode())
    return [
        link.text_content().strip()
        for link in page.xpath("//nav[contains(@class, 'toplinks')]/a")
        if "date-back" not in (link.get("class") or "")
    ]


def test_years_with_articles_only(client, english_chief):
    for year in (2019, 2022, 2025):  # nothing in 2020, 2021, 2023, 2024
        make_article(publish_at=in_new_york(year, 6, 1))
    make_article(language="fa", publish_at=in_new_york(2021, 6, 1))  # another desk's

    assert offered(client.get(ARTICLES)) == ["2019", "2022", "2025"]


def test_a_month_is_the_newsrooms_month_not_utcs(client, english_chief):
    """The last second of May in New York is June in UTC; July's first is still June's night."""
    make_article(title="may", publish_at=in_new_york(2025, 5, 31, 23, 59, 59))
    make_article(title="july", publish_at=in_new_york(2025, 7, 1, 0, 0))
    make_article(title="2024", publish_at=in_new_york(2024, 12, 31, 23, 30))  # 2025 in UTC

    years = client.get(ARTICLES)
    months = client.get(ARTICLES, {"publish_at__year": "2025"})
    may = client.get(ARTICLES, {"publish_at__year": "2025", "publish_at__month": "5"})

    assert offered(years) == ["2024", "2025"]
    assert offered(months) == ["May 2025", "July 2025"]
    assert offered(may) == ["May 31"]
    # What each link lists is what it promised: Django filters on the same clock.
    assert [a.title for a in may.context["cl"].result_list] == ["may"]
    day = client.get(
        ARTICLES, {"publish_at__year": "2025", "publish_at__month": "5", "publish_at__day": "31"}
    )
    assert [a.title for a in day.context["cl"].result_list] == ["may"]


def test_every_offered_period_lists_articles_and_together_all_of_them(client, english_chief):
    moments = [
        in_new_york(2024, 2, 29, 23, 59, 59),  # leap day, last second
        in_new_york(2024, 3, 1),
        in_new_york(2024, 11, 3, 1, 30),  # the autumn hour that happens twice
        in_new_york(2025, 3, 9, 3, 0),  # just after the spring hour that never happens
        in_new_york(2025, 12, 31, 23, 59, 59),
    ]
    for moment in moments:
        make_article(publish_at=moment)

    listed_by_day = 0
    for year in offered(client.get(ARTICLES)):
        months = client.get(ARTICLES, {"publish_at__year": year})
        for month_name in offered(months):
            month = list(calendar.month_name).index(month_name.split()[0])
            days_page = client.get(
                ARTICLES, {"publish_at__year": year, "publish_at__month": str(month)}
            )
            for day_name in offered(days_page):
                day = client.get(
                    ARTICLES,
                    {
                        "publish_at__year": year,
                        "publish_at__month": str(month),
                        "publish_at__day": day_name.split()[-1],
                    },
                )
                assert day.context["cl"].result_count >= 1, (year, month_name, day_name)
                listed_by_day += day.context["cl"].result_count

    assert listed_by_day == len(moments)


def test_a_list_within_one_year_opens_on_its_months_then_days(client, english_chief):
    make_article(publish_at=in_new_york(2025, 3, 2))
    make_article(publish_at=in_new_york(2025, 3, 20))

    assert offered(client.get(ARTICLES)) == ["March 2", "March 20"]

    make_article(publish_at=in_new_york(2025, 8, 1))

    assert offered(client.get(ARTICLES)) == ["March 2025", "August 2025"]


def test_filters_apply_to_the_periods_offered(client, english_chief):
    make_article(publish_at=in_new_york(2023, 1, 5), status="draft")
    make_article(publish_at=in_new_york(2025, 1, 5))

    assert offered(client.get(ARTICLES, {"status__exact": "draft"})) == ["January 5"]


def test_a_superuser_sees_every_editions_years(client, settings):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", "r@example.org", "pw-1-for-tests"))
    make_article(language="en", publish_at=datetime(2021, 5, 1, tzinfo=UTC))
    make_article(language="fa", publish_at=datetime(2023, 5, 1, tzinfo=UTC))
    make_article(language="ar", publish_at=datetime(2025, 5, 1, tzinfo=UTC))

    assert offered(client.get(ARTICLES)) == ["2021", "2023", "2025"]


def test_the_photo_library_drills_down_the_same_way(client, english_chief):
    for moment in (in_new_york(2022, 4, 30, 23, 0), in_new_york(2024, 1, 1)):
        Photo.objects.filter(pk=make_photo().pk).update(uploaded_at=moment)

    assert offered(client.get(PHOTOS)) == ["2022", "2024"]
    assert offered(client.get(PHOTOS, {"uploaded_at__year": "2022"})) == ["April 2022"]


def test_an_empty_list_offers_no_dates(client, english_chief):
    assert offered(client.get(ARTICLES)) == []


# --- What it costs ----------------------------------------------------------------------


def drill_down_sql(queries) -> list[str]:
    """Return the SQL of the drill-down's two queries: first/last, then the probes."""
    return [
        query["sql"]
        for query in queries
        if "UNION ALL" in query["sql"] and '"articles_article"."title"' not in query["sql"]
    ]


@pytest.mark.parametrize("desks", [("en",), ("en", "ar")], ids=["one-desk", "two-desks"])
def test_the_years_read_a_row_per_probe_not_every_article(client, settings, desks):
    client.force_login(make_staff("chief", role="chief", desks=desks))
    section = {code: make_section(language=code) for code in desks}
    for number in range(60):
        code = desks[number % len(desks)]
        moment = datetime(2019 + number % 6, 5, 1, tzinfo=UTC)
        make_article(language=code, section=section[code], publish_at=moment)

    with CaptureQueriesContext(connection) as page:
        response = client.get(ARTICLES)

    assert offered(response) == [str(year) for year in range(2019, 2025)]
    bounds, probes = drill_down_sql(page.captured_queries)
    # first and last: a row per end and edition; the years: a row per year and edition
    assert article_rows_read(bounds) <= 2 * len(desks)
    assert article_rows_read(probes) <= 6 * len(desks)
    assert "DATE_TRUNC" not in " ".join(query["sql"] for query in page.captured_queries)


@pytest.mark.parametrize("count", [5, 50])
def test_the_english_article_list_runs_a_fixed_number_of_queries(
    client, english_chief, django_assert_num_queries, count
):
    section = make_section()
    for number in range(count):
        make_article(section=section, tags=["oil"], publish_at=in_new_york(2020 + number % 6, 5, 1))

    # session, user, the user's and the groups' permissions, sections and people
    # (filters), count, changes awaiting review (header), rows (Editor's Choice,
    # views, comments and held changes as subqueries), first and last publish time,
    # the years' probes, and the savepoint pair of reversion's revision block
    with django_assert_num_queries(13):
        response = client.get(ARTICLES)

    assert response.context["cl"].result_count == count
    assert offered(response) == [str(year) for year in range(2020, 2020 + min(count, 6))]


@pytest.mark.parametrize("count", [5, 50])
def test_a_month_of_the_english_article_list_runs_a_fixed_number_of_queries(
    client, english_chief, django_assert_num_queries, count
):
    section = make_section()
    for number in range(count):
        make_article(section=section, publish_at=in_new_york(2025, 5, 1 + number % 31))

    # as the list, less first and last (a month is chosen; the probes are its days),
    # plus the savepoint pair a read with parameters runs in (alwaght/admin_params.py)
    with django_assert_num_queries(14):
        response = client.get(ARTICLES, {"publish_at__year": "2025", "publish_at__month": "5"})

    assert len(offered(response)) == min(count, 31)


@pytest.mark.parametrize("count", [5, 50])
def test_the_photo_library_runs_a_fixed_number_of_queries(
    client, english_chief, django_assert_num_queries, count
):
    for number in range(count):
        photo = make_photo()
        Photo.objects.filter(pk=photo.pk).update(uploaded_at=in_new_york(2020 + number % 3, 1, 2))

    # session, user, the user's and the groups' permissions, count, full count,
    # changes awaiting review (header), rows, first and last upload time, the years'
    # probes, credits (filter)
    with django_assert_num_queries(11):
        response = client.get(PHOTOS)

    assert offered(response) == ["2020", "2021", "2022"]
