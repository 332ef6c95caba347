import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Section
from topics.models import Topic


class Command(BaseCommand):
    help = (
        "Time the reader pages against the current database and print the median and "
        "query count of each (a benchmark: it asserts nothing). Load a large archive "
        "first with `load_demo --articles 100000`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--explain", action="store_true", help="Print query plans.")

    def handle(self, *args, runs, explain, **options):
        try:
            setup_test_environment()  # lets the test client count queries and render
        except RuntimeError:
            pass  # already set up, as inside the test suite
        client = Client()
        self.stdout.write(f"{Article.objects.count():,} articles, {runs} runs per page")
        for name, url in self.pages().items():
            timings = []
            for _ in range(runs):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, HTTP_HOST="127.0.0.1", secure=True)
                    timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    self.stderr.write(f"{url} answered {response.status_code}")
                    return
            median = statistics.median(timings)
            self.stdout.write(f"{name:32} median {median:7.1f} ms  {len(queries)} queries")
            if explain:
                self.explain(queries.captured_queries)

    def pages(self):
        article = Article.objects.published().order_by("-publish_at").first()
        section = Section.objects.order_by("position").first()
        tag = (
            Tag.objects.annotate(uses=Count("articles_taggedarticle_items"))
            .order_by("-uses")
            .first()
        )
        topic = Topic.objects.annotate(uses=Count("articles")).order_by("-uses").first()
        last_page = max(Article.objects.published().count() // 20, 1)
        return {
            "front page": "/en/",
            "archive, page 1": "/en/news/",
            f"archive, page {last_page}": f"/en/news/?page={last_page}",
            "section, page 1": section.get_absolute_url(),
            "article": article.get_absolute_url(),
            "tag (busiest)": reverse("articles:tag", args=[tag.slug]),
            "topic (busiest)": topic.get_absolute_url(),
            "most viewed, month": reverse("popularity:most-viewed-period", args=["month"]),
            "search 'water'": "/en/search/?q=water",
            "search 'officials' (common)": "/en/search/?q=officials",
            "search 'harvest outl' (prefix)": "/en/search/?q=harvest+outl",
            "search, page 5": "/en/search/?q=officials&page=5",
        }

    def explain(self, captured_queries):
        for query in captured_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + query["sql"])
                plan = "\n      ".join(row[0] for row in cursor.fetchall())
            self.stdout.write(f"    {query['sql'][:100]}...\n      {plan}")
