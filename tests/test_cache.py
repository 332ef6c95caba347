"""The shared cache works against the real Redis this machine kind runs, when asked."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import redis_test_url

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(
    not os.environ.get("CI") and not os.environ.get("ALWAGHT_TEST_REDIS"),
    reason="needs the Redis server at 127.0.0.1:6379 (CI has it)",
)
def test_redis_url_selects_the_shared_cache():
    script = (
        "import django; django.setup();"
        "from django.core.cache import cache;"
        "cache.set('alwaght-test', 41, 5); print(cache.incr('alwaght-test'));"
        "from django.core.cache import caches; print(type(caches['default']).__name__)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "REDIS_URL": redis_test_url(),
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["42", "FailSafeRedisCache"]
