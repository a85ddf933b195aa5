#!/usr/bin/env bash
# The report's browser test (tests/reports/test_report_browser.py) and `jeugdstem report
# --pdf` start headless Chromium; this makes sure the `chromium` binary exists.
set -euo pipefail

if command -v chromium > /dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "Chromium is missing. Install it (sudo apt-get install chromium) to run the report's" >&2
    echo "browser test and \`jeugdstem report --pdf\`." >&2
    exit 1
fi
echo "Installing Chromium (Debian package chromium)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core > /dev/null
