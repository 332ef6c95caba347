"""A backup restores into a fresh database: same rows, same uploads, search works; it is
private, holds no sessions, and a restore checks the whole file before touching anything."""

import hashlib
import io
import json
import os
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tests.databases import database_url
from tests.factories import make_article, make_comment, make_photo, make_topic
from web.backups import BackupError, backup_restore, read_manifest, row_counts

BASE_DIR = Path(__file__).resolve().parents[2]
SEARCH = (
    "import django; django.setup()\n"
    "from articles.search import search_articles\n"
    "page = search_articles('harbour cranes', language='en', page=1, per_page=10)\n"
    "print('|'.join(article.title for article in page.results))\n"
)


def fresh_database_url(name):
    return database_url(connection.settings_dict, name)


@pytest.fixture
def fresh_database():
    """Create an empty database beside the test database; drop it afterwards."""
    name = connection.settings_dict["NAME"] + "_restore"
    maintenance = fresh_database_url("postgres")
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(script_or_args, database, media_root):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": fresh_database_url(database),
        "DJANGO_MEDIA_ROOT": str(media_root),
    }
    args = ["-c", script_or_args] if isinstance(script_or_args, str) else script_or_args
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database(tmp_path, media_root, fresh_database):
    photo = make_photo(title="Cranes")
    article = make_article(title="Harbour cranes arrive", tags=["port"], photo=photo)
    article.topics.add(make_topic())
    make_comment(article=article, status="approved")
    make_article(title="Budget vote delayed")
    expected_counts = row_counts()
    here = run(SEARCH, connection.settings_dict["NAME"], media_root)

    call_command("backup", to=str(tmp_path / "backups"))
    [backup] = (tmp_path / "backups").glob("*.backup.tar")
    restored_media = tmp_path / "restored-media"
    restore = run(["manage.py", "restore", str(backup)], fresh_database, restored_media)
    there = run(SEARCH, fresh_database, restored_media)

    manifest = read_manifest(backup)
    assert manifest["row_counts"] == expected_counts
    assert expected_counts["articles_article"] == 2
    assert set(manifest["files"]) == {"database.dump", "media.tar"}
    assert restore.returncode == 0, restore.stderr
    assert "counts match the manifest" in restore.stdout
    assert here.stdout == there.stdout == "Harbour cranes arrive\n", (here.stderr, there.stderr)
    original = Path(media_root) / photo.image.name
    assert (restored_media / photo.image.name).read_bytes() == original.read_bytes()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_in_use_and_a_damaged_file(tmp_path, fresh_database):
    backup = backup_of_an_article(tmp_path)

    with pytest.raises(BackupError, match="not empty"):
        backup_restore(path=backup)

    damaged = tmp_path / "damaged.tar"
    with tarfile.open(backup) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "database.dump":
                data = data[:-10] + b"0" * 10
            target.addfile(member, io.BytesIO(data))
    refused = run(["manage.py", "restore", str(damaged)], fresh_database, tmp_path / "media")

    assert refused.returncode != 0
    assert "database.dump in" in refused.stderr and "is damaged" in refused.stderr


# --- Private files, what a backup holds, and a restore that fails whole -------------


# A replacing restore whose last statement fails: everything before it (the drop,
# the whole dump) must be rolled back with it.
FAIL_AT_THE_END = (
    "import sys, django; django.setup()\n"
    "from pathlib import Path\n"
    "from web import backups\n"
    "backups._forget_excluded_rows = lambda: 'SELECT 1/0;'\n"
    "backups.backup_restore(path=Path(sys.argv[1]), replace=True)\n"
)


def rewrite(source, target, change):
    """Copy backup `source` to `target`, passing each part's (TarInfo, bytes) through `change`."""
    with tarfile.open(source) as original, tarfile.open(target, "w") as copy:
        for member in original.getmembers():
            for info, data in change(member, original.extractfile(member).read()):
                info.size = len(data)
                copy.addfile(info, io.BytesIO(data))


def with_uploads(entries):
    """Return a media.tar holding `entries`: (TarInfo, bytes) pairs."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for info, data in entries:
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def replacing_uploads(media):
    """Return a change for rewrite(): media.tar becomes `media`, the manifest agrees."""

    def change(member, data):
        if member.name == "media.tar":
            return [(member, media)]
        if member.name == "manifest.json":
            manifest = json.loads(data)
            manifest["files"]["media.tar"] = {
                "sha256": hashlib.sha256(media).hexdigest(),
                "bytes": len(media),
            }
            return [(member, json.dumps(manifest).encode())]
        return [(member, data)]

    return change


def backup_of_an_article(folder, **article):
    """Write an article, back the database up into `folder`; return the backup's path."""
    make_article(**article)
    call_command("backup", to=str(folder))
    [backup] = folder.glob("*.backup.tar")
    return backup


def restored_then_changed(folder, database, title):
    """Back an article up, restore it into `database`, retitle it there; return paths."""
    backup = backup_of_an_article(folder, title="In the backup")
    media = folder / "media"
    assert run(["manage.py", "restore", str(backup)], database, media).returncode == 0
    with psycopg.connect(fresh_database_url(database)) as conn:
        conn.execute("UPDATE articles_article SET title = %s", [title])
    return backup, media


def tables_in(database):
    with psycopg.connect(fresh_database_url(database)) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_readable_by_its_owner_only(tmp_path):
    """Issue 20 M5: backups were created world-readable (0644)."""
    previous = os.umask(0o022)
    try:
        call_command("backup", to=str(tmp_path / "backups"))
    finally:
        os.umask(previous)

    [backup] = (tmp_path / "backups").glob("*.backup.tar")
    assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


@pytest.mark.django_db(transaction=True)
def test_a_folder_others_can_enter_is_refused_and_the_default_one_tightened(tmp_path, settings):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    settings.VAR_DIR = tmp_path / "var"
    (tmp_path / "var" / "backups").mkdir(parents=True)
    (tmp_path / "var" / "backups").chmod(0o755)  # as an older version left it

    with pytest.raises(CommandError, match="Other users can look into"):
        call_command("backup", to=str(shared))
    call_command("backup")

    assert list(shared.iterdir()) == []
    assert stat.S_IMODE((tmp_path / "var" / "backups").stat().st_mode) == 0o700
    assert len(list((tmp_path / "var" / "backups").glob("*.backup.tar"))) == 1


@pytest.mark.django_db(transaction=True)
def test_sessions_and_sign_in_locks_are_left_out(client, tmp_path, fresh_database):
    from axes.models import AccessAttempt

    client.force_login(get_user_model().objects.create_user("ed", password="x" * 20))
    AccessAttempt.objects.create(
        username="ed", ip_address="198.51.100.1", user_agent="test", failures_since_start=9,
        attempt_time=timezone.now(), get_data="", post_data="", http_accept="", path_info="/",
    )  # fmt: skip
    call_command("backup", to=str(tmp_path))
    [backup] = tmp_path.glob("*.backup.tar")

    restore = run(["manage.py", "restore", str(backup)], fresh_database, tmp_path / "media")

    assert restore.returncode == 0, restore.stderr
    manifest = read_manifest(backup)
    assert manifest["excluded_table_data"] == [
        "django_session", "axes_accessattemptexpiration", "axes_accessattempt",
    ]  # fmt: skip
    assert manifest["row_counts"]["django_session"] == 0
    with psycopg.connect(fresh_database_url(fresh_database)) as conn:
        count = conn.execute
        assert count("SELECT count(*) FROM django_session").fetchone() == (0,)
        assert count("SELECT count(*) FROM axes_accessattempt").fetchone() == (0,)
        assert count("SELECT count(*) FROM auth_user").fetchone() == (1,)


