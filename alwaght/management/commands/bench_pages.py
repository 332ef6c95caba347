import json
import re
import statistics
import time
from contextlib import nullcontext
from urllib.parse import quote

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count
from django.templatetags.static import static
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment
from django.urls import reverse
from taggit.models import Tag

from alwaght.demo import loader
from articles.models import Article, Section, Topic
from web.fragments import fragments_off

ROTATING_ARTICLES = 1000
FIRST_VIEWS = 20000
# The long tail: articles spread over the rest of the archive, each requested once
# at the start and measured once no reader has asked for them for a while
# (scripts/bench.py, BENCH_LONG_TAIL_AGE); one slice per round, so none repeats.
LONG_TAIL_PER_ROUND = 1000
LONG_TAIL_ROUNDS = 3
# Search shapes, each request a new address (a search nobody asked lately), as
# scripts/explain_search.py times their statements: what `make bench-1m` measures at
# a million articles. Not in the default run (named in BENCH_PAGES, they are).
SEARCH_SHAPES = {
    "1 in 100": "029",
    "two words meeting in 1 of 80": "officials capital",
    "two words that never meet": "officials traders",
    "three words meeting in 1 of 800": "officials capital budget",
}
SEARCH_SHAPES_IN_SECTION = ("1 in 100", "two words meeting in 1 of 80")
# The same in the other editions, where their synthetic archives exist (the words of
# scripts/explain_pages.py): the Persian two words were the slowest statement of any
# edition at 300,000 articles (docs/benchmarks.md, issue 24's eleventh pass).
EDITION_SEARCH_SHAPES = {
    "ar": {"two words meeting in 1 of 80": "مزارع العاصمة"},
    "fa": {"two words meeting in 1 of 80": "کشاورز پایتخت"},
}
NEVER_REPEATED = 20_000  # more addresses than a row's requests in all its rounds


def cold(url: str) -> str:
    """Return `url` with the parameter the page cache passes by on a benchmark server
    (ALWAGHT_BENCH_VIEWS=1, pagecache/kinds.py), so it renders every time."""
    return url + ("&" if "?" in url else "?") + "bench=cold"


