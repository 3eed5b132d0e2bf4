#!/usr/bin/env bash
# Installs what `npm run up` and `npm test` need and is missing: npm dependencies; nats-server
# from Debian's package when it is not on PATH and we are root; and, for `npm test` only,
# Debian's docker-compose (it validates deploy/compose.yaml without a Docker engine), nginx
# (test/forward-auth.e2e-spec.ts puts a real nginx `auth_request` in front of the gateway) and
# Chromium (test/console.e2e-spec.ts drives the web console in it through playwright-core).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "keyward: installing npm dependencies"
  npm install --no-audit --no-fund
fi

PATH="$PATH:/usr/sbin:/usr/local/sbin"
apt_updated=no
can_apt() { [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; }
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ "$apt_updated" = no ]; then apt-get update -qq; apt_updated=yes; fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! command -v nats-server >/dev/null 2>&1; then
  if can_apt; then
    echo "keyward: installing nats-server from Debian's package"
    apt_install nats-server
  else
    echo "keyward: nats-server is not on PATH; install it (Debian: apt-get install nats-server) or run as root" >&2
    exit 1
  fi
fi

if [ "${1:-}" = "--for-tests" ] && ! command -v docker-compose >/dev/null 2>&1 && can_apt; then
  echo "keyward: installing docker-compose from Debian's package (validates deploy/)"
  apt_install docker-compose || echo "keyward: docker-compose unavailable; deploy/ is checked by parsing only" >&2
fi

if [ "${1:-}" = "--for-tests" ] && ! command -v nginx >/dev/null 2>&1 && can_apt; then
  echo "keyward: installing nginx from Debian's package (forward-auth tests)"
  apt_install nginx || echo "keyward: nginx unavailable; the forward-auth e2e test will skip" >&2
fi

if [ "${1:-}" = "--for-tests" ] && [ ! -x /usr/bin/chromium ] && can_apt; then
  echo "keyward: installing chromium from Debian's package (web console tests)"
  apt_install chromium || echo "keyward: chromium unavailable; the console e2e test will skip" >&2
fi
