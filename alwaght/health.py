"""Health endpoints for load balancers and orchestrators.

/healthz: the process answers (no database, no cache). /readyz: the database and
the default cache answer too; 503 otherwise, so traffic moves elsewhere. Neither
is cached, and neither touches the view counter.
"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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
