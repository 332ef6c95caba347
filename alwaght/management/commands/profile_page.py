import cProfile
import io
import pstats
import time
from contextlib import nullcontext

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment

from web.fragments import fragments_off


class Command(BaseCommand):
    help = (
        "Profile one reader page in-process with cProfile: render it --runs times "
        "after a warm-up and print where the time goes, plus its queries and their "
        "database time. `make profile PAGE=/en/` runs it on the benchmark's database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fragments-off",
            action="store_true",
            help="Render every fragment afresh (web/fragments.py): the first view after a change.",
        )
        parser.add_argument("path", help="e.g. /en/ or /en/news/123/some-slug/")
        parser.add_argument("--runs", type=int, default=100)
        parser.add_argument("--limit", type=int, default=35, help="Rows of the profile.")
        parser.add_argument("--sort", default="cumulative", help="pstats sort key, e.g. tottime.")

    def handle(self, *args, path, runs, limit, sort, **options):
        try:
            setup_test_environment()  # lets the test client count queries
        except RuntimeError:
            pass
        client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="Mozilla/5.0")
        with override_settings(PAGE_CACHE_ENABLED=False):  # profile the render, not a cache hit
            with fragments_off() if options["fragments_off"] else nullcontext():
                self.profile(client, path, runs, limit, sort)

    def profile(self, client, path, runs, limit, sort):
        for _ in range(3):
            response = client.get(path)
        if response.status_code != 200:
            self.stderr.write(f"{path} answered {response.status_code}")
            return
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(runs):
            client.get(path)
        profiler.disable()
        elapsed = (time.perf_counter() - started) * 1000 / runs
        report = io.StringIO()
        stats = pstats.Stats(profiler, stream=report)
        stats.strip_dirs().sort_stats(sort).print_stats(limit)
        self.stdout.write(report.getvalue())
        self.stdout.write(f"{path}: {elapsed:.1f} ms per render under the profiler")
        self.stdout.write(f"{len(queries)} queries, as Django timed them:")
        for query in queries.captured_queries:
            self.stdout.write(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:150]}")
