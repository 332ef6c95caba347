"""Gunicorn settings for one app server: `gunicorn -c deploy/gunicorn.conf.py alwaght.wsgi`.

Every value can be overridden from the environment (GUNICORN_*), so the same file
serves a 2-core VM and a 32-core host.
"""

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what this process may use (cgroups, taskset)
    except AttributeError:
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: pages are CPU-bound template rendering plus short queries, so
# 2 x cores + 1 keeps the CPUs busy while some workers wait on the database.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * _cores() + 1))
worker_class = "sync"
# nginx buffers request bodies (uploads) and responses, so a worker is only held
# for the time Django takes; 30 s is far above any page and stops runaway requests.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then (memory growth in long-lived processes); the jitter
# keeps them from all restarting at the same moment.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Heartbeat files in memory, not on a possibly slow disk.
# (gunicorn's own advice; the files are private to each worker, not shared data)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# Logs to stdout/stderr: journald or the container runtime keeps them.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
# Django reads X-Forwarded-For itself (DJANGO_TRUSTED_PROXIES); gunicorn only needs
# to trust nginx for X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "alwaght"


# Prometheus (alwaght/metrics.py): each worker writes its counts to files in
# PROMETHEUS_MULTIPROC_DIR and /metrics, answered by any worker, adds them all up
# (prometheus_client's multiprocess mode). Set here, before the workers are forked
# and import the app, so they all inherit it; emptied at each start so counts from
# an earlier run do not linger. Default: var/prometheus of the checkout.
def on_starting(server):
    import shutil
    from pathlib import Path

    var = Path(os.environ.get("DJANGO_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
    folder = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(var / "prometheus")))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    """A worker that exits (recycled after max_requests, or killed) leaves its counts."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
