"""Limits and caches hold across worker processes, with no REDIS_URL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from comments.models import SendingAllowance
from comments.services import comment_ips_erase, rate_limit_hit
from tests.databases import database_url

BASE_DIR = Path(__file__).resolve().parents[2]

ATTEMPTS = """
import sys, django
django.setup()
from comments.services import rate_limit_hit
sys.stdin.readline()  # start together
print(sum(rate_limit_hit("198.51.100.7") is None for _ in range(5)))
"""


def start_worker(script):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
    }
    return subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_two_processes_together_get_five_comments_a_minute_not_ten(settings):
    workers = [start_worker(ATTEMPTS) for _ in range(2)]
    outputs = [worker.communicate("go\n", timeout=120) for worker in workers]

    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert sum(int(out) for out, _ in outputs) == 5


@pytest.mark.django_db
def test_the_limit_lets_five_through_then_refuses_with_the_wait(settings):
    settings.COMMENTS_RATE_LIMIT = (5, 60)

    results = [rate_limit_hit("203.0.113.5") for _ in range(7)]

    assert results[:5] == [None] * 5
    assert all(11 <= wait <= 13 for wait in results[5:])  # one more every 60/5 seconds
    assert rate_limit_hit("203.0.113.6") is None  # another address has its own allowance


@pytest.mark.django_db
def test_allowances_that_are_full_again_are_forgotten_with_the_addresses():
    rate_limit_hit("203.0.113.5")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE comments_sendingallowance SET full_at = now() - interval '1 hour'")

    comment_ips_erase()

    assert not SendingAllowance.objects.exists()


def test_the_default_cache_without_redis_is_shared_by_the_machines_processes():
    assert "REDIS_URL" not in os.environ
    assert settings.CACHES["default"]["BACKEND"] == "web.sqlite_cache.SQLiteCache"
    writer = start_worker(
        "import django; django.setup()\n"
        "from django.core.cache import cache\n"
        "cache.set('shared-probe', 'from another process', 60)\n"
    )
    writer.communicate(timeout=60)
    from django.core.cache import cache

    assert writer.returncode == 0
    assert cache.get("shared-probe") == "from another process"
