"""PostgreSQL time of the list and search pages, from EXPLAIN (ANALYZE, BUFFERS) medians.

    DATABASE_URL=postgres://.../alwaght_bench_1m .venv/bin/python scripts/explain_pages.py

For each page (the busiest tag and topic, page 1 and a page 80 % of the way down
by its Older links, their feeds, and search for a rare word, a word in one
article of ten, a word in every article and a stop word), renders it once
in-process with the page cache off, then runs EXPLAIN (ANALYZE, BUFFERS) of each
of its queries --runs times and prints the median planning + execution time per
page, the shared buffers hit/read, and the slowest query's plan with --plans.
Then times articles.search.search_articles itself (--search-runs runs: p50, p95)
for each search word. Reads only; prints the load average before and after.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if not os.environ.get("PYTHONPATH"):  # set it to measure another checkout's code
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alwaght.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    override_settings,
    setup_test_environment,
)
from django.urls import reverse  # noqa: E402
from taggit.models import Tag  # noqa: E402

from articles.models import Article, Topic  # noqa: E402
from articles.search import search_articles  # noqa: E402

SEARCH_WORDS = {
    "rare": "dispatchers",
    "1 in 100": "029",  # a synthetic tag's number: tags are searched too
    "1 in 80, two words": "officials capital",
    "1 in 10": "officials",
    "every article": "agreement",
    "stop word only": "the",
}
# The Arabic and Persian synthetic archives (load_demo --edition-articles) have the
# same frequencies; the words are typed in other forms than written, so stemming
# is what finds them (المزارعون by مزارع, کشاورزان by کشاورز).
EDITION_SEARCH_WORDS = {
    "ar": {
        "rare": "منسوب",
        "1 in 100": "029",
        "1 in 80, two words": "مزارع العاصمة",
        "1 in 10": "مزارع",
        "every article": "اتفاق",
        "stop word only": "في",
    },
    "fa": {
        "rare": "رودخانه ها",
        "1 in 100": "029",
        "1 in 80, two words": "کشاورز پایتخت",
        "1 in 10": "کشاورز",
        "every article": "توافق",
        "stop word only": "از",
    },
}


def deep(queryset) -> int:
    """Return the article whose Older link leads 80 % of the way down the list."""
    ids = list(queryset.values_list("pk", flat=True))
    return ids[int(len(ids) * 0.8)]


def pages() -> dict[str, str]:
    english = Tag.objects.filter(articles_taggedarticle_items__content_object__language="en")
    tag = english.annotate(uses=Count("articles_taggedarticle_items")).order_by("-uses")[0]
    topics = Topic.objects.filter(language="en")  # the synthetic articles are English
    topic = topics.annotate(uses=Count("articles")).order_by("-uses")[0]
    listing = Article.objects.for_listing().in_language("en")
    tag_url = reverse("articles:tag", args=[tag.slug])
    topic_url = topic.get_absolute_url()
    print(f"busiest tag {tag.name!r}: {tag.uses} articles; topic {topic.name!r}: {topic.uses}")
    found = {
        "archive, page 1 (for reference)": reverse("articles:archive"),
        "tag, page 1": tag_url,
        "tag, deep page": f"{tag_url}?before={deep(listing.filter(tags=tag))}",
        "tag feed": reverse("articles:tag-feed", args=[tag.slug]),
        "topic, page 1": topic_url,
        "topic, deep page": f"{topic_url}?before={deep(listing.filter(topics=topic))}",
        "topic feed": reverse("topics:feed", args=[topic.slug]),
    }
    for name, word in SEARCH_WORDS.items():
        found[f"search, {name} ({word})"] = f"/en/search/?q={word.replace(' ', '+')}"
    for language, words in EDITION_SEARCH_WORDS.items():
        for name, word in words.items():
            found[f"search {language}, {name} ({word})"] = f"/{language}/search/?q={quote(word)}"
    return found


def explain(sql: str, params, runs: int) -> tuple[float, int, int, str, float]:
    times, planning, plan = [], [], None
    for _ in range(runs):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            if isinstance(plan, str):
                plan = json.loads(plan)
            plan = plan[0]
            times.append(plan["Planning Time"] + plan["Execution Time"])
            planning.append(plan["Planning Time"])
    top = plan["Plan"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        text = "\n".join(row[0] for row in cursor.fetchall())
    return (
        statistics.median(times),
        top.get("Shared Hit Blocks", 0),
        top.get("Shared Read Blocks", 0),
        text,
        statistics.median(planning),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--search-runs", type=int, default=25)
    parser.add_argument("--plans", action="store_true")
    parser.add_argument("--only", default="", help="Measure only pages whose name has this.")
    parser.add_argument("--language", default="", help="Search only this edition (en, ar, fa).")
    options = parser.parse_args()
    try:
        setup_test_environment()
    except RuntimeError:
        pass
    print(f"{Article.objects.count():,} articles; load average {os.getloadavg()}")
    client = Client()
    raw = RawQueries()
    with override_settings(PAGE_CACHE_ENABLED=False):
        for name, url in pages().items():
            if options.only not in name:
                continue
            client.get(url, HTTP_HOST="127.0.0.1", secure=True)  # warm the shared blocks
            with raw:
                client.get(url, HTTP_HOST="127.0.0.1", secure=True)
            results = [explain(sql, params, options.runs) for sql, params in raw.queries]
            if not results:  # answered without asking the database (stop words alone)
                print(f"{name:34} 0 queries")
                continue
            total = sum(result[0] for result in results)
            hit = sum(result[1] for result in results)
            read = sum(result[2] for result in results)
            slowest = max(results, key=lambda result: result[0])
            planned = sum(result[4] for result in results)
            print(
                f"{name:34} {len(results)} queries  {total:6.2f} ms"
                f" (planning {planned:.2f})"
                f"  (slowest {slowest[0]:.2f} ms)  buffers hit {hit} read {read}"
            )
            if options.plans:
                print("    " + slowest[3].replace("\n", "\n    "))
    editions = {"en": SEARCH_WORDS, **EDITION_SEARCH_WORDS}
    for language, words in editions.items():
        if options.language and language != options.language:
            continue
        if not Article.objects.filter(language=language, slug__startswith="load-test-").exists():
            print(f"no synthetic {language} articles: load_demo --edition-articles N")
            continue
        for name, word in words.items():
            if options.only not in f"search, {name}":
                continue
            timings = []
            for _ in range(options.search_runs):
                started = time.perf_counter()
                search_articles(word, language=language, page=1, per_page=20)
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            p95 = timings[min(len(timings) - 1, round(len(timings) * 0.95) - 1)]
            print(
                f"search_articles {language} {name:18} ({word}): p50"
                f" {statistics.median(timings):6.1f} ms  p95 {p95:6.1f} ms  ({len(timings)} runs)"
            )
    print(f"load average after: {os.getloadavg()}")


class RawQueries:
    """Record each query's SQL and parameters apart, as the cursor receives them."""

    def __enter__(self):
        self.queries = []
        self.wrapper = connection.execute_wrapper(self.record)
        self.wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self.wrapper.__exit__(*exc)

    def record(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT"):
            self.queries.append((sql, params))
        return execute(sql, params, many, context)


if __name__ == "__main__":
    main()
