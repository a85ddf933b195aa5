"""The one interface every NLU backend implements: text in, themes and scores out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


def certainty(scores: Mapping[str, float]) -> float:
    """How sure a set of theme scores is, from 0 (not at all) to 1.

    Either doubt counts: a low best score (no theme fits) or a second theme
    close behind the best (two fit equally). Staff labelling the least certain
    answers first fix the most per label (``jeugdstem export --order uncertain``).
    """
    ranked = sorted(scores.values(), reverse=True)
    if not ranked:
        return 0.0
    best = ranked[0]
    second = ranked[1] if len(ranked) > 1 else 0.0
    return min(best, best - second)


@dataclass(frozen=True)
class Prediction:
    """Themes for one answer, most likely first, with a score for every configured theme."""

    themes: tuple[str, ...]
    scores: dict[str, float]
    model_version: str

    @property
    def best_score(self) -> float:
        """The highest score of any theme (0 when there are none)."""
        return max(self.scores.values(), default=0.0)

    @property
    def certainty(self) -> float:
        """How sure the prediction is (:func:`certainty`)."""
        return certainty(self.scores)

    def ranked(self) -> list[str]:
        """Every theme, highest score first (ties in configured order)."""
        order = {theme: index for index, theme in enumerate(self.scores)}
        return sorted(self.scores, key=lambda t: (-self.scores[t], order[t]))


class Classifier(Protocol):
    """An in-process backend (the built-in classifier, the keyword baseline)."""

    version: str

    def predict(self, text: str) -> Prediction:
        """Classify one answer."""
        ...


class NluUnavailable(Exception):
    """The backend cannot answer now (server down, no model); classify the answer later."""


class ThemeService(Protocol):
    """What the bot talks to; it never knows which backend is behind it."""

    @property
    def version(self) -> str:
        """The model version stored with every prediction."""
        ...

    async def classify(self, text: str) -> Prediction:
        """Classify one answer; raises NluUnavailable when the backend cannot answer."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
