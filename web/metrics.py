"""The site's Prometheus instruments, counted where things happen.

Here, at the bottom floor, so every app may count without importing the site's
composition: requests and their latency by page kind (alwaght/request_trace.py),
the page cache's and the fragments' hits and misses, search latency, views the
beacon's counter wrote. What is read from the database when Prometheus asks
(queues, job ages, replica lag, backups) is collected by alwaght/metrics.py.

Under gunicorn each worker is a process: with PROMETHEUS_MULTIPROC_DIR set
(deploy/gunicorn.conf.py sets it), prometheus_client writes each process's
counts to files there, and a scrape answered by any worker adds them all up.
Without it (runserver, tests) the counts stay in the process.
"""

from prometheus_client import Counter, Histogram, disable_created_metrics

# The *_created series double the exposition and no dashboard here reads them.
disable_created_metrics()

# Latency buckets from a page-cache hit (about 1 ms) to a slow full render.
SECONDS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter(
    "alwaght_http_requests",
    "Requests answered, by page kind and status code.",
    ["kind", "status"],
)
REQUEST_SECONDS = Histogram(
    "alwaght_http_request_duration_seconds",
    "Time from the first middleware to the response, by page kind.",
    ["kind"],
    buckets=SECONDS,
)
PAGE_CACHE = Counter(
    "alwaght_page_cache_requests",
    "Requests by what the page cache did: hit, stale (served while rebuilt), miss "
    "(rendered and stored), first-ask (rendered, stored from the next ask) or bypass "
    "(not cacheable, or not stored).",
    ["outcome"],
)
FRAGMENTS = Counter(
    "alwaght_fragment_cache_requests",
    "Rendered fragments asked for, by fragment and outcome (hit or miss).",
    ["fragment", "outcome"],
)
SEARCH_SECONDS = Histogram(
    "alwaght_search_duration_seconds",
    "Time to run one search (search_articles), database included.",
    buckets=SECONDS,
)
VIEWS_FLUSHED = Counter(
    "alwaght_beacon_views_flushed",
    "Article views counted by the beacon and written to the database.",
)


def request_observed(*, kind: str, status: int, seconds: float, page_cache: str) -> None:
    """Count one answered request."""
    REQUESTS.labels(kind, str(status)).inc()
    REQUEST_SECONDS.labels(kind).observe(seconds)
    PAGE_CACHE.labels(page_cache).inc()


def fragment(name: str, outcome: str) -> None:
    """Count one fragment served from the cache ("hit") or rendered ("miss")."""
    FRAGMENTS.labels(name, outcome).inc()


def views_flushed(count: int) -> None:
    """Count views written to the database in one flush."""
    VIEWS_FLUSHED.inc(count)
