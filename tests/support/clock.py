"""A frozen clock for the engine (``SurveyEngine(clock=...)``) that a test can move."""

from __future__ import annotations

from datetime import datetime


class Clock:
    """A frozen clock the test can move."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment
