"""Work derived from content, done outside readers' requests (`manage.py run_background`).

A reader's request only ever reads stored results; these jobs store them:

- `most_viewed`: each edition's Day/Week/Month lists (MostViewedList), when they
  are older than ALWAGHT_MOST_VIEWED_CACHE_SECONDS;
- `related`: Related Content lists (RelatedList), a bounded batch a run: missing or
  forgotten lists first, then ones older than ALWAGHT_RELATED_REFRESH_SECONDS;
- `renditions`: every rendition of each photo that visible content shows, newest
  photos first, within a time budget;
- `view_counts`: prunes and folds old view counts, once an hour;
- `search_stems`: the search vectors of Persian articles that no request wrote
  (a section renamed, bulk loads), a bounded batch a run (articles/search_index.py);
- `search_recent`: which articles the GIN index of recent articles holds (each
  edition's newest), a bounded batch a run (articles/search_recent.py).

Each job runs alone: under a PostgreSQL advisory lock of its own (a second
scheduler, on this machine or another, skips a job that is running rather than
doing it twice), and isolated (a failing job is logged and reported; the others
run). The lock is a session lock on the primary, released when the job ends or
its connection does, so a killed worker never leaves one behind; it needs a
direct connection or a session-pooling PgBouncer, not transaction pooling.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alwaght.job_health import DEFAULT_EVERY, job_record
from articles.models import Article, Author, Topic
from articles.related import related_due, related_refresh_many
from articles.search_index import stems_write
from articles.search_recent import search_recent_refresh
from media.models import Film, GalleryPhoto, Map, Photo, PhotoGallery
from media.renditions import renditions_make_missing
from popularity.services import most_viewed_due, most_viewed_refresh, view_counts_prune

logger = logging.getLogger(__name__)

# Lists per run: 18 s of (mostly database) time at 74,000 articles on the benchmark
# copy, 2 shared cores at load 6; a run every minute stays well inside its minute.
RELATED_BATCH = 200
# Vectors per run: stemming is a few milliseconds an article, the write one statement.
STEMS_BATCH = 2000
RENDITIONS_SECONDS = 30.0  # no new photo is started after this long in one run
PRUNE_EVERY_SECONDS = 3600
PRUNED_KEY = "background:view-counts-pruned"


@dataclass(frozen=True)
class Outcome:
    job: str
    status: str  # "done", "skipped" (running elsewhere) or "failed"
    detail: str
    seconds: float


def most_viewed_job(**options) -> str:
    """Recompute the editions whose lists are due; make the blocks showing them stale."""
    due = most_viewed_due()
    for language in due:  # each makes the blocks showing its lists stale
        most_viewed_refresh(language=language)
    if due:
        return f"stored the lists of {', '.join(due)}"
    return "every edition's lists are fresh"


def related_job(*, related_batch: int = RELATED_BATCH, **options) -> str:
    """Compute the most urgent Related Content lists, a bounded batch."""
    stored = related_refresh_many(article_ids=related_due(limit=related_batch))
    return f"stored {len(stored)} lists"


def photos_in_use(now=None):
    """Return the photos that visible content shows, newest first."""
    now = now or timezone.now()
    articles = Article.objects.published(now)
    galleries = PhotoGallery.objects.published(now)
    used = (
        Q(pk__in=articles.values("photo"))
        | Q(pk__in=Author.objects.filter(articles__in=articles).values("photo"))
        | Q(pk__in=Topic.objects.values("photo"))
        | Q(pk__in=GalleryPhoto.objects.filter(gallery__in=galleries).values("photo"))
        | Q(pk__in=Film.objects.published(now).values("poster"))
        | Q(pk__in=Map.objects.published(now).values("photo"))
    )
    return Photo.objects.filter(used).order_by("-pk")


def renditions_job(*, renditions_seconds: float = RENDITIONS_SECONDS, **options) -> str:
    """Make the missing renditions of photos in use, newest first, within a time budget."""
    done, failed, waiting = renditions_make_missing(
        photos_in_use(), budget_seconds=renditions_seconds
    )
    if failed:
        raise RuntimeError(f"{failed} photos could not be rendered (see the log); {done} done")
    return f"made the renditions of {done} photos; {waiting} waiting"


def view_counts_job(**options) -> str:
    """Prune and fold old view counts, at most once an hour."""
    if cache.get(PRUNED_KEY):
        return "pruned within the hour"
    deleted, folded = view_counts_prune()
    cache.set(PRUNED_KEY, True, PRUNE_EVERY_SECONDS)
    return f"deleted {deleted} old rows, folded shards into {folded} rows"


def search_stems_job(*, stems_batch: int = STEMS_BATCH, **options) -> str:
    """Write the stemmed search vectors still pending, a bounded batch."""
    return f"wrote {stems_write(limit=stems_batch)} search vectors"


def search_recent_job(**options) -> str:
    """Move the recent search index's marks toward each edition's newest articles."""
    return f"moved {search_recent_refresh()} marks"


JOBS: dict[str, Callable[..., str]] = {
    "most_viewed": most_viewed_job,
    "related": related_job,
    "renditions": renditions_job,
    "view_counts": view_counts_job,
    "search_stems": search_stems_job,
    "search_recent": search_recent_job,
}
# What each job keeps up to date, for the desk's warnings and the System page.
JOB_LABELS = {
    "most_viewed": _("Most Viewed lists"),
    "related": _("Related Content lists"),
    "renditions": _("picture renditions"),
    "view_counts": _("pruning of old view counts"),
    "search_stems": _("Persian search stems"),
    "search_recent": _("search index of recent articles"),
}


def lock_id(job: str) -> int:
    """Return the advisory lock number of `job`: stable, and unlikely to be anyone else's."""
    digest = hashlib.sha256(f"alwaght:background:{job}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def job_lock(job: str) -> Iterator[bool]:
    """Hold `job`'s advisory lock on the primary while the block runs; yield whether we got it."""
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_id(job)])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_id(job)])
            except DatabaseError:  # the connection is gone, and the lock with it
                logger.warning("Could not release the lock of %s; its session ended", job)


