"""Settings come from the environment; production settings pass `check --deploy`."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from alwaght.env import env_float, env_int

BASE_DIR = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") or key == "DJANGO_VAR_DIR"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="alwaght.settings", DJANGO_ENV_FILE="no-such-file", **env
    )
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


def test_env_file_sets_defaults_that_the_environment_overrides(tmp_path):
    env_file = BASE_DIR / "var" / "test-env-file"
    env_file.parent.mkdir(exist_ok=True)
    env_file.write_text("# development\nDJANGO_DEBUG=1\nDJANGO_TIME_ZONE='Asia/Tehran'\n")
    try:
        script = "from django.conf import settings; print(settings.DEBUG, settings.TIME_ZONE)"
        from_file = run_shell(script, DJANGO_ENV_FILE="var/test-env-file")
        overridden = run_shell(script, DJANGO_ENV_FILE="var/test-env-file", DJANGO_TIME_ZONE="UTC")
    finally:
        env_file.unlink()

    assert from_file.stdout.split() == ["True", "Asia/Tehran"], from_file.stderr
    assert overridden.stdout.split() == ["True", "UTC"], overridden.stderr


def run_shell(script, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(DJANGO_SETTINGS_MODULE="alwaght.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _configuration_table() -> set[str]:
    page = (BASE_DIR / "docs" / "configuration.md").read_text()
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_the_configuration_table_lists_every_variable_the_settings_read_and_no_other():
    source = (BASE_DIR / "alwaght" / "settings.py").read_text()
    read = set(re.findall(r"[\"']((?:ALWAGHT|DJANGO|SENTRY)_[A-Z0-9_]+)[\"']", source))
    documented = {
        name
        for name in _configuration_table()
        if name.startswith(("ALWAGHT_", "DJANGO_", "SENTRY_"))
    }

    assert len(read) > 30  # the pattern finds the reads (env_int("ALWAGHT_..."), os.environ...)
    assert sorted(read - documented) == [], "read by settings.py, not in docs/configuration.md"
    assert sorted(documented - read) == [], "in docs/configuration.md, not read by settings.py"


def test_numbers_from_the_environment_are_checked_by_name(monkeypatch):
    monkeypatch.setenv("ALWAGHT_EXAMPLE", "twenty")
    with pytest.raises(ImproperlyConfigured, match="ALWAGHT_EXAMPLE must be a whole number"):
        env_int("ALWAGHT_EXAMPLE", 20)

    monkeypatch.setenv("ALWAGHT_EXAMPLE", " 7 ")
    assert env_int("ALWAGHT_EXAMPLE", 20) == 7
    monkeypatch.setenv("ALWAGHT_EXAMPLE", "")
    assert env_int("ALWAGHT_EXAMPLE", 20) == 20
    monkeypatch.setenv("ALWAGHT_EXAMPLE", "0.25")
    assert env_float("ALWAGHT_EXAMPLE", 1.0) == 0.25


def test_the_number_of_search_candidates_is_the_newsrooms_choice_within_bounds():
    chosen = run_shell(
        "from articles.search import CANDIDATE_LIMIT; print(CANDIDATE_LIMIT)",
        DJANGO_DEBUG="1",
        ALWAGHT_SEARCH_CANDIDATES="100",
    )
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.strip() == "100"

    too_few = run_shell("", DJANGO_DEBUG="1", ALWAGHT_SEARCH_CANDIDATES="10")
    assert too_few.returncode != 0
    assert "ALWAGHT_SEARCH_CANDIDATES must be between 20 and 1000" in too_few.stderr
