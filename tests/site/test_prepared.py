"""web/prepared.py: a fixed-shape queryset compiled once, then run with other values."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Value
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.pages import article_lists
from tests.factories import make_article, make_section
from web.prepared import Preceded, PreparedQuery, _numbered

pytestmark = pytest.mark.django_db


def newest_in_section(section, leave_out, now):
    return (
        Article.objects.for_listing(now)
        .filter(section_id=section)
        .exclude(pk__in=leave_out)
        .select_related("section")[:3]
    )


def test_rows_are_the_querysets_rows_and_the_sql_is_made_once():
    sections = [make_section(), make_section()]
    articles = [make_article(section=sections[number % 2]) for number in range(6)]
    prepared = PreparedQuery(newest_in_section, section=int, leave_out=(int, 2), now=datetime)
    compiled = mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    )
    with compiled as as_sql:
        for section in sections:
            for left in ([articles[0].pk, articles[1].pk], [articles[2].pk, articles[5].pk]):
                now = timezone.now()
                rows = prepared(section=section.pk, leave_out=left, now=now)
                expected = list(newest_in_section(section.pk, left, now))
                assert [row.pk for row in rows] == [row.pk for row in expected]
                assert [row.section.name for row in rows] == [row.section.name for row in expected]
                assert rows and all(type(row) is Article for row in rows)
    # Once for the prepared query (the marker values), then only the ORM's own four.
    assert as_sql.call_count == 1 + 4


def test_the_clock_is_a_value_not_part_of_the_sql():
    article = make_article(publish_at=timezone.now() + timedelta(hours=2))
    prepared = PreparedQuery(
        lambda pk, now: Article.objects.published(now).filter(pk=pk), pk=int, now=datetime
    )
    assert prepared(pk=article.pk, now=timezone.now()) == []
    with CaptureQueriesContext(connection) as queries:
        assert prepared(pk=article.pk, now=timezone.now() + timedelta(hours=3)) == [article]
    assert len(queries) == 1


def test_a_value_the_orm_does_not_pass_as_given_is_refused():
    # `contains` passes "%word%": putting another word in its place would be wrong.
    prepared = PreparedQuery(lambda word: Article.objects.filter(title__contains=word), word=str)
    with pytest.raises(ValueError, match="word"):
        prepared(word="gulf")


def test_previous_and_next_follow_the_edition_order_and_the_clock():
    hour = timedelta(hours=1)
    now = timezone.now()
    older, middle, newer = (make_article(publish_at=now - hour * n) for n in (3, 2, 1))
    make_article(publish_at=now - hour * 2, language="ar")  # another edition: not a neighbour

    def neighbours():
        lists = article_lists(middle, Article.objects.for_detail().get(pk=middle.pk))
        return [item and item.pk for item in (lists.older, lists.newer)]

    assert neighbours() == [older.pk, newer.pk]
    Article.objects.filter(pk=newer.pk).update(unpublish_at=now - timedelta(minutes=1))
    assert neighbours() == [older.pk, None]


def test_postgresql_plans_the_query_once_per_connection():
    section = make_section()
    articles = [make_article(section=section) for _ in range(3)]
    prepared = PreparedQuery(newest_in_section, section=int, leave_out=(int, 2), now=datetime)

    def statements():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall() if "articles_article" in row[0]]

    assert statements() == []
    for number in range(6):  # psycopg prepares a statement on its fifth run
        left = [articles[number % 3].pk, articles[(number + 1) % 3].pk]
        rows = prepared(section=section.pk, leave_out=left, now=timezone.now())
        assert [row.pk for row in rows] == [a.pk for a in articles if a.pk not in left]
    # The values are bound on the server: one statement, whatever they were.
    assert len(statements()) == 1 and "$1" in statements()[0]


def test_inlined_constants_leave_only_the_calls_values_as_parameters():
    section = make_section()
    odd = make_article(section=section, title="50% off: the mayor's sale")
    make_article(section=section, title="Another story")

    def with_constants(section, now):
        # `contains` passes "%50\\%%"; a quote, a percent sign and a list, all constants.
        return (
            Article.objects.published(now)
            .filter(section_id=section, title__contains="50% off: the mayor's", pk__in=[odd.pk, 0])
            .order_by("-publish_at")
        )

    prepared = PreparedQuery(with_constants, constants="inline", section=int, now=datetime)
    now = timezone.now()
    assert prepared(section=section.pk, now=now) == list(with_constants(section.pk, now))
    assert prepared(section=section.pk, now=now) == [odd]
    sql, params = prepared._templates["default"][2:4]
    assert len(params) == 3  # the section and the clock (twice), nothing else
    assert "'published'" in sql and "mayor''s" in sql


def test_a_constant_that_must_vary_is_still_refused_when_inlined():
    prepared = PreparedQuery(
        lambda word: Article.objects.filter(title__contains=word), constants="inline", word=str
    )
    with pytest.raises(ValueError, match="word"):
        prepared(word="gulf")


def test_percent_signs_and_a_statement_over_4_kb_run_as_written():
    wanted = make_article(title="Rates rise 50% in a year")
    make_article(title="Rates rise 50 points")
    long_text = "y" * 5000  # psycopg would number a statement this long afresh every call

    def build(pk):
        matching = Article.objects.filter(title__contains="50%").exclude(pk=pk)
        return matching.annotate(padding=Value(long_text)).order_by("pk")

    prepared = PreparedQuery(build, pk=int, constants="inline")

    for _ in range(2):
        rows = prepared(pk=-1)
        assert [row.pk for row in rows] == [wanted.pk] == [row.pk for row in build(-1)]
        assert rows[0].padding == long_text
    assert _numbered.cache_info().hits >= 1


def picked_under_a_with_clause(pk):
    picked = "WITH picked AS MATERIALIZED (SELECT %s::bigint AS id)"
    return Preceded(
        picked, (pk,), Article.objects.filter(pk__in=RawSQL("SELECT id FROM picked", ()))
    )


def test_a_with_clause_before_the_select_takes_the_calls_values():
    articles = [make_article() for _ in range(3)]
    prepared = PreparedQuery(picked_under_a_with_clause, pk=int)

    with CaptureQueriesContext(connection) as queries:
        rows = [prepared(pk=article.pk) for article in articles]

    assert rows == [[article] for article in articles]
    assert all(query["sql"].startswith("WITH picked AS") for query in queries)


def test_a_with_clause_must_be_one():
    prepared = PreparedQuery(
        lambda pk: Preceded("SELECT 1;", (), Article.objects.filter(pk=pk)), pk=int
    )
    with pytest.raises(ValueError, match="WITH"):
        prepared(pk=1)
