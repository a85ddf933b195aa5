#!/usr/bin/env bash
# Remakes docs/poster-bolwerk.png, the README's picture of a partner's poster: the real
# `jeugdstem links` poster, screenshotted by headless Chromium at A4's size in CSS pixels
# (794 x 1123 = 210 x 297 mm at 96 dpi), then cut to a 64-colour palette to stay small.
#   bash scripts/poster-image.sh [BOT_USERNAME]   (default JeugdstemBot)
set -euo pipefail

cd "$(dirname "$0")/.."
bot="${1:-JeugdstemBot}"
image=docs/poster-bolwerk.png
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

.venv/bin/jeugdstem links -o "$scratch/kit" --bot "$bot" --source bolwerk --no-pdf > /dev/null
chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --user-data-dir="$scratch/profile" --window-size=794,1123 \
    --screenshot="$scratch/poster.png" "file://$scratch/kit/bolwerk/poster.html" \
    > /dev/null 2>&1
# A palette keeps text and the QR code sharp at a fraction of the size of full colour.
.venv/bin/python - "$scratch/poster.png" "$image" <<'PY'
import sys

from PIL import Image

with Image.open(sys.argv[1]) as shot:
    shot.convert("RGB").quantize(colors=64).save(sys.argv[2], optimize=True)
PY
echo "wrote $image ($(stat -c %s "$image") bytes)"