class Command(BaseCommand):
    help = (
        "Time the reader pages against the current database and print the median and "
        "query count of each (a benchmark: it asserts nothing). Load a large archive "
        "first with `load_demo --articles 100000`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fragments-off",
            action="store_true",
            help="Render every fragment afresh (web/fragments.py): the first view after a change.",
        )
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--explain", action="store_true", help="Print query plans.")
        parser.add_argument(
            "--list-urls",
            action="store_true",
            help="Print, as JSON, the addresses `make bench` loads (scripts/bench.py).",
        )

    def handle(self, *args, runs, explain, list_urls, **options):
        if list_urls:
            self.stdout.write(json.dumps(self.load_pages()))
            return
        try:
            setup_test_environment()  # lets the test client count queries and render
        except RuntimeError:
            pass  # already set up, as inside the test suite
        client = Client()
        self.stdout.write(f"{Article.objects.count():,} articles, {runs} runs per page")
        with override_settings(PAGE_CACHE_ENABLED=False):  # every run renders
            with fragments_off() if options["fragments_off"] else nullcontext():
                self.time_pages(client, runs, explain)

    def time_pages(self, client, runs, explain):
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
            p95 = sorted(timings)[min(len(timings) - 1, int(len(timings) * 0.95))]
            self.stdout.write(
                f"{name:32} median {median:7.1f} ms  p95 {p95:7.1f} ms  {len(queries)} queries"
            )
            if explain:
                self.explain(queries.captured_queries)

    def pages(self):
        article = Article.objects.published().order_by("-publish_at").first()
        section = Section.objects.order_by("position").first()
        # The English edition's (the Arabic and Persian archives have tags of their own).
        tag = (
            Tag.objects.filter(articles_taggedarticle_items__content_object__language="en")
            .annotate(uses=Count("articles_taggedarticle_items"))
            .order_by("-uses")
            .first()
        )
        topic = (
            Topic.objects.filter(language="en")
            .annotate(uses=Count("articles"))
            .order_by("-uses")
            .first()
        )
        return {
            "front page": "/en/",
            "archive, page 1": "/en/news/",
            "archive, deep page": self.deep_archive_page(),
            "section, page 1": section.get_absolute_url(),
            "article": article.get_absolute_url(),
            "tag (busiest)": reverse("articles:tag", args=[tag.slug]),
            "topic (busiest)": topic.get_absolute_url(),
            "most viewed, month": reverse("popularity:most-viewed-period", args=["month"]),
            "search 'water'": "/en/search/?q=water",
            f"search '{self.rare_word()}' (rare)": f"/en/search/?q={self.rare_word()}",
            "search 'officials' (1 in 10)": "/en/search/?q=officials",
            "search 'agreement' (in all)": "/en/search/?q=agreement",
            "search 'the' (stop word)": "/en/search/?q=the",
            "search 'harvest outl' (prefix)": "/en/search/?q=harvest+outl",
            "search, page 5": "/en/search/?q=officials&page=5",
        }

    def load_pages(self):
        """Return the article count and the pages `make bench` measures, in table order."""
        pages = self.pages()
        visible = Article.objects.published().order_by("-publish_at", "-id")
        rotating = [article.get_absolute_url() for article in visible[:ROTATING_ARTICLES]]
        # Never requested before the run and never twice in it: the page as first
        # rendered after a change (the site-wide side blocks stay warm).
        first_views = [
            article.get_absolute_url()
            for article in visible[ROTATING_ARTICLES : ROTATING_ARTICLES + FIRST_VIEWS]
        ]
        # Every n-th article of what is left, oldest included: the pages search
        # engines and shared links bring readers to.
        rest = visible[ROTATING_ARTICLES + FIRST_VIEWS :].values_list("pk", flat=True)
        wanted = LONG_TAIL_PER_ROUND * LONG_TAIL_ROUNDS
        step = max(len(rest) // wanted, 1)
        long_tail = [
            article.get_absolute_url()
            for article in Article.objects.filter(pk__in=list(rest[::step][:wanted])).order_by("?")
        ]
        beacons = [
            reverse("beacon:view-beacon", args=[pk])
            for pk in visible.values_list("pk", flat=True)[:ROTATING_ARTICLES]
        ]
        one = lambda url: {"paths": [url]}  # noqa: E731
        article_pages = {
            "article, one URL": one(cold(pages["article"])),
            # Articles readers keep reading: make bench renders each once before measuring.
            f"article, {len(rotating)} URLs": {"paths": [cold(u) for u in rotating], "warm": True},
        }
        if first_views:  # none on a small demo site: every article is in `rotating`
            article_pages["article, first views"] = {
                # Not passing the page cache by: a reader's first view is rendered,
                # then stored there (compressed), and both are what it costs.
                "paths": first_views,
                "first_views": True,
            }
        if long_tail:
            article_pages["article, long tail"] = {
                "paths": [cold(url) for url in long_tail],
                "long_tail": LONG_TAIL_ROUNDS,
            }
        return {
            "articles": visible.count(),
            "pages": {
                "no-DB view": one("/bench/no-db/"),
                "one-query view": one("/bench/one-query/"),
                "static CSS": one(static("css/site.css")),
                **article_pages,
                "front page": one(cold(pages["front page"])),
                "section": one(cold(pages["section, page 1"])),
                "tag (busiest)": one(cold(pages["tag (busiest)"])),
                "topic (busiest)": one(cold(pages["topic (busiest)"])),
                "archive, page 1": one(cold(pages["archive, page 1"])),
                "archive, deep page": one(cold(self.deep_archive_page())),
                "article, page cache": one(pages["article"]),
                "front page, page cache": one(pages["front page"]),
                "section, page cache": one(pages["section, page 1"]),
                "archive, page 1, page cache": one(pages["archive, page 1"]),
                f"search, rare word ({self.rare_word()})": one(f"/en/search/?q={self.rare_word()}"),
                "search, mid word (officials)": one("/en/search/?q=officials"),
                "search, common word (agreement)": one("/en/search/?q=agreement"),
                # Each request a new address: what a search costs when nobody asked it
                # lately (a parameter the page ignores makes each one a new entry).
                "search, mid word, never repeated": {
                    "paths": [f"/en/search/?q=officials&n={n}" for n in range(100_000)],
                    "first_views": True,
                },
                **self.edition_searches(one),
                **self.search_shapes(),
                "beacon, repeat view": {"paths": beacons[:1], "method": "POST"},
                "beacon, counted view": {"paths": beacons, "method": "POST", "new_reader": True},
            },
        }

    def edition_searches(self, one) -> dict:
        """Return the Arabic and Persian searches, where their synthetic archives exist."""
        words = {
            "ar": [("rare", "منسوب"), ("1 in 10", "مزارع"), ("in all", "اتفاق")],
            "fa": [("rare", "رودخانه ها"), ("1 in 10", "کشاورز"), ("in all", "توافق")],
        }
        pages = {}
        for language, searches in words.items():
            prefix = loader.synthetic_slug_prefix(language)
            if not Article.objects.filter(language=language, slug__startswith=prefix).exists():
                continue
            for name, word in searches:
                pages[f"search {language}, {name} ({word})"] = one(
                    f"/{language}/search/?q={quote(word)}"
                )
        return pages

    def search_shapes(self) -> dict:
        """Return the search shapes nobody asked lately, measured only when named: the
        English ones alone and within the busiest section (SEARCH_SHAPES), and the other
        editions' (EDITION_SEARCH_SHAPES) where their synthetic archives exist."""
        busiest = (
            Section.objects.filter(language="en")
            .annotate(stories=Count("articles"))
            .order_by("-stories")
            .values_list("slug", flat=True)
            .first()
        )
        searches = {name: f"q={quote(words)}" for name, words in SEARCH_SHAPES.items()}
        if busiest:
            for name in SEARCH_SHAPES_IN_SECTION:
                searches[f"{name}, busiest section"] = f"{searches[name]}&section={busiest}"
        pages = {
            f"search, {name}, never repeated": ("en", query) for name, query in searches.items()
        }
        for language, shapes in EDITION_SEARCH_SHAPES.items():
            prefix = loader.synthetic_slug_prefix(language)
            if Article.objects.filter(language=language, slug__startswith=prefix).exists():
                for name, words in shapes.items():
                    pages[f"search {language}, {name}, never repeated"] = (
                        language,
                        f"q={quote(words)}",
                    )
        return {
            name: {
                "paths": [f"/{language}/search/?{query}&n={n}" for n in range(NEVER_REPEATED)],
                "first_views": True,
                "when_named": True,
            }
            for name, (language, query) in pages.items()
        }

    def deep_archive_page(self):
        """Return the archive page 80 % of the way down, as its Older links address it."""
        visible = Article.objects.for_listing().in_language("en")
        depth = visible.count() * 4 // 5
        pk = visible.values_list("pk", flat=True)[depth] if depth else visible[0].pk
        return f"{reverse('articles:archive')}?before={pk}"

    def rare_word(self):
        """Return a word of a hand-written demo article's title (absent from synthetic ones)."""
        demo = (
            Article.objects.published()
            .exclude(slug__startswith=loader.SYNTHETIC_SLUG_PREFIX)
            .order_by("pk")
            .first()
        )
        synthetic = " ".join(
            [*loader.SUBJECTS, *loader.VERBS, *loader.OBJECTS, *loader.PLACES, loader.PARAGRAPH]
        ).lower()
        words = [w.lower() for w in re.findall(r"\w{5,}", demo.title if demo else "")]
        rare = [word for word in words if word[:5] not in synthetic]
        return max(rare or ["nothing"], key=len)

    def explain(self, captured_queries):
        for query in captured_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + query["sql"])
                plan = "\n      ".join(row[0] for row in cursor.fetchall())
            self.stdout.write(f"    {query['sql'][:100]}...\n      {plan}")