@pytest.mark.django_db(transaction=True)
def test_an_older_backup_with_sessions_is_restored_without_them(
    client, tmp_path, fresh_database, monkeypatch
):
    client.force_login(get_user_model().objects.create_user("ed", password="x" * 20))
    monkeypatch.setattr("web.backups.EXCLUDED_DATA", ())  # as format 1 made them
    call_command("backup", to=str(tmp_path))
    monkeypatch.undo()
    [backup] = tmp_path.glob("*.backup.tar")

    restore = run(["manage.py", "restore", str(backup)], fresh_database, tmp_path / "media")

    assert restore.returncode == 0, restore.stderr
    with psycopg.connect(fresh_database_url(fresh_database)) as conn:
        assert conn.execute("SELECT count(*) FROM django_session").fetchone() == (0,)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        (
            [(tarfile.TarInfo("photos/ok.jpg"), b"1"), (tarfile.TarInfo("../../etc/evil"), b"2")],
            "not a name under the uploads",
        ),
        (
            [(tarfile.TarInfo("photos/ok.jpg"), b"1"), (tarfile.TarInfo("/etc/evil"), b"2")],
            "not a name under the uploads",
        ),
        ([(tarfile.TarInfo("photos/a\x0bb.jpg"), b"1")], "not a name under the uploads"),
        (
            [(tarfile.TarInfo("photos/ok.jpg"), b"1"), (tarfile.TarInfo("photos/ok.jpg"), b"2")],
            "the same name twice",
        ),
    ],
    ids=["dot-dot", "absolute", "control-character", "twice"],
)
def test_a_bad_upload_refuses_the_restore_before_the_database_is_touched(
    tmp_path, fresh_database, entries, reason
):
    """Issue 20 L7: names were checked only after pg_restore had committed."""
    backup = backup_of_an_article(tmp_path)
    bad = tmp_path / "bad.tar"
    rewrite(backup, bad, replacing_uploads(with_uploads(entries)))

    refused = run(["manage.py", "restore", str(bad)], fresh_database, tmp_path / "media")

    assert refused.returncode != 0
    assert reason in refused.stderr
    assert tables_in(fresh_database) == 0
    assert not (tmp_path / "media").exists()


@pytest.mark.django_db(transaction=True)
def test_links_in_the_uploads_refuse_the_restore(tmp_path, fresh_database):
    backup = backup_of_an_article(tmp_path)
    link = tarfile.TarInfo("photos/link.jpg")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    bad = tmp_path / "bad.tar"
    rewrite(backup, bad, replacing_uploads(with_uploads([(link, b"")])))

    refused = run(["manage.py", "restore", str(bad)], fresh_database, tmp_path / "media")

    assert "links and devices are not uploads" in refused.stderr
    assert tables_in(fresh_database) == 0


@pytest.mark.django_db(transaction=True)
def test_an_archive_with_other_parts_or_a_changed_manifest_is_refused(tmp_path, fresh_database):
    backup = backup_of_an_article(tmp_path)
    extra, lying = tmp_path / "extra.tar", tmp_path / "lying.tar"

    def add_a_part(member, data):
        if member.name != "media.tar":
            return [(member, data)]
        return [(member, data), (tarfile.TarInfo("run-me.sh"), b"#!/bin/sh\n")]

    def swap_the_uploads(member, data):
        other = with_uploads([(tarfile.TarInfo("photos/swapped.jpg"), b"not the backup's")])
        return [(member, other if member.name == "media.tar" else data)]

    rewrite(backup, extra, add_a_part)
    rewrite(backup, lying, swap_the_uploads)

    for path, reason in [(extra, "nothing else"), (lying, "media.tar in")]:
        refused = run(["manage.py", "restore", str(path)], fresh_database, tmp_path / "media")
        assert refused.returncode != 0 and reason in refused.stderr, refused.stderr
    assert tables_in(fresh_database) == 0


@pytest.mark.django_db(transaction=True)
def test_replace_restores_over_a_database_in_use_only_when_told(tmp_path, fresh_database):
    backup, media = restored_then_changed(tmp_path, fresh_database, "Written after the backup")
    with psycopg.connect(fresh_database_url(fresh_database)) as conn:
        conn.execute("CREATE TABLE added_later (id int)")

    refused = run(["manage.py", "restore", str(backup)], fresh_database, media)
    replaced = run(["manage.py", "restore", "--replace", str(backup)], fresh_database, media)

    assert refused.returncode != 0 and "--replace" in refused.stderr
    assert replaced.returncode == 0, replaced.stderr
    assert "counts match the manifest" in replaced.stdout
    with psycopg.connect(fresh_database_url(fresh_database)) as conn:
        assert conn.execute("SELECT title FROM articles_article").fetchall() == [("In the backup",)]
        assert conn.execute("SELECT to_regclass('added_later')").fetchone() == (None,)


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_fails_leaves_the_database_as_it_was(tmp_path, fresh_database):
    backup, media = restored_then_changed(tmp_path, fresh_database, "Live text")

    failed = run(["-c", FAIL_AT_THE_END, str(backup)], fresh_database, media)

    assert failed.returncode != 0
    assert "rolled back" in failed.stderr
    with psycopg.connect(fresh_database_url(fresh_database)) as conn:
        assert conn.execute("SELECT title FROM articles_article").fetchall() == [("Live text",)]
