#!/usr/bin/env bash
# Installs what `npm run up` and `npm test` need and is missing: npm dependencies, and
# nats-server from Debian's package when it is not on PATH and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "keyward: installing npm dependencies"
  npm install --no-audit --no-fund
fi

PATH="$PATH:/usr/sbin:/usr/local/sbin"
if ! command -v nats-server >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "keyward: installing nats-server from Debian's package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nats-server >/dev/null
  else
    echo "keyward: nats-server is not on PATH; install it (Debian: apt-get install nats-server) or run as root" >&2
    exit 1
  fi
fi
