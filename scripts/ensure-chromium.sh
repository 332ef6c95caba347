#!/bin/sh
# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
# Install it, with Noto fonts for Arabic and Persian, when missing and we can.
set -eu
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        chromium fonts-noto-core >/dev/null
elif [ -n "${CI:-}" ]; then
    echo "CI needs /usr/bin/chromium for the browser tests, and cannot install it." >&2
    exit 1
else
    echo "Note: /usr/bin/chromium is missing; browser tests will be skipped." >&2
    echo "      Install it with: sudo apt-get install chromium fonts-noto-core" >&2
fi
