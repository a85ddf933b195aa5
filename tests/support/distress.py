"""A distress check that answers from a script: the engine's two tiers, deterministically.

The real detector (nlu.distress) is measured on its own, blind set first
(benchmarks/distress.py); the engine tests need to know which tier a message gets.
"""

from __future__ import annotations

from nlu.risk import Distress, DistressLevel, RiskKind


class ScriptedDistress:
    """Says what it was told for a text, and no distress for any other."""

    def __init__(self) -> None:
        self.script: dict[str, Distress] = {}

    def says(
        self, text: str, level: DistressLevel, *kinds: RiskKind, language: str | None = None
    ) -> None:
        self.script[text] = Distress(level, kinds, language=language, by_patterns=True)

    def detect(self, text: str) -> Distress:
        return self.script.get(text, Distress())
