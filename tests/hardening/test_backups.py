"""A backup restores into a fresh database: same rows, same uploads, search works."""

import io
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

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
    make_article()
    call_command("backup", to=str(tmp_path))
    [backup] = tmp_path.glob("*.backup.tar")

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
