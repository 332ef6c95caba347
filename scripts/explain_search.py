"""PostgreSQL time of the search query's generic plan, per word and filter shape: p50 / p95.

    DATABASE_URL=postgres://.../alwaght_bench_1m .venv/bin/python scripts/explain_search.py \\
        capture var/search-after.json
    PYTHONPATH=../main DATABASE_URL=... .venv/bin/python scripts/explain_search.py \\
        capture var/search-before.json
    DATABASE_URL=... .venv/bin/python scripts/explain_search.py \\
        run var/search-before.json var/search-after.json --runs 15

`capture` runs articles.search.search_articles for each shape (a word of each
frequency of the synthetic archive, alone and with a section, the past week or
newest first; --language ar or fa: explain_pages.py's words for those archives)
and writes the page query's SQL and values to a file: set
PYTHONPATH to take the code of another checkout. `run` prepares every captured
statement as the site's connections do (a generic plan, as PostgreSQL keeps
after five searches: tests/articles/test_search.py), then runs EXPLAIN ANALYZE
EXECUTE of each --runs times, the files' statements alternating so that the
versions see the same load, and prints p50 / p95 of planning + execution and
the load average. Reads only.
"""

import argparse
import json
import os
import statistics
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if not os.environ.get("PYTHONPATH"):  # set it to capture another checkout's SQL
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alwaght.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402
from explain_pages import EDITION_SEARCH_WORDS  # noqa: E402 (this folder; ar and fa words)

from articles.models import Article  # noqa: E402
from articles.search import search_articles  # noqa: E402

WORDS = {
    "rare": "dispatchers",
    "1 in 100": "029",
    "1 in 80, two words": "officials capital",
    "1 in 10": "officials",
    "every article": "agreement",
    "two 1-in-10 words that never meet": "officials traders",
    "three words meeting in 1 of 800": "officials capital budget",
}
FILTERS = ("", "section", "past week", "newest first")


def shapes(language: str):
    busiest = (
        Article.objects.published()
        .in_language(language)
        .values("section")
        .annotate(articles=Count("id"))
        .order_by("-articles")[0]["section"]
    )
    words = WORDS if language == "en" else EDITION_SEARCH_WORDS[language]
    for name, word in words.items():
        if name == "stop word only":  # answered without the search query
            continue
        for filtered in FILTERS:
            options = {
                "section": {"section_id": busiest},
                "past week": {"since": timezone.now() - timedelta(days=7)},
                "newest first": {"newest_first": True},
            }.get(filtered, {})
            yield f"{name} ({word}){', ' + filtered if filtered else ''}", word, options


def capture(path: str, language: str) -> None:
    captured = {}
    for name, word, options in shapes(language):
        statements = []

        def record(execute, sql, params, many, context, statements=statements):
            if "WITH recent" in sql:
                statements.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            search_articles(word, language=language, page=1, per_page=20, **options)
        (sql, params), *_ = statements
        captured[name] = {"sql": sql, "params": [_json(value) for value in params]}
    Path(path).write_text(json.dumps(captured, indent=1))
    print(f"{len(captured)} shapes written to {path}")


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def run(paths: list[str], runs: int, plans: bool) -> None:
    versions = {path: json.loads(Path(path).read_text()) for path in paths}
    settings = connection.settings_dict
    print(f"load average {os.getloadavg()}")
    with psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
        cursor_factory=psycopg.ClientCursor,  # EXECUTE's values written into its text
    ) as database:
        database.execute("SET jit = off")  # as the site's connections (alwaght/settings.py)
        database.execute("SET plan_cache_mode = force_generic_plan")
        names = {}
        for number, (path, statements) in enumerate(versions.items()):
            for shape, statement in statements.items():
                name = names[path, shape] = f"shape_{number}_{len(names)}"
                numbered = iter(range(1, 1000))
                text = _dollar_placeholders(statement["sql"], numbered)
                database.execute(f"PREPARE {name} AS {text}")
        timings = {key: [] for key in names}
        last_plan = {}
        for _ in range(runs):
            for shape in next(iter(versions.values())):
                for path in paths:
                    if shape not in versions[path]:
                        continue
                    values = versions[path][shape]["params"]
                    placeholders = ", ".join(["%s"] * len(values))
                    plan = database.execute(
                        f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE {names[path, shape]}"
                        f"({placeholders})",
                        values,
                    ).fetchone()[0][0]
                    timings[path, shape].append(plan["Planning Time"] + plan["Execution Time"])
                    last_plan[path, shape] = values
        for shape in next(iter(versions.values())):
            row = [f"{shape:56}"]
            for path in paths:
                found = sorted(timings.get((path, shape), []))
                if found:
                    p95 = found[min(len(found) - 1, round(len(found) * 0.95) - 1)]
                    row.append(f"{statistics.median(found):6.1f} / {p95:5.1f}")
            print("  ".join(row))
        if plans:
            for (path, shape), values in last_plan.items():
                placeholders = ", ".join(["%s"] * len(values))
                text = database.execute(
                    f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE {names[path, shape]}"
                    f"({placeholders})",
                    values,
                ).fetchall()
                print(f"\n{path} {shape}\n" + "\n".join(row[0] for row in text))
    print(f"load average after: {os.getloadavg()}")
    print(f"(p50 / p95 ms of {runs} runs; columns: {', '.join(paths)})")


def _dollar_placeholders(sql: str, numbered) -> str:
    """Return Django's SQL (%s a parameter, %% a percent sign) with $1, $2, ..."""
    parts = sql.split("%%")
    return "%".join(
        "".join(
            piece if index == 0 else f"${next(numbered)}{piece}"
            for index, piece in enumerate(part.split("%s"))
        )
        for part in parts
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    capturing = commands.add_parser("capture")
    capturing.add_argument("path")
    capturing.add_argument("--language", default="en")
    running = commands.add_parser("run")
    running.add_argument("paths", nargs="+")
    running.add_argument("--runs", type=int, default=15)
    running.add_argument("--plans", action="store_true")
    options = parser.parse_args()
    if options.command == "capture":
        capture(options.path, options.language)
    else:
        run(options.paths, options.runs, options.plans)


if __name__ == "__main__":
    main()
