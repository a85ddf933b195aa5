#!/usr/bin/env bash
# The end-to-end test of helplines by opening hours (tests/bot/test_safeguarding_e2e.py)
# runs the real bot process at a chosen hour under libfaketime; this makes sure the
# `faketime` wrapper exists.
set -euo pipefail

if command -v faketime > /dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "faketime is missing. Install it (sudo apt-get install faketime) to run the" >&2
    echo "helplines-by-the-hour end-to-end test." >&2
    exit 1
fi
echo "Installing faketime (Debian package faketime)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends faketime > /dev/null
