"""Memory freed at start-up goes back to the system (bot/memory.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.memory import release_freed_memory


def _resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc, trims glibc")
def test_freed_heap_pages_are_returned() -> None:
    # Blocks of 1 KB come from malloc's heap; one block allocated after them keeps the
    # heap from shrinking by itself when they are freed, as a model's loading leaves it.
    blocks = [bytes(1024) for _ in range(60_000)]
    pin = bytes(1024)
    del blocks
    before = _resident_mb()
    release_freed_memory()
    after = _resident_mb()
    assert before - after > 30, (before, after)
    assert len(pin) == 1024
