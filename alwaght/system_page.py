"""The desk's System page (`admin:system`, superusers only): what the metrics say, for
a newsroom without Prometheus.

Versions, migrations not applied, each background job's last run, the page cache's
and the fragments' hit ratios (counted by this app server since it started),
what the uploads take, the newest backup and each replica's lag. Read when an
administrator opens it: a handful of small queries, the backup folder's listing
and, with uploads on this machine's disk, a walk of the uploads folder.
"""

import os
import platform
import tomllib
from importlib import metadata
from pathlib import Path

import django
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Sum
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from alwaght import site_state
from alwaght.background import JOB_LABELS, JOBS
from alwaght.job_health import jobs_health
from alwaght.metrics import counter_totals
from media.models import Film, Photo


def system_view(request, admin_site):
    """Render admin/system.html for superusers; 403 for everyone else."""
    if not request.user.is_superuser:
        raise PermissionDenied
    now = timezone.now()
    context = {
        **admin_site.each_context(request),
        "title": _("System"),
        "versions": versions(),
        "pending_migrations": pending_migrations(),
        "jobs": [
            {"health": job, "label": JOB_LABELS[job.name]}
            for job in jobs_health(list(JOBS), now=now)
        ],
        "hit_ratios": hit_ratios(),
        "media": media_use(),
        "backup": site_state.last_backup(),
        "replicas": site_state.replicas(),
        "now": now,
    }
    return TemplateResponse(request, "admin/system.html", context)


def versions() -> list[tuple[str, str]]:
    """Return (component, version) pairs: the site, Python, Django, PostgreSQL."""
    server = connection.cursor().connection.info.server_version  # e.g. 170002
    return [
        ("alwaght", site_version()),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("PostgreSQL", f"{server // 10000}.{server % 10000}"),
    ]


def site_version() -> str:
    """Return the installed package's version, or the checkout's when run from source."""
    try:
        return metadata.version("alwaght")
    except metadata.PackageNotFoundError:  # a checkout on sys.path, not installed
        pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
        return tomllib.loads(pyproject.read_text())["project"]["version"]


def pending_migrations() -> list[str]:
    """Return the migrations not applied to the database, in the order they would run."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def hit_ratios() -> dict[str, dict]:
    """Return hits, lookups and the ratio of the page cache and of the fragments."""
    pages = counter_totals("alwaght_page_cache_requests_total", "outcome")
    fragments = counter_totals("alwaght_fragment_cache_requests_total", "outcome")
    return {
        # A first ask (rendered, stored from the next) is a lookup the cache did not answer.
        "pages": _ratio(
            pages.get("hit", 0) + pages.get("stale", 0),
            pages.get("miss", 0) + pages.get("first-ask", 0),
        ),
        "fragments": _ratio(fragments.get("hit", 0), fragments.get("miss", 0)),
    }


def _ratio(hits: float, misses: float) -> dict:
    total = hits + misses
    return {"hits": int(hits), "total": int(total), "ratio": hits / total if total else None}


def media_use() -> dict:
    """Return the photo library's and the films' counts and sizes, and the folder's total."""
    photos = Photo.objects.aggregate(count=Count("pk"), size=Sum("file_size"))
    folder_size = None
    if settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage"):
        folder_size = _folder_size(Path(settings.MEDIA_ROOT))
    return {
        "photos": photos["count"],
        "photo_bytes": photos["size"] or 0,
        "films": Film.objects.exclude(video="").count(),
        "folder_bytes": folder_size,
    }


def _folder_size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_size
            except OSError:  # removed meanwhile
                continue
    return total
