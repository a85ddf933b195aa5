"""Per-participant flood control: someone sending very many messages is slowed down, not dropped.

Each participant's updates are handled one after another (bot/telegram/adapter.py's
update processor), so delaying one person's next update delays nobody else.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class _Window:
    arrivals: deque[float] = field(default_factory=deque)
    warned: bool = False


class FloodGuard:
    """More than ``limit`` messages within ``window`` seconds: pace to limit/window per second."""

    def __init__(self, limit: int = 20, window: float = 10.0) -> None:
        self.limit = limit
        self.window = window
        self._windows: dict[str, _Window] = {}
        self._last_sweep = time.monotonic()

    def admit(self, key: str, now: float | None = None) -> tuple[float, bool]:
        """(seconds to wait before handling this message, whether to warn them now)."""
        now = time.monotonic() if now is None else now
        self._sweep(now)
        state = self._windows.setdefault(key, _Window())
        arrivals = state.arrivals
        while arrivals and arrivals[0] <= now - self.window:
            arrivals.popleft()
        arrivals.append(now)
        if len(arrivals) <= self.limit:
            state.warned = False
            return 0.0, False
        warn = not state.warned
        state.warned = True
        return self.window / self.limit, warn

    def _sweep(self, now: float) -> None:
        """Forget people who went quiet, so memory stays flat under load."""
        if now - self._last_sweep < self.window:
            return
        self._last_sweep = now
        quiet = [
            k
            for k, s in self._windows.items()
            if not s.arrivals or s.arrivals[-1] < now - self.window
        ]
        for key in quiet:
            del self._windows[key]
