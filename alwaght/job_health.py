"""Whether the background jobs are running: each job's last run, and which are stale.

The worker (alwaght/background.py) records every job it ran in JobStatus, in the
database so the record outlives a cache flush. A job is stale when its last
success is older than STALE_AFTER_RUNS of the intervals the worker says it runs
on (`run_background --every`, a minute by default), or when it never succeeded:
then what it stores for readers (Most Viewed, Related Content, renditions) is
aging. /healthz/background answers 503 and the desk's home warns administrators.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from alwaght.models import JobStatus

logger = logging.getLogger(__name__)

DEFAULT_EVERY = 60  # seconds: the systemd timer's and the loop's schedule
# Two runs may be missed (a long batch, a restart) before anyone is told.
STALE_AFTER_RUNS = 3


@dataclass(frozen=True)
class JobHealth:
    name: str
    status: JobStatus | None  # None: never recorded
    stale_after: timedelta
    age: timedelta | None  # since the last success; None: never succeeded

    @property
    def stale(self) -> bool:
        return self.age is None or self.age > self.stale_after

    @property
    def reason(self) -> str:
        """Say, for a person, why the job is stale (empty when it is not)."""
        if not self.stale:
            return ""
        if self.status is None:
            return _("has never run")
        if self.age is None:
            return _("has never succeeded")
        last = self.status.succeeded_at
        return _("last succeeded %(timesince)s ago") % {
            "timesince": timesince(last, last + self.age)
        }


def job_record(*, name: str, status: str, detail: str, seconds: float, every: int, now: datetime):
    """Store the outcome of one run of job `name` that ended at `now`.

    A database that does not answer is logged, never raised: the job's own work
    is done, and /healthz/background shows the gap by itself.
    """
    done = status == JobStatus.Status.DONE
    try:
        with transaction.atomic():
            row = JobStatus.objects.select_for_update().filter(name=name).first()
            row = row or JobStatus(name=name)
            row.every_seconds = every
            row.started_at = now - timedelta(seconds=seconds)
            row.status = status
            row.detail = detail[:500]
            row.seconds = seconds
            row.succeeded_at = now if done else row.succeeded_at
            row.failures_in_a_row = 0 if done else row.failures_in_a_row + 1
            row.save()
    except DatabaseError:
        logger.warning("Could not record the run of background job %s", name, exc_info=True)


def jobs_health(names, *, now: datetime | None = None) -> list[JobHealth]:
    """Return the health of each job in `names`, in that order (one query)."""
    now = now or timezone.now()
    rows = {row.name: row for row in JobStatus.objects.filter(name__in=list(names))}
    health = []
    for name in names:
        row = rows.get(name)
        every = row.every_seconds if row else DEFAULT_EVERY
        age = now - row.succeeded_at if row and row.succeeded_at else None
        health.append(JobHealth(name, row, timedelta(seconds=every * STALE_AFTER_RUNS), age))
    return health
