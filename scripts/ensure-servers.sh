#!/bin/sh
# Tests of the deploy files run nginx (`nginx -t` on deploy/nginx.conf, the
# scale-out run) and Varnish (surrogate-key purges). Install them from Debian
# when missing and we can; without them those tests skip with a message.
set -eu
missing=""
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
command -v varnishd >/dev/null 2>&1 || [ -x /usr/sbin/varnishd ] || missing="$missing varnish"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's$missing for the deploy tests..."
    apt-get update -qq
    # Only the binaries are wanted: the packages' own services stay stopped.
    made_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
        made_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing \
        >/dev/null || status=$?
    [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
    exit "${status:-0}"
elif [ -n "${CI:-}" ]; then
    echo "Note: CI has no$missing and cannot install it; those tests will be skipped." >&2
else
    echo "Note:$missing missing; the deploy tests that need it will be skipped." >&2
    echo "      Install with: sudo apt-get install$missing" >&2
fi
