"""Settings come from the environment; production settings pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") or key == "DJANGO_VAR_DIR"
    }
    environment.update(DJANGO_SETTINGS_MODULE="alwaght.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="a-long-random-production-key-" + "k8Qz1xV7pL2mN9rT4wY6bC3dF5gH0jS",
        DJANGO_ALLOWED_HOSTS="news.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_runs_with_nothing_set():
    result = run_manage("check", DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr
