"""Handover figures for `jeugdstem cases` and the findings report: counts, never words.

How many young people talked to a youth worker and why, how long they waited
for a first answer, and how many got one within the shift in which they asked
(for a case opened out of hours: within the next shift).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from storage.cases import CaseTimes
from storage.models import CaseReason
from survey.clock import local
from survey.config import HandoverSettings

# Without staff hours there is no shift: "in time" then means within a day.
ALWAYS_STAFFED_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class CaseFigures:
    """What the network learns about handovers."""

    total: int
    by_reason: dict[str, int]
    out_of_hours: int
    answered: int
    # Minutes from the young person's "Ja, graag" to a worker's first answer.
    median_minutes_to_answer: float | None
    answered_within_shift: int

    @property
    def share_within_shift(self) -> float | None:
        """Of all cases, the share a worker answered within the shift (None without cases)."""
        return self.answered_within_shift / self.total if self.total else None


def case_figures(times: list[CaseTimes], handover: HandoverSettings) -> CaseFigures:
    """Count the cases by reason and measure the first answers."""
    by_reason = Counter(case.reason for case in times)
    waits: list[float] = []
    in_time = 0
    for case in times:
        if case.first_answer_at is None:
            continue
        # local() also reads SQLite's naive datetimes as the UTC they were stored in.
        opened, answered = local(case.opened_at), local(case.first_answer_at)
        waits.append((answered - opened).total_seconds() / 60)
        deadline = handover.shift_end(opened) or opened + ALWAYS_STAFFED_WINDOW
        if answered <= deadline:
            in_time += 1
    return CaseFigures(
        total=len(times),
        by_reason={reason.value: by_reason.get(reason.value, 0) for reason in CaseReason},
        out_of_hours=sum(case.out_of_hours for case in times),
        answered=len(waits),
        median_minutes_to_answer=statistics.median(waits) if waits else None,
        answered_within_shift=in_time,
    )
