"""What the desk's article list reads at scale, beyond the date drill-down.

Measured on the 300k-article bench (read only) and a scratch copy with the
indexes: docs/desk.md. Here, with sequential scans refused, each test checks that a
page reads about one page of articles, not all of them, and that a filtered list
does not count the whole list a second time.
"""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.desk.test_desk_calendar_months import article_rows_read
from tests.factories import make_article, make_section, make_staff

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")
PAGE = 50  # ArticleAdmin.list_per_page


def rows_sql(queries) -> str:
    [sql] = [
        query["sql"]
        for query in queries
        if query["sql"].startswith('SELECT "articles_article"."id"') and "UNION" not in query["sql"]
    ]
    return sql


def superuser(client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", "r@example.org", "pw-1-for-tests"))


def two_desks(client):
    client.force_login(make_staff("chief", role="chief", desks=("en", "ar")))


@pytest.mark.parametrize("login", [superuser, two_desks], ids=["superuser", "two-desks"])
def test_a_page_over_several_editions_reads_a_page_of_articles(client, login):
    login(client)
    sections = {code: make_section(language=code) for code in ("en", "ar")}
    for number in range(3 * PAGE):
        code = ("en", "ar")[number % 2]
        moment = datetime(2024, 1 + number % 12, 1 + number % 28, number % 24, tzinfo=UTC)
        make_article(language=code, section=sections[code], publish_at=moment)
    with connection.cursor() as cursor:
        # At 150 rows sorting them all is as cheap as the index, and in a full run
        # the planner took either: the test asks whether an index gives this order
        # (at 300,000 rows only it is fast), so sorting is refused.
        cursor.execute("SET LOCAL enable_sort = off")

    with CaptureQueriesContext(connection) as page:
        response = client.get(ARTICLES)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == PAGE
    # newest first, 50 steps back along article_desk_order (one more to know it ends)
    assert article_rows_read(rows_sql(page.captured_queries)) <= PAGE + 1


def test_a_filtered_list_does_not_count_every_article_again(client):
    client.force_login(make_staff("chief_en", role="chief", desks=("en",)))
    make_article(status="draft")
    make_article()

    with CaptureQueriesContext(connection) as page:
        response = client.get(ARTICLES, {"status__exact": "draft"})

    counts = [query["sql"] for query in page.captured_queries if "COUNT(*)" in query["sql"]]
    assert [sql for sql in counts if '"articles_article"' in sql and "draft" not in sql] == []
    assert response.context["cl"].result_count == 1
    assert "Show all" in response.content.decode()


def test_a_superusers_desk_home_reads_a_few_published_articles(client):
    from alwaght.desk_home import SHORT_LIST

    superuser(client)
    sections = {code: make_section(language=code) for code in ("en", "ar", "fa")}
    for number in range(3 * PAGE):
        moment = datetime(2024, 1 + number % 12, 1 + number % 28, number % 24, tzinfo=UTC)
        language = ("en", "ar", "fa")[number % 3]
        make_article(language=language, section=sections[language], publish_at=moment)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")

    with CaptureQueriesContext(connection) as page:
        response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    [recent] = [
        query["sql"]
        for query in page.captured_queries
        if query["sql"].startswith('SELECT "articles_article"."id"')
        and "'published'" in query["sql"]
        and 'ORDER BY "articles_article"."publish_at" DESC' in query["sql"]
    ]
    # Recently published, every edition: newest first along article_desk_order
    assert article_rows_read(recent) <= SHORT_LIST + 1
