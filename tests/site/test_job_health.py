"""Background jobs report their health: each run recorded, stale jobs fail readiness
and warn administrators on the desk. The clock is injected; nothing sleeps."""

import logging
from datetime import UTC, datetime, timedelta
from io import StringIO

import psycopg
import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection

from alwaght import background
from alwaght.background import JOBS, lock_id, run_jobs
from alwaght.job_health import jobs_health
from alwaght.models import JobStatus
from tests.desk.test_desk import member_of

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 6, 0, 30, tzinfo=UTC)


def at(moment):
    return lambda: moment


def health_at(now):
    return {job.name: job for job in jobs_health(list(JOBS), now=now)}


def test_each_job_records_its_last_run_outcome_and_duration():
    run_jobs(clock=at(T0))

    rows = {row.name: row for row in JobStatus.objects.all()}
    assert sorted(rows) == sorted(JOBS)
    for row in rows.values():
        assert row.status == "done"
        assert row.succeeded_at == T0
        assert 0 <= row.seconds < 60
        assert row.started_at == T0 - timedelta(seconds=row.seconds)
        assert row.every_seconds == 60
        assert row.failures_in_a_row == 0


def test_a_failure_is_recorded_and_keeps_the_last_success(monkeypatch):
    run_jobs(["related"], clock=at(T0))

    def broken(**options):
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(background.JOBS, "related", broken)
    run_jobs(["related"], clock=at(T0 + timedelta(minutes=1)))
    run_jobs(["related"], clock=at(T0 + timedelta(minutes=2)))

    row = JobStatus.objects.get(name="related")
    assert (row.status, row.detail) == ("failed", "RuntimeError: the disk is full")
    assert row.succeeded_at == T0
    assert row.failures_in_a_row == 2


def test_a_job_is_stale_after_three_of_its_intervals_without_a_success():
    run_jobs(["most_viewed"], clock=at(T0))
    run_jobs(["related"], every=300, clock=at(T0))

    within = health_at(T0 + timedelta(seconds=180))
    later = health_at(T0 + timedelta(seconds=181))
    much_later = health_at(T0 + timedelta(seconds=901))

    assert not within["most_viewed"].stale and later["most_viewed"].stale
    assert "3\xa0minutes ago" in later["most_viewed"].reason
    # A worker started with --every 300 is given five times longer.
    assert not later["related"].stale and much_later["related"].stale
    assert within["renditions"].stale and within["renditions"].reason == "has never run"


def test_a_job_that_never_succeeded_is_stale_at_once(monkeypatch):
    def broken(**options):
        raise RuntimeError("no space")

    monkeypatch.setitem(background.JOBS, "renditions", broken)
    run_jobs(["renditions"], clock=at(T0))

    job = health_at(T0)["renditions"]
    assert job.stale and job.reason == "has never succeeded"


def test_a_job_skipped_for_another_worker_is_left_to_that_worker_to_record(settings):
    database = settings.DATABASES["default"]
    with psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        user=database["USER"],
        password=database["PASSWORD"],
        host=database["HOST"],
        port=database["PORT"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [lock_id("most_viewed")])
        (outcome,) = run_jobs(["most_viewed"], clock=at(T0))
        other.execute("SELECT pg_advisory_unlock(%s)", [lock_id("most_viewed")])

    assert outcome.status == "skipped"
    assert not JobStatus.objects.filter(name="most_viewed").exists()


def test_the_command_records_the_schedule_it_was_given():
    call_command("run_background", "--job=most_viewed", "--every=120", stdout=StringIO())

    assert JobStatus.objects.get(name="most_viewed").every_seconds == 120


def test_a_run_logs_one_summary_line(caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="alwaght.background")
    run_jobs(clock=at(T0))
    (line,) = [r for r in caplog.records if r.getMessage().startswith("Background run")]
    assert line.levelno == logging.INFO
    assert all(f"{name} done" in line.getMessage() for name in JOBS)
    assert line.getMessage().endswith("; 0 failed")
    assert line.jobs["related"]["status"] == "done" and line.failed == 0

    monkeypatch.setitem(background.JOBS, "related", lambda **options: 1 / 0)
    caplog.clear()
    with pytest.raises(CommandError):
        call_command("run_background", stdout=StringIO(), stderr=StringIO())
    (line,) = [r for r in caplog.records if r.getMessage().startswith("Background run")]
    assert line.levelno == logging.WARNING
    assert "related failed" in line.getMessage() and line.getMessage().endswith("; 1 failed")


def test_background_readiness_fails_for_a_stale_job_and_recovers_after_a_run(client):
    now = datetime.now(tz=UTC)
    run_jobs(clock=at(now - timedelta(minutes=10)))  # the worker stopped ten minutes ago

    stale = client.get("/healthz/background")

    assert stale.status_code == 503
    body = stale.json()
    assert body["status"] == "stale" and body["stale"] == sorted(JOBS)
    assert body["jobs"]["related"]["age_seconds"] >= 600
    assert body["jobs"]["related"]["stale_after_seconds"] == 180
    assert "no-cache" in stale["Cache-Control"]

    run_jobs(clock=at(now))
    cache.clear()  # the record is in the database: a cache flush changes nothing
    fresh = client.get("/healthz/background")

    assert fresh.status_code == 200
    assert fresh.json()["status"] == "ok" and fresh.json()["stale"] == []


def test_background_readiness_names_only_the_stale_job_and_no_error_text(client, monkeypatch):
    now = datetime.now(tz=UTC)
    run_jobs(clock=at(now - timedelta(hours=1)))
    run_jobs(
        ["most_viewed", "related", "view_counts", "search_stems", "search_recent"], clock=at(now)
    )

    def broken(**options):
        raise OSError("cannot write /srv/alwaght/var/media/renditions/x.webp")

    monkeypatch.setitem(background.JOBS, "renditions", broken)
    run_jobs(["renditions"], clock=at(now))

    response = client.get("/healthz/background")

    assert response.status_code == 503
    assert response.json()["stale"] == ["renditions"]
    assert response.json()["jobs"]["renditions"]["last_outcome"] == "failed"
    assert "/srv/alwaght" not in response.content.decode()


def test_the_desk_warns_administrators_of_a_stale_job_and_no_one_else(client):
    now = datetime.now(tz=UTC)
    run_jobs(clock=at(now))
    JobStatus.objects.filter(name="renditions").update(succeeded_at=now - timedelta(hours=2))
    admin = member_of("Chief Editors", "admin")
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)

    page = client.get("/admin/").content.decode()

    assert "Background work has stopped" in page
    assert "Picture renditions (<code>renditions</code>): last succeeded 2\xa0hours ago" in page
    assert "<code>related</code>" not in page

    client.force_login(member_of("Chief Editors", "chief"))
    assert "Background work has stopped" not in client.get("/admin/").content.decode()

    run_jobs(clock=at(now))
    client.force_login(admin)
    assert "Background work has stopped" not in client.get("/admin/").content.decode()