def run_jobs(names=None, *, every=DEFAULT_EVERY, clock=timezone.now, **options) -> list[Outcome]:
    """Run each job (all by default) under its lock; a failure does not stop the others.

    Each job that ran is recorded (alwaght/job_health.py) as run on a schedule of
    `every` seconds, at the time `clock` gives; the run ends with one summary line
    in the log.
    """
    outcomes = []
    for name in names or JOBS:
        started = time.monotonic()
        try:
            with job_lock(name) as acquired:
                if acquired:
                    status, detail = "done", JOBS[name](**options)
                else:
                    status, detail = "skipped", "running elsewhere"
        except Exception as error:  # isolated: logged, reported, the others run
            logger.exception("Background job %s failed", name)
            status, detail = "failed", f"{type(error).__name__}: {error}"
        outcome = Outcome(name, status, detail, time.monotonic() - started)
        if status != "skipped":  # the worker holding the lock records its own run
            job_record(
                name=name,
                status=status,
                detail=detail,
                seconds=outcome.seconds,
                every=every,
                now=clock(),
            )
        outcomes.append(outcome)
    log_summary(outcomes)
    return outcomes


def log_summary(outcomes: list[Outcome]) -> None:
    """Log one line for a run: each job's outcome and duration, and how many failed."""
    failed = sum(outcome.status == "failed" for outcome in outcomes)
    logger.log(
        logging.WARNING if failed else logging.INFO,
        "Background run: %s; %d failed",
        ", ".join(f"{o.job} {o.status} {o.seconds:.2f} s" for o in outcomes),
        failed,
        extra={
            "jobs": {o.job: {"status": o.status, "seconds": round(o.seconds, 3)} for o in outcomes},
            "failed": failed,
        },
    )
