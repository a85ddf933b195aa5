"""A theme backend that answers from a script: a test double, named as such."""

from __future__ import annotations

import asyncio

from nlu.classifier import NluUnavailable, Prediction
from survey.config import Survey

SCRIPTED_VERSION = "scripted-test-double"


class ScriptedThemes:
    """A theme backend that answers from a script: the engine's branches, deterministically."""

    version = SCRIPTED_VERSION

    def __init__(self, survey: Survey) -> None:
        self.theme_ids = survey.theme_ids
        self.script: dict[str, dict[str, float] | Exception | float] = {}
        self.threshold = 0.3

    def says(self, text: str, **scores: float) -> None:
        self.script[text] = scores

    def fails(self, text: str) -> None:
        self.script[text] = NluUnavailable("down for the test")

    def hangs(self, text: str, seconds: float) -> None:
        self.script[text] = seconds

    async def classify(self, text: str) -> Prediction:
        planned = self.script.get(text, {})
        if isinstance(planned, Exception):
            raise planned
        if isinstance(planned, float):
            await asyncio.sleep(planned)
            planned = {}
        scores = {theme: planned.get(theme, 0.0) for theme in self.theme_ids}
        themes = tuple(
            sorted((t for t, s in scores.items() if s >= self.threshold), key=lambda t: -scores[t])
        )
        return Prediction(themes, scores, SCRIPTED_VERSION)

    async def aclose(self) -> None:
        pass
