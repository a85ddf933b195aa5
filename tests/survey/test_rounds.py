"""Rounds in config.yml: open dates, sources, deep-link codes and quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from survey.clock import LOCAL_TIME
from survey.config import QuietHours, StartCode, Survey


def kortrijk(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=LOCAL_TIME)


def test_the_shipped_config_has_the_first_round_and_opvolging(survey: Survey) -> None:
    assert list(survey.round_questions()) == ["start", "opvolging"]
    follow_up = survey.round("opvolging")
    assert follow_up is not None
    assert [q.id for q in follow_up.questions] == ["better-now", "what-changed"]
    assert [q.type for q in follow_up.questions] == ["single_choice", "open"]
    assert survey.question("what-changed") is follow_up.questions[1]
    assert survey.round("start") is None  # the first round is the survey itself


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (date(2026, 11, 30), False),
        (date(2026, 12, 1), True),
        (date(2027, 6, 30), True),
        (date(2027, 7, 1), False),
    ],
)
def test_a_round_is_open_from_its_first_to_its_last_day(
    survey: Survey, day: date, open_: bool
) -> None:
    follow_up = survey.round("opvolging")
    assert follow_up is not None
    assert follow_up.open_on(day) is open_


def test_a_round_for_some_sources_only(survey: Survey) -> None:
    follow_up = survey.round("opvolging")
    assert follow_up is not None
    assert follow_up.for_source(None) and follow_up.for_source("quindo")
    only_bolwerk = follow_up.model_copy(update={"sources": ("bolwerk",)})
    assert only_bolwerk.for_source("bolwerk")
    assert not only_bolwerk.for_source("quindo")
    assert not only_bolwerk.for_source(None)


@pytest.mark.parametrize(
    ("code", "parts"),
    [
        (None, (None, None)),
        ("", (None, None)),
        ("quindo", ("quindo", None)),
        ("stad-kortrijk", ("stad-kortrijk", None)),
        ("quindo__opvolging", ("quindo", "opvolging")),
        ("__opvolging", (None, "opvolging")),
    ],
)
def test_start_codes_split_into_source_and_round(
    code: str | None, parts: tuple[str | None, str | None]
) -> None:
    parsed = StartCode.parse(code)
    assert (parsed.source, parsed.round_id) == parts
    if code:
        assert str(parsed) == code  # and back


def test_the_longest_start_code_fits_telegram() -> None:
    code = str(StartCode("s" * 24, "r" * 24))
    assert len(code) <= 64


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (kortrijk(7, 20, 59), False),
        (kortrijk(7, 21, 0), True),
        (kortrijk(7, 23, 30), True),
        (kortrijk(8, 3, 0), True),
        (kortrijk(8, 7, 59), True),
        (kortrijk(8, 8, 0), False),
        (kortrijk(8, 12, 0), False),
    ],
)
def test_quiet_hours_run_overnight_on_kortrijk_time(moment: datetime, quiet: bool) -> None:
    assert QuietHours().holds(moment) is quiet
    assert QuietHours().holds(moment.astimezone(UTC)) is quiet


@pytest.mark.parametrize(
    ("moment", "over"),
    [
        (kortrijk(7, 22, 15), kortrijk(8, 8, 0)),  # the evening: next morning
        (kortrijk(8, 2, 0), kortrijk(8, 8, 0)),  # after midnight: this morning
        (kortrijk(8, 9, 0), kortrijk(8, 9, 0)),  # not quiet: at once
    ],
)
def test_held_messages_go_when_the_quiet_hours_end(moment: datetime, over: datetime) -> None:
    assert QuietHours().over_at(moment.astimezone(UTC)) == over


def test_quiet_hours_within_one_day() -> None:
    lunch = QuietHours(start="12:00", end="13:00")
    assert lunch.holds(kortrijk(7, 12, 30))
    assert not lunch.holds(kortrijk(7, 13, 0))
    assert lunch.over_at(kortrijk(7, 12, 30)) == kortrijk(7, 13, 0)
