"""Where the repository and its shipped config.yml are, for tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "config.yml"
