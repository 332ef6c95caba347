"""The desk's System page: for superusers only, saying what the metrics say."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from alwaght.background import run_jobs
from alwaght.models import JobStatus
from tests.desk.test_desk import member_of
from tests.factories import make_article, make_photo

pytestmark = pytest.mark.django_db

URL = "/admin/system/"


def superuser():
    admin = member_of("Chief Editors", "admin")
    admin.is_superuser = True
    admin.save()
    return admin


def test_the_address_is_named_for_the_authorization_table():
    assert reverse("admin:system") == URL


@pytest.mark.parametrize("role", ["Editors", "Chief Editors", "Moderators"])
def test_only_superusers_see_it(client, role):
    client.force_login(member_of(role, "someone"))

    assert client.get(URL).status_code == 403
    assert reverse("admin:system") not in client.get("/admin/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_it_shows_jobs_caches_storage_backup_replicas_versions(client, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    (tmp_path / "alwaght-20261205T023000Z.backup.tar").write_bytes(b"x" * 2048)
    make_photo()
    make_article()
    now = datetime.now(tz=UTC)
    run_jobs(clock=lambda: now)
    JobStatus.objects.filter(name="renditions").update(
        status="failed", detail="OSError: disk full", succeeded_at=now - timedelta(hours=1)
    )
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_VERSION_MEMO_SECONDS = 0
    for _ in range(3):  # stored from its second ask, served from the cache the third
        client.get("/en/")
    client.force_login(superuser())

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Background jobs" in page and "<code>most_viewed</code>" in page
    assert "failed: OSError: disk full" in page and "stale: last succeeded 1\xa0hour ago" in page
    ratios = response.context["hit_ratios"]
    assert ratios["pages"]["hits"] >= 1 and ratios["pages"]["total"] >= 3  # first asks count
    assert response.context["media"]["photos"] == 1 and response.context["media"]["photo_bytes"] > 0
    assert response.context["media"]["folder_bytes"] > 0
    assert "2.0\xa0KB" in page and "alwaght-20261205T023000Z.backup.tar" in page
    assert "none: every read goes to the primary" in page
    assert response.context["pending_migrations"] == []
    assert [name for name, _version in response.context["versions"]] == [
        "alwaght",
        "Python",
        "Django",
        "PostgreSQL",
    ]
    assert "no-cache" in response["Cache-Control"]
    assert reverse("admin:system") in client.get("/admin/").content.decode()  # linked


def test_replica_lag_is_shown(client, monkeypatch):
    from alwaght import site_state

    monkeypatch.setattr(site_state, "replica_lags", lambda: {"replica_1": 3.24, "replica_2": None})
    client.force_login(superuser())

    page = client.get(URL).content.decode()

    assert "<code>replica_1</code></th><td>3.2 s behind" in page
    assert "lag unknown (down, or not measured)" in page
