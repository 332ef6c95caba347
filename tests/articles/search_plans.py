"""The plan PostgreSQL runs for a search: its nodes, for tests of which index reads what."""

import json

from django.db import connection

from articles.search import search_articles


def search_plan_nodes(query, *, analyze=(), without=(), language="en", **filters) -> list[dict]:
    """Return every node of the plan of the statement a search for `query` runs in the
    edition `language` (English unless said).

    The tables `analyze` are analyzed first (statistics of these rows, not of whatever
    an earlier test left: the plan's shape must not depend on the order the suite runs
    in) and the indexes `without` dropped (the test's transaction puts them back).
    Sequential scans are off: the indexes are used even at ten rows.
    """
    statements = []

    def record(execute, sql, params, many, context):
        if "WITH recent" in sql:
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        search_articles(query, language=language, page=1, per_page=20, **filters)
    [(sql, params)] = statements
    with connection.cursor() as cursor:
        for table in analyze:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        for index in without:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(index)}")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, every = [plan[0]["Plan"]], []
    while nodes:
        node = nodes.pop()
        nodes += node.get("Plans", [])
        every.append(node)
    return every
