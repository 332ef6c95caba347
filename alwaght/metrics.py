"""/metrics: what the site is doing, for Prometheus, and only for it.

Two halves. Counters and histograms are counted where things happen
(web/metrics.py); under gunicorn each worker writes its own to files in
PROMETHEUS_MULTIPROC_DIR, and this view adds them all up, whichever worker
answers (prometheus_client's multiprocess mode). Gauges that describe the site
rather than a process (queues, background job ages, replica lag, the last backup)
are read from the database and the disk when Prometheus asks, by SiteCollector:
about six cheap queries a scrape, nothing on readers' requests.

The address is refused unless ALWAGHT_METRICS_TOKEN (sent as
`Authorization: Bearer ...`) and/or ALWAGHT_METRICS_ALLOWED_ADDRESSES (the
client's address as web/client_ip.py tells it) are set and match: with neither
set it answers 404. It is never cached and never counted as a view.
"""

import hmac
import os
from ipaddress import ip_address

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector

from alwaght import site_state
from alwaght.background import JOBS
from alwaght.job_health import jobs_health
from web.client_ip import client_ip


def allowed(request) -> bool:
    """Return whether `request` may read the metrics: every check that is set passes."""
    token, networks = settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS
    if not token and not networks:
        return False
    if token:
        sent = request.META.get("HTTP_AUTHORIZATION", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return False
    if networks:
        try:
            address = ip_address(client_ip(request))
        except ValueError:
            return False
        if not any(address in network for network in networks):
            return False
    return True


def process_counts() -> CollectorRegistry:
    """Return the registry of the counts: every worker's under gunicorn, else this process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


def counter_totals(sample_name: str, label: str) -> dict[str, float]:
    """Return `sample_name`'s total per value of `label`, summed over the other labels."""
    totals: dict[str, float] = {}
    for family in process_counts().collect():
        for sample in family.samples:
            if sample.name == sample_name:
                key = sample.labels.get(label, "")
                totals[key] = totals.get(key, 0.0) + sample.value
    return totals


@never_cache
@require_safe
def metrics_view(request):
    """Answer the exposition text of every process's counts and the site's gauges."""
    if not allowed(request):  # as if there were nothing here, and never kept by a cache
        return HttpResponseNotFound("Not found", content_type="text/plain")
    body = generate_latest(process_counts())
    site = CollectorRegistry()
    site.register(SiteCollector())
    return HttpResponse(body + generate_latest(site), content_type=CONTENT_TYPE_LATEST)


class SiteCollector:
    """Gauges read when Prometheus asks: queues, job ages, replica lag, the last backup."""

    def collect(self):
        now = timezone.now()
        queues = site_state.queue_sizes()
        yield GaugeMetricFamily(
            "alwaght_comments_pending", "Comments waiting for moderation.", queues["comments"]
        )
        yield GaugeMetricFamily(
            "alwaght_held_changes_pending",
            "Editors' changes to live articles waiting for a Chief Editor's review.",
            queues["held_changes"],
        )
        yield from self._jobs(now)
        lag = GaugeMetricFamily(
            "alwaght_replica_lag_seconds",
            "How far each read replica is behind the primary (absent: unknown or down).",
            labels=["replica"],
        )
        for alias, seconds in site_state.replicas().items():
            if seconds is not None:
                lag.add_metric([alias], seconds)
        yield lag
        backup = site_state.last_backup()
        if backup is not None:
            yield GaugeMetricFamily(
                "alwaght_backup_last_timestamp_seconds",
                "When the newest backup in ALWAGHT_BACKUP_DIR was made (Unix time).",
                backup.created_at.timestamp(),
            )
            yield GaugeMetricFamily(
                "alwaght_backup_last_size_bytes", "Size of the newest backup file.", backup.size
            )

    @staticmethod
    def _jobs(now):
        age = GaugeMetricFamily(
            "alwaght_background_job_age_seconds",
            "Seconds since each background job last succeeded (absent: never).",
            labels=["background_job"],
        )
        stale = GaugeMetricFamily(
            "alwaght_background_job_stale",
            "1 when a background job has gone three of its intervals without a success.",
            labels=["background_job"],
        )
        threshold = GaugeMetricFamily(
            "alwaght_background_job_stale_after_seconds",
            "The age past which each background job counts as stale.",
            labels=["background_job"],
        )
        duration = GaugeMetricFamily(
            "alwaght_background_job_last_duration_seconds",
            "How long each background job's last run took.",
            labels=["background_job"],
        )
        failures = GaugeMetricFamily(
            "alwaght_background_job_failures_in_a_row",
            "Failed runs of each background job since its last success.",
            labels=["background_job"],
        )
        for job in jobs_health(list(JOBS), now=now):
            if job.age is not None:
                age.add_metric([job.name], job.age.total_seconds())
            stale.add_metric([job.name], int(job.stale))
            threshold.add_metric([job.name], job.stale_after.total_seconds())
            if job.status is not None:
                duration.add_metric([job.name], job.status.seconds)
                failures.add_metric([job.name], job.status.failures_in_a_row)
        yield from (age, stale, threshold, duration, failures)
