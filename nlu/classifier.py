"""The one interface every NLU backend implements: text in, themes and scores out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Prediction:
    """Themes for one answer, most likely first, with a score for every configured theme."""

    themes: tuple[str, ...]
    scores: dict[str, float]
    model_version: str


class Classifier(Protocol):
    """What the bot needs from a backend; it never knows which one it talks to."""

    version: str

    def predict(self, text: str) -> Prediction:
        """Classify one answer."""
        ...
