import cProfile
import io
import os
import pstats
import time
from contextlib import nullcontext
from pathlib import Path

from django.core.cache import caches
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment

from articles.models import Article
from web import fragments
from web.fragments import fragments_off

FIRST_VIEWS = "first-views"
# In a path, a number new to each run: "/en/search/?q=officials&n={n}" is a search
# nobody asked lately (the page ignores n; its cache does not), as make bench's
# "search, mid word, never repeated".
EACH_RUN = "{n}"
# The newest articles are the ones make bench keeps warm; first views come after them.
SKIP_NEWEST = 2000


def first_views(count: int) -> list[str]:
    """Return the addresses of `count` English articles, older than the busy newest ones."""
    visible = Article.objects.published().in_language("en").order_by("-publish_at", "-id")
    return [article.get_absolute_url() for article in visible[SKIP_NEWEST : SKIP_NEWEST + count]]


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
        parser.add_argument(
            "path",
            help="e.g. /en/ or /en/news/123/some-slug/, or first-views: each run another "
            "article never rendered before (the site-wide blocks warm), as a first view is. "
            "{n} in a path becomes a number new to each run: /en/search/?q=officials&n={n} "
            "is a search nobody asked lately.",
        )
        parser.add_argument("--runs", type=int, default=100)
        parser.add_argument("--limit", type=int, default=35, help="Rows of the profile.")
        parser.add_argument("--sort", default="cumulative", help="pstats sort key, e.g. tottime.")
        parser.add_argument(
            "--cpu-clock",
            action="store_true",
            help="Time the profile by this process's CPU, not the wall clock: waits on "
            "PostgreSQL and on other processes sharing the cores are left out.",
        )

    def handle(self, *args, path, runs, limit, sort, cpu_clock, **options):
        try:
            setup_test_environment()  # lets the test client count queries
        except RuntimeError:
            pass
        client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="Mozilla/5.0")
        with override_settings(PAGE_CACHE_ENABLED=False):  # profile the render, not a cache hit
            with fragments_off() if options["fragments_off"] else nullcontext():
                self.profile(client, path, runs, limit, sort, cpu_clock)

    def profile(self, client, path, runs, limit, sort, cpu_clock=False):
        if path == FIRST_VIEWS:
            # An earlier run rendered these same articles: forget every fragment it kept.
            caches[fragments.CACHE_ALIAS].clear()
            paths = first_views(2 * runs + 4)
        elif EACH_RUN in path:
            # New to this invocation too: an earlier one kept its pages.
            start = time.time_ns()
            paths = [path.replace(EACH_RUN, f"{start}-{n}") for n in range(2 * runs + 4)]
        else:
            paths = [path] * (2 * runs + 4)
        for warm in paths[:3]:
            response = client.get(warm)
        if response.status_code != 200:
            self.stderr.write(f"{paths[2]} answered {response.status_code}")
            return
        with CaptureQueriesContext(connection) as queries:
            client.get(paths[3])
        # Timed without the profiler (which doubles the cost of every call), then profiled.
        timed, profiled = paths[4 : 4 + runs], paths[4 + runs :]
        backend = backend_cpu()
        started, cpu_started = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as measured:
            for each in timed:
                client.get(each)
        elapsed = (time.perf_counter() - started) * 1000 / runs
        cpu = (time.process_time() - cpu_started) * 1000 / runs
        backend = (backend_cpu() - backend) / runs if backend is not None else None
        database = sum(float(query["time"]) for query in measured.captured_queries) * 1000 / runs
        profiler = cProfile.Profile(time.process_time) if cpu_clock else cProfile.Profile()
        profiler.enable()
        for each in profiled:
            client.get(each)
        profiler.disable()
        report = io.StringIO()
        stats = pstats.Stats(profiler, stream=report)
        stats.strip_dirs().sort_stats(sort).print_stats(limit)
        self.stdout.write(report.getvalue())
        self.stdout.write(
            f"{path}: {elapsed:.1f} ms per render without the profiler, {cpu:.1f} ms of it"
            f" this process's CPU, {database:.1f} ms waiting on queries"
            + (f", {backend:.1f} ms PostgreSQL's CPU" if backend is not None else "")
        )
        self.stdout.write(f"{len(queries)} queries, as Django timed them:")
        for query in queries.captured_queries:
            self.stdout.write(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:150]}")


def backend_cpu() -> float | None:
    """Return the CPU milliseconds this connection's PostgreSQL backend has used so far.

    Read from /proc, as make bench does: None when the server runs elsewhere.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
