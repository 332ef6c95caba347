"""/metrics: refused to the public, never cached or counted, and every family there after
traffic; under gunicorn, the counts of every worker add up whichever worker answers."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from prometheus_client.parser import text_string_to_metric_families

from alwaght.background import run_jobs
from articles.review import live_story
from articles.services import article_change_hold
from popularity.counting import pending_views
from popularity.models import ViewCount
from tests.desk.test_desk import member_of
from tests.factories import make_article, make_comment
from tests.servers import free_port

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = "s3cret-scrape-token"


@pytest.fixture
def scraping(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = []
    return settings


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.status_code
    return samples(response.content.decode())


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found, name, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.mark.parametrize(
    ("token", "networks", "sent_token", "address", "status"),
    [
        ("", [], f"Bearer {TOKEN}", "127.0.0.1", 404),  # nothing set: off
        (TOKEN, [], "", "127.0.0.1", 404),
        (TOKEN, [], "Bearer wrong", "127.0.0.1", 404),
        (TOKEN, [], f"Bearer {TOKEN}", "203.0.113.9", 200),
        ("", ["10.0.0.0/24"], "", "203.0.113.9", 404),
        ("", ["10.0.0.0/24"], "", "10.0.0.7", 200),
        (TOKEN, ["10.0.0.0/24"], f"Bearer {TOKEN}", "203.0.113.9", 404),  # both must match
        (TOKEN, ["10.0.0.0/24"], "", "10.0.0.7", 404),
        (TOKEN, ["10.0.0.0/24"], f"Bearer {TOKEN}", "10.0.0.7", 200),
    ],
)
def test_the_public_is_refused(client, settings, token, networks, sent_token, address, status):
    from ipaddress import ip_network

    settings.METRICS_TOKEN = token
    settings.METRICS_ALLOWED_NETWORKS = [ip_network(n) for n in networks]

    response = client.get("/metrics", HTTP_AUTHORIZATION=sent_token, REMOTE_ADDR=address)

    assert response.status_code == status
    assert "no-cache" in response["Cache-Control"] and "X-Page-Cache" not in response


def test_the_endpoint_is_never_cached_nor_counted_as_a_view(client, scraping):
    article = make_article()
    first = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    second = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
    assert "no-store" in second["Cache-Control"]
    pending_views.flush()
    assert not ViewCount.objects.filter(article=article).exists()
    before, after = samples(first.content.decode()), samples(second.content.decode())
    # The scrape itself is counted as a request of kind "metrics", nothing else.
    assert value(after, "alwaght_http_requests_total", kind="metrics", status="200") == (
        value(before, "alwaght_http_requests_total", kind="metrics", status="200") + 1
    )


def test_every_family_is_exposed_after_traffic(client, scraping, tmp_path):
    scraping.BACKUP_DIR = tmp_path
    scraping.PAGE_CACHE_ENABLED = True
    scraping.PAGE_CACHE_VERSION_MEMO_SECONDS = 0
    backup = tmp_path / "alwaght-20261205T023000Z.backup.tar"
    backup.write_bytes(b"x" * 4096)
    (tmp_path / "alwaght-20261204T023000Z.backup.tar").write_bytes(b"older")
    article = make_article(title="Water talks resume")
    make_comment(article=article, status="pending")
    editor = member_of("Editors", "ed")
    article_change_hold(
        article=article,
        user=editor,
        live=live_story(article),
        proposed={"fields": {"title": "Water talks end"}, "notes": []},
    )
    run_jobs(["most_viewed", "related"])
    before = scrape(client)

    assert client.get("/en/")["X-Page-Cache"] == "first-ask"  # fragments rendered and kept
    assert client.get("/en/")["X-Page-Cache"] == "miss"  # the page stored from its second ask
    assert client.get("/en/")["X-Page-Cache"] == "hit"
    client.get(article.get_absolute_url())
    client.get("/en/search/?q=water")
    client.get(f"/beacon/articles/{article.pk}/view", HTTP_USER_AGENT="Mozilla/5.0")
    pending_views.flush()
    client.get("/en/no-such-page/")
    after = scrape(client)

    def grew(name, by=1, **labels):
        return value(after, name, **labels) - value(before, name, **labels) == by

    assert grew("alwaght_http_requests_total", by=3, kind="front", status="200")
    assert grew("alwaght_http_requests_total", kind="article", status="200")
    assert grew("alwaght_http_requests_total", kind="search", status="200")
    assert grew("alwaght_http_requests_total", kind="unmatched", status="404")
    assert grew("alwaght_http_request_duration_seconds_count", by=3, kind="front")
    assert grew("alwaght_page_cache_requests_total", outcome="hit")
    assert grew("alwaght_page_cache_requests_total", by=2, outcome="first-ask")  # /en/, article
    assert value(after, "alwaght_page_cache_requests_total", outcome="miss") > value(
        before, "alwaght_page_cache_requests_total", outcome="miss"
    )
    assert any(
        name == "alwaght_fragment_cache_requests_total" and ("outcome", "miss") in labels
        for name, labels in after
    )
    assert grew("alwaght_search_duration_seconds_count")
    assert grew("alwaght_beacon_views_flushed_total")
    assert value(after, "alwaght_comments_pending") == 1
    assert value(after, "alwaght_held_changes_pending") == 1
    assert 0 <= value(after, "alwaght_background_job_age_seconds", background_job="related") < 60
    assert value(after, "alwaght_background_job_stale", background_job="related") == 0
    assert value(after, "alwaght_background_job_stale", background_job="renditions") == 1
    assert (
        value(after, "alwaght_background_job_stale_after_seconds", background_job="related") == 180
    )
    assert (
        "alwaght_background_job_last_duration_seconds",
        (("background_job", "related"),),
    ) in after
    assert value(after, "alwaght_backup_last_timestamp_seconds") == (
        datetime(2026, 12, 5, 2, 30, tzinfo=UTC).timestamp()
    )
    assert value(after, "alwaght_backup_last_size_bytes") == 4096
    exposition = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert "# TYPE alwaght_replica_lag_seconds gauge" in exposition  # no replicas here


def test_replica_lag_is_exposed_per_replica(client, scraping, monkeypatch):
    from alwaght import site_state

    monkeypatch.setattr(site_state, "replica_lags", lambda: {"replica_1": 2.5, "replica_2": None})

    found = scrape(client)

    assert value(found, "alwaght_replica_lag_seconds", replica="replica_1") == 2.5
    assert ("alwaght_replica_lag_seconds", (("replica", "replica_2"),)) not in found


@pytest.mark.servers
@pytest.mark.django_db(transaction=True)
def test_gunicorn_workers_counts_add_up_whichever_worker_answers(tmp_path):
    port = free_port()
    database = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PROMETHEUS_"))},
        "DJANGO_DEBUG": "1",
        "DJANGO_VAR_DIR": str(tmp_path),
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@"
            f"{quote(database['HOST'] or '127.0.0.1', safe='')}"
            f"{':' + str(database['PORT']) if database['PORT'] else ''}/{database['NAME']}"
        ),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "ALWAGHT_METRICS_TOKEN": TOKEN,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "alwaght.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-3000:]
                time.sleep(0.1)
        for _ in range(40):  # new connections each: the workers share them out
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                assert response.status == 200
        request = urllib.request.Request(
            base + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        counts = []
        for _ in range(6):
            with urllib.request.urlopen(request, timeout=10) as response:
                found = samples(response.read().decode())
            counts.append(value(found, "alwaght_http_requests_total", kind="health", status="200"))
        pids = {p.name for p in (tmp_path / "prometheus").glob("counter_*.db")}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server.stderr.close()

    assert len(pids) == 2, "both workers counted requests"
    # At least 41 (the 40 and the first that found the server up), every scrape alike.
    assert min(counts) >= 41 and len(set(counts)) == 1


def test_the_alerts_and_the_dashboard_use_only_metrics_the_site_exposes(client, scraping, tmp_path):
    import json
    import re

    import yaml

    scraping.BACKUP_DIR = tmp_path
    (tmp_path / "alwaght-20261205T023000Z.backup.tar").write_bytes(b"x")
    run_jobs(["most_viewed"])
    client.get("/en/search/?q=water")
    make_article()
    client.get("/en/")
    pending_views.flush()
    from alwaght import site_state

    original = site_state.replica_lags
    site_state.replica_lags = lambda: {"replica_1": 0.5}
    try:
        exposed = {name for name, _labels in scrape(client)}
    finally:
        site_state.replica_lags = original
    rules = yaml.safe_load((ROOT / "deploy" / "prometheus" / "alerts.yml").read_text())
    alerts = {rule["alert"]: rule["expr"] for group in rules["groups"] for rule in group["rules"]}
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "alwaght-dashboard.json").read_text())
    queries = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]

    used = set(re.findall(r"alwaght_[a-z_]+", " ".join([*alerts.values(), *queries])))
    assert len(used) >= 12
    assert sorted(used - exposed) == []
    assert {
        "AlwaghtBackgroundJobStale",
        "AlwaghtBackupTooOld",
        "AlwaghtReplicaLagging",
        "AlwaghtHighErrorRate",
    } <= set(alerts)
