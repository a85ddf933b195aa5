"""Handover figures (reports/cases.py): counts by reason, wait to a first answer, in-shift share."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reports.cases import case_figures
from storage.cases import CaseTimes
from survey.config import HandoverSettings, Survey

# Kortrijk is UTC+1 in December; the shipped hours: Mon–Fri 09–21, Sat 13–18.
TUESDAY_10 = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
TUESDAY_2050 = datetime(2026, 12, 8, 19, 50, tzinfo=UTC)
SATURDAY_23 = datetime(2026, 12, 12, 22, 0, tzinfo=UTC)
MONDAY_0915 = datetime(2026, 12, 14, 8, 15, tzinfo=UTC)


def times(
    reason: str, opened: datetime, answered: datetime | None, *, out: bool = False
) -> CaseTimes:
    return CaseTimes(reason, out, opened, answered)


def test_waits_and_shifts_on_the_shipped_hours(survey: Survey) -> None:
    figures = case_figures(
        [
            # Answered after 30 minutes, in the same shift.
            times("request", TUESDAY_10, TUESDAY_10 + timedelta(minutes=30)),
            # Opened ten minutes before the shift ends, answered 40 minutes later: too late.
            times("alarm", TUESDAY_2050, TUESDAY_2050 + timedelta(minutes=40)),
            # Opened on Saturday night, answered in Monday's first shift: in time.
            times("alarm", SATURDAY_23, MONDAY_0915, out=True),
            # Never answered.
            times("concern", TUESDAY_10, None),
        ],
        survey.handover,
    )
    assert figures.total == 4
    assert figures.by_reason == {"alarm": 2, "concern": 1, "request": 1}
    assert figures.out_of_hours == 1
    assert figures.answered == 3
    # 30, 40 and 34 h 15 min: the median is the middle one.
    assert figures.median_minutes_to_answer == 40
    assert figures.answered_within_shift == 2
    assert figures.share_within_shift == 0.5


def test_always_staffed_counts_an_answer_within_a_day() -> None:
    always = HandoverSettings()
    figures = case_figures(
        [
            times("request", TUESDAY_10, TUESDAY_10 + timedelta(hours=23)),
            times("request", TUESDAY_10, TUESDAY_10 + timedelta(hours=25)),
        ],
        always,
    )
    assert figures.answered_within_shift == 1
    assert figures.median_minutes_to_answer == 24 * 60


def test_no_cases_gives_no_figures_rather_than_zero_division(survey: Survey) -> None:
    figures = case_figures([], survey.handover)
    assert figures.total == 0 and figures.median_minutes_to_answer is None
    assert figures.share_within_shift is None
    assert figures.by_reason == {"alarm": 0, "concern": 0, "request": 0}


def test_naive_sqlite_times_are_read_as_utc(survey: Survey) -> None:
    naive = TUESDAY_2050.replace(tzinfo=None)
    figures = case_figures([times("alarm", naive, naive + timedelta(minutes=5))], survey.handover)
    assert figures.answered_within_shift == 1 and figures.median_minutes_to_answer == 5
