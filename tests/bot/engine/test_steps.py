"""Steps: read and written exactly as conversations.step stores them, in survey order."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.engine import DONE, OPT_IN
from bot.engine.steps import Route, Step, StepKind
from survey.config import Survey

# Every form the engine has ever written to conversations.step.
STORED = [
    ("q:age", Step(StepKind.QUESTION, "age")),
    ("check:holds-back", Step(StepKind.CHECK, "holds-back")),
    ("pick:holds-back", Step(StepKind.PICK, "holds-back")),
    ("opt_in", Step(StepKind.OPT_IN)),
    ("done", Step(StepKind.DONE)),
]


@pytest.mark.parametrize(("stored", "step"), STORED)
def test_stored_steps_read_and_write_the_same_string(stored: str, step: Step) -> None:
    assert Step.parse(stored) == step
    assert str(step) == stored


@pytest.mark.parametrize("stored", ["", "consent", "q", "check", "opt_in:age", "x:age", "Q:age"])
def test_a_step_this_version_does_not_know_reads_as_none(stored: str) -> None:
    assert Step.parse(stored) is None


@given(st.text(max_size=40) | st.sampled_from([s for s, _ in STORED]).map(lambda s: s + "x"))
def test_whatever_parses_is_written_back_unchanged(stored: str) -> None:
    step = Step.parse(stored)
    assert step is None or str(step) == stored


def test_only_steps_about_a_question_name_one() -> None:
    with pytest.raises(ValueError, match="name a question"):
        Step(StepKind.OPT_IN, "age")
    with pytest.raises(ValueError, match="name a question"):
        Step(StepKind.QUESTION)


def test_the_exported_last_steps_equal_their_stored_form() -> None:
    assert OPT_IN == "opt_in"
    assert DONE == "done"
    assert {"opt_in", "done"} == {OPT_IN, DONE}


def test_the_route_runs_through_the_questions_in_order_then_the_opt_in(survey: Survey) -> None:
    route = Route(survey)
    questions = survey.questions
    assert route.first() == Step(StepKind.QUESTION, questions[0].id)
    for number, (question, following) in enumerate(itertools.pairwise(questions), start=1):
        assert route.number(question) == number
        assert route.after(question) == Step(StepKind.QUESTION, following.id)
    assert route.number(questions[-1]) == len(questions)
    assert route.after(questions[-1]) == Step(StepKind.OPT_IN)
