"""Health endpoints for load balancers, orchestrators and monitoring.

/healthz: the process answers (no database, no cache). /readyz: the database and
the default cache answer too; 503 otherwise, so traffic moves elsewhere.
/healthz/background: every background job succeeded recently (alwaght/job_health.py);
503 naming the stale ones otherwise. It is apart from /readyz on purpose: a stopped
worker ages what pages show but does not stop an app server from serving them, and
a load balancer that took every app server out for it would turn a stale Most
Viewed block into a site that is down. Point monitoring (or the worker's own health
check) at it. None of them is cached, and none touches the view counter.
"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from alwaght.background import JOBS
from alwaght.job_health import jobs_health

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """Answer 200 while the process serves requests."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """Answer 200 when the database and the cache answer, else 503 naming what failed."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    status = 200 if all(checks.values()) else 503
    response = JsonResponse({"status": "ok" if status == 200 else "unavailable", **checks})
    response.status_code = status
    return response


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any failure means "not ready"; the reason goes to the log
        logger.warning("Readiness: database check failed", exc_info=True)
        return False


def _cache_ok() -> bool:
    # The fail-safe cache swallows its own errors, so ask it to store and read back.
    try:
        cache.set("readyz:probe", 1, timeout=10)
        return cache.get("readyz:probe") == 1
    except Exception:
        logger.warning("Readiness: cache check failed", exc_info=True)
        return False


@never_cache
@require_safe
def background(request):
    """Answer 200 when every background job succeeded recently, else 503 naming the stale.

    Ages and outcomes only: a failed job's error stays in the worker's log and the
    desk, not on an address anyone may ask.
    """
    try:
        health = jobs_health(list(JOBS))
    except Exception:
        logger.warning("Background health: the job records could not be read", exc_info=True)
        response = JsonResponse({"status": "unavailable", "database": False})
        response.status_code = 503
        return response
    jobs = {
        job.name: {
            "stale": job.stale,
            "last_outcome": job.status.status if job.status else None,
            "last_success": job.status.succeeded_at if job.status else None,
            "age_seconds": round(job.age.total_seconds()) if job.age is not None else None,
            "stale_after_seconds": round(job.stale_after.total_seconds()),
        }
        for job in health
    }
    stale = sorted(name for name, job in jobs.items() if job["stale"])
    response = JsonResponse({"status": "stale" if stale else "ok", "stale": stale, "jobs": jobs})
    response.status_code = 503 if stale else 200
    return response
