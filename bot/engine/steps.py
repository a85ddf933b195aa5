"""Where a participant is in the conversation, and the order of the steps.

A step is stored in ``conversations.step`` as text: ``q:<question id>`` (asking
a question), ``check:<question id>`` (Klopt dat?), ``pick:<question id>`` (tick
the themes that fit), ``opt_in`` and ``done``. :class:`Step` reads and writes
exactly those strings, so stored conversations carry on across versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from survey.config import Question, Survey


class StepKind(StrEnum):
    """What a step does; the value is how it is stored (before ``:<question id>``)."""

    QUESTION = "q"
    CHECK = "check"
    PICK = "pick"
    OPT_IN = "opt_in"
    DONE = "done"


_ABOUT_A_QUESTION = frozenset({StepKind.QUESTION, StepKind.CHECK, StepKind.PICK})


@dataclass(frozen=True)
class Step:
    """One step: its kind and, for a question or its themes, the question's id."""

    kind: StepKind
    question_id: str | None = None

    def __post_init__(self) -> None:
        if (self.question_id is not None) != (self.kind in _ABOUT_A_QUESTION):
            raise ValueError(f"only q, check and pick steps name a question, not {self.kind}")

    @classmethod
    def parse(cls, stored: str) -> Step | None:
        """The step a stored string names, or None for one this version does not know."""
        kind, separator, question_id = stored.partition(":")
        if not separator:
            return cls(StepKind(stored)) if stored in (StepKind.OPT_IN, StepKind.DONE) else None
        if kind not in _ABOUT_A_QUESTION:
            return None
        return cls(StepKind(kind), question_id)

    def __str__(self) -> str:
        """The stored form."""
        if self.question_id is None:
            return self.kind.value
        return f"{self.kind.value}:{self.question_id}"


class Route:
    """The order of the steps: the questions as configured, then the opt-in."""

    def __init__(self, survey: Survey) -> None:
        self.questions = survey.questions
        self._index = {question.id: index for index, question in enumerate(survey.questions)}

    def first(self) -> Step:
        """The step a new participation starts at."""
        return Step(StepKind.QUESTION, self.questions[0].id)

    def after(self, question: Question) -> Step:
        """The step after a question (and after confirming its themes)."""
        index = self._index[question.id] + 1
        if index < len(self.questions):
            return Step(StepKind.QUESTION, self.questions[index].id)
        return Step(StepKind.OPT_IN)

    def number(self, question: Question) -> int:
        """A question's place in the survey, from 1."""
        return self._index[question.id] + 1
