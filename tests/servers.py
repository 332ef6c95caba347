"""Helpers for tests that start real servers on this machine (127.0.0.1 only)."""

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager


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


@contextmanager
def serving(command: list[str], url: str, name: str) -> Iterator[str]:
    """Start `command`, wait until `url`/robots.txt answers, yield `url`; stop it after.

    A server that exits first fails the test with what it printed on stderr.
    """
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(url + "/robots.txt", timeout=2).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, f"{name} did not start"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()
