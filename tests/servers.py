"""Helpers for tests that start real servers on this machine (127.0.0.1 only)."""

import os
import socket


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_test_url() -> str:
    """Return a URL to a Redis database of this test process's own, at 127.0.0.1:6379.

    Database 15 in a run of one process; under pytest-xdist worker gw0 has 15, gw1 14
    and so on, so one worker's purge never empties the keys another is reading.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return f"redis://127.0.0.1:6379/{15 - int(worker.removeprefix('gw'))}"
