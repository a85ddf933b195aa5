#!/usr/bin/env bash
# The tests start their own PostgreSQL server; this makes sure its binaries exist.
set -euo pipefail

if [ -n "${JEUGDSTEM_TEST_POSTGRES_URL:-}" ]; then
    exit 0  # the tests use that server instead
fi
if compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || command -v initdb > /dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL server binaries are missing. Install them (sudo apt-get install postgresql)" >&2
    echo "or set JEUGDSTEM_TEST_POSTGRES_URL to a server the tests may create databases on." >&2
    exit 1
fi
echo "Installing PostgreSQL server binaries (Debian package postgresql)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql > /dev/null
# The Debian package starts a cluster of its own; the tests do not use it.
(command -v pg_ctlcluster > /dev/null && pg_ctlcluster --force 15 main stop 2> /dev/null) || true
