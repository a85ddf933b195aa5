"""Where a participant is in the conversation, and the order of the steps.

A step is stored in ``conversations.step`` as text: ``q:<question id>`` (asking
a question), ``check:<question id>`` (Klopt dat?), ``pick:<question id>`` (tick
the themes that fit), ``opt_in``, ``done`` and ``more:<theme id>`` (their own
words on the network's feedback about a theme). :class:`Step` reads and writes
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
    # "Ik wil er meer over zeggen" under feedback: the next text is about that theme.
    SAY_MORE = "more"


_ABOUT_A_QUESTION = frozenset({StepKind.QUESTION, StepKind.CHECK, StepKind.PICK})


@dataclass(frozen=True)
class Step:
    """One step: its kind and, for a question or its themes, the question's id.

    A SAY_MORE step names the barrier theme instead.
    """

    kind: StepKind
    question_id: str | None = None
    theme: str | None = None

    def __post_init__(self) -> None:
        if (self.question_id is not None) != (self.kind in _ABOUT_A_QUESTION):
            raise ValueError(f"only q, check and pick steps name a question, not {self.kind}")
        if (self.theme is not None) != (self.kind is StepKind.SAY_MORE):
            raise ValueError(f"only a more step names a theme, not {self.kind}")

    @classmethod
    def parse(cls, stored: str) -> Step | None:
        """The step a stored string names, or None for one this version does not know."""
        kind, separator, question_id = stored.partition(":")
        if not separator:
            return cls(StepKind(stored)) if stored in (StepKind.OPT_IN, StepKind.DONE) else None
        if kind == StepKind.SAY_MORE:
            return cls(StepKind.SAY_MORE, theme=question_id)
        if kind not in _ABOUT_A_QUESTION:
            return None
        return cls(StepKind(kind), question_id)

    def __str__(self) -> str:
        """The stored form."""
        named = self.question_id or self.theme
        if named is None:
            return self.kind.value
        return f"{self.kind.value}:{named}"


class Route:
    """The order of the steps in every round: its questions as configured, then the opt-in.

    Question ids are unique across rounds, so a question knows its round.
    """

    def __init__(self, survey: Survey) -> None:
        self.first_round = survey.first_round.id
        self._rounds = survey.round_questions()
        # question id -> (its round's questions, its index there)
        self._place = {
            question.id: (questions, index)
            for questions in self._rounds.values()
            for index, question in enumerate(questions)
        }

    def first(self, round_id: str | None = None) -> Step:
        """The step a new participation in this round (the first round by default) starts at."""
        questions = self._rounds[round_id or self.first_round]
        return Step(StepKind.QUESTION, questions[0].id)

    def after(self, question: Question) -> Step:
        """The step after a question (and after confirming its themes)."""
        questions, index = self._place[question.id]
        if index + 1 < len(questions):
            return Step(StepKind.QUESTION, questions[index + 1].id)
        return Step(StepKind.OPT_IN)

    def number(self, question: Question) -> int:
        """A question's place in its round, from 1."""
        return self._place[question.id][1] + 1

    def total(self, question: Question) -> int:
        """How many questions the question's round has."""
        return len(self._place[question.id][0])
