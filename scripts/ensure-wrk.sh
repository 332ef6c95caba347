#!/bin/sh
# `make bench` drives the server with wrk (Debian package). Install it when missing
# and we can; otherwise scripts/bench.py falls back to its own Python load generator.
set -eu
if command -v wrk >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's wrk for the benchmark..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null \
        || echo "Note: could not install wrk; using the Python load generator." >&2
else
    echo "Note: wrk is missing; using the Python load generator (apt-get install wrk)." >&2
fi
