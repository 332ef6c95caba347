"""The files in deploy/ are valid for the tools that read them."""

import configparser
import os
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from alwaght.background import RENDITIONS_SECONDS

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


class UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice (PyYAML keeps the last silently)."""


def _unique_mapping(loader, node, deep=False):
    keys = [key.value for key, _value in node.value if key.tag != "tag:yaml.org,2002:merge"]
    duplicates = {key for key in keys if keys.count(key) > 1}
    if duplicates:
        raise yaml.constructor.ConstructorError(None, None, f"duplicate keys {duplicates}")
    return loader.construct_mapping(node, deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


@pytest.mark.servers
def test_nginx_accepts_the_config(tmp_path):
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light); config not checked")
    result = subprocess.run(
        [NGINX, "-t", "-c", str(DEPLOY / "nginx.conf"), "-g", f"pid {tmp_path}/nginx.pid;"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_serves_uploads_as_inert_files_and_forwards_the_client_address():
    config = (DEPLOY / "nginx.conf").read_text()
    uploads = config[config.index("location /uploads/") :]
    uploads = uploads[: uploads.index("}")]
    assert "X-Content-Type-Options nosniff" in uploads
    assert "Content-Security-Policy \"default-src 'none'; sandbox\"" in uploads
    headers = (DEPLOY / "alwaght_proxy_headers.conf").read_text()
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in headers
    assert config.count("server 10.0.0.1") == 2  # two app servers upstream


def test_the_compose_file_describes_the_whole_stack():
    compose = yaml.load((DEPLOY / "compose.yaml").read_text(), Loader=UniqueKeyLoader)  # noqa: S506 - a SafeLoader

    services = compose["services"]
    assert {"nginx", "app1", "app2", "worker", "db-primary", "db-replica", "redis", "minio"} <= set(
        services
    )
    for name in ("app1", "app2"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].split("@")[1].startswith("db-primary:")
        assert environment["DATABASE_REPLICA_URLS"].split("@")[1].startswith("db-replica:")
        assert environment["DJANGO_MEDIA_STORAGE"] == "s3"
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert environment["DJANGO_TRUSTED_PROXIES"] == "1"
    # nginx.conf's upstream addresses are the app servers' fixed addresses here.
    config = (DEPLOY / "nginx.conf").read_text()
    for name in ("app1", "app2"):
        assert f"server {services[name]['networks']['backend']['ipv4_address']}:8000" in config
    assert "pg_basebackup" in services["db-replica"]["command"][0]
    # The background jobs run beside the app servers, with their settings.
    worker = services["worker"]
    assert worker["command"][2:4] == ["run_background", "--loop"]
    assert worker["environment"] == services["app1"]["environment"]
    assert "ports" not in worker


def test_gunicorn_takes_its_workers_from_the_cores(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})

    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    assert config["workers"] == 9
    assert config["timeout"] > 0 and config["max_requests"] > 0
    assert 0 < config["max_requests_jitter"] < config["max_requests"]


@pytest.mark.servers
def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed; units not checked")
    for unit in (DEPLOY / "systemd").iterdir():
        shutil.copy(unit, tmp_path / unit.name)
    template = (tmp_path / "alwaght-manage@.service").read_text()
    units = ["alwaght.service", "alwaght-worker.service"]
    units += ["alwaght-backup.service", "alwaght-backup.timer"]
    for timer in tmp_path.glob("alwaght-[!b]*.timer"):
        command = timer.read_text().split("Unit=alwaght-manage@", 1)[1].split(".service")[0]
        assert any(DEPLOY.parent.glob(f"*/management/commands/{command}.py")), command
        instance = f"alwaght-manage@{command}.service"
        (tmp_path / instance).write_text(template)
        units += [timer.name, instance]

    result = subprocess.run(
        [analyze, "verify", *units], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )

    # The only complaint allowed: the installed site is not on this machine.
    complaints = [
        line
        for line in result.stderr.splitlines()
        if line.strip() and "/srv/alwaght/.venv/bin/" not in line
    ]
    assert complaints == []


def unit_sections(name: str) -> dict[str, dict[str, str]]:
    """Return a unit file's sections and keys (no key is repeated in ours)."""
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return {section: dict(parser[section]) for section in parser.sections()}


def test_the_background_jobs_are_scheduled_every_minute_or_run_by_a_worker():
    timer = unit_sections("alwaght-run-background.timer")
    assert timer["Timer"]["OnCalendar"] == "*-*-* *:*:00"
    assert timer["Timer"]["Unit"] == "alwaght-manage@run_background.service"
    template = unit_sections("alwaght-manage@.service")["Service"]
    assert template["ExecStart"].endswith("manage.py %i")
    assert template["Type"] == "oneshot"  # a run still going is not started twice

    worker = unit_sections("alwaght-worker.service")["Service"]
    assert worker["ExecStart"].endswith("manage.py run_background --loop --every 60")
    assert worker["Restart"] == "always" and worker["KillSignal"] == "SIGTERM"
    # Stopping waits for the job at hand: longer than the renditions' time budget.
    assert int(worker["TimeoutStopSec"]) > RENDITIONS_SECONDS
    # The daily pruning is one of the jobs now, not a timer of its own.
    assert not (DEPLOY / "systemd" / "alwaght-prune-view-counts.timer").exists()


@pytest.mark.servers
def test_varnish_compiles_the_vcl(tmp_path):
    varnishd = shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None
    )
    if varnishd is None:
        pytest.skip("Varnish is not installed (apt-get install varnish); VCL not checked")
    result = subprocess.run(
        [
            varnishd,
            "-C",
            "-j",
            "none",
            "-f",
            str(DEPLOY / "varnish" / "default.vcl"),
            "-n",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
