"""The findings' numbers: per participant, the themes that count, small cells suppressed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reports.findings.builder import SMALL_GROUPS, UNKNOWN, ReportScope, build_findings
from reports.findings.suppression import suppress_line
from storage import Database
from storage.repository import TranscriptFilter, transcript_rows
from survey.config import Survey
from tests.support.rows import record
from tests.support.seeding import DISTRESS_TEXT, seed_meeting


def _person(number: int) -> str:
    return f"{number:064x}"


@pytest.mark.parametrize(
    ("values", "hidden"),
    [
        ([20, 30, 40], []),
        ([20, 3, 40], [1, 0]),  # 3 alone could be worked out from the total: 20 goes too
        ([20, 3, 2, 40], [1, 2]),  # together 5: the total gives away only "5 between them"
        ([20, 0, 40], [1]),  # a hidden 0 tells nothing about anybody
        ([2, 2, 2], [0, 1, 2]),
    ],
)
def test_a_line_never_gives_a_hidden_count_away(values: list[int], hidden: list[int]) -> None:
    counts = suppress_line(values, 5)
    assert [i for i, c in enumerate(counts) if c.value is None] == sorted(hidden)
    visible = sum(c.value for c in counts if c.value is not None)
    worked_out = sum(values) - visible
    assert worked_out == 0 or worked_out >= 5


def test_a_talkative_participant_counts_once_and_staff_labels_win(survey: Survey) -> None:
    records = []
    answer_id = 0
    for number in range(8):
        for _ in range(6 if number == 0 else 1):  # participant 0 says "te duur" six times
            answer_id += 1
            records.append(record(_person(number), answer_id, "het is te duur", ("cost",)))
    # The classifier said cost, the young person transport, staff language: language counts.
    for number in range(8, 14):
        answer_id += 1
        records.append(
            record(
                _person(number),
                answer_id,
                "ik versta er niemand",
                ("cost",),
                confirmed=["transport"],
                staff=["language"],
            )
        )
    findings = build_findings(records, survey, ReportScope())
    by_theme = {t.theme: t.participants.value for t in findings.ranking}
    assert by_theme["cost"] == 8
    assert by_theme["language"] == 6
    assert by_theme["transport"] is None  # nobody: hidden, as every count under 5
    assert findings.headline.participants == 14
    assert findings.headline.answers == 19
    shown = [t.theme for t in findings.ranking if t.participants.value is not None]
    assert shown == ["cost", "language"]
    assert findings.ranking[0].share == pytest.approx(8 / 14)
    assert findings.trust.staff_labelled == 6
    assert findings.trust.staff_changed == 6
    assert findings.trust.overall is not None
    assert findings.trust.overall.recall == 0.0  # the classifier never said language


def test_small_groups_are_merged_and_their_cells_hidden(survey: Survey) -> None:
    records = []
    for number in range(20):
        lives = "heule" if number < 16 else ("kooigem" if number < 18 else "rollegem")
        records.append(record(_person(number), number + 1, "te duur", ("cost",), area=lives))
    findings = build_findings(records, survey, ReportScope())
    area = next(b for b in findings.breakdowns if b.dimension == "area")
    assert [g.key for g in area.groups] == ["heule", SMALL_GROUPS]
    assert area.merged == ("Kooigem", "Rollegem")
    heule, small = area.rows[0].counts
    # 4 in the small groups would be "20 minus heule": so heule is hidden too.
    assert small.value is None
    assert heule.value is None
    assert [g.participants.value for g in area.groups] == [None, None]


def test_distress_and_unknown_groups(survey: Survey) -> None:
    records = [
        record(_person(n), n + 1, "het lidgeld is echt veel te duur", ("cost",), age_band=None)
        for n in range(6)
    ]
    records.append(record(_person(6), 7, DISTRESS_TEXT, ("cost",), distress=True))
    findings = build_findings(records, survey, ReportScope())
    age = next(b for b in findings.breakdowns if b.dimension == "age_band")
    assert [g.key for g in age.groups] == ["16-18", UNKNOWN] or [g.key for g in age.groups] == [
        SMALL_GROUPS,
        UNKNOWN,
    ]
    quoted = [q.text for s in findings.stories for q in s.quotes]
    assert quoted and DISTRESS_TEXT not in quoted
    assert findings.trust.distress_answers.value is None  # 1: under 5


def test_over_time_needs_two_months(survey: Survey) -> None:
    october = datetime(2026, 10, 3, tzinfo=UTC)
    november = datetime(2026, 11, 3, tzinfo=UTC)
    one = [record(_person(n), n + 1, "te duur", ("cost",), moment=october) for n in range(6)]
    assert build_findings(one, survey, ReportScope()).over_time is None
    two = one + [
        record(_person(n), n + 1, "te duur", ("cost",), moment=november) for n in range(6, 12)
    ]
    over_time = build_findings(two, survey, ReportScope()).over_time
    assert over_time is not None
    assert [g.label for g in over_time.groups] == ["okt 2026", "nov 2026"]
    assert [c.value for c in over_time.rows[0].counts] == [6, 6]


def test_findings_from_the_database(database: Database, survey: Survey) -> None:
    planted = seed_meeting(database)
    with database.snapshot() as session:
        findings = build_findings(
            transcript_rows(session, TranscriptFilter()), survey, ReportScope()
        )
    assert findings.headline.participants == planted.participants == 40
    ranking = {t.theme: t.participants.value for t in findings.ranking}
    assert ranking["cost"] == 40  # participant 0 said it five times
    assert ranking["transport"] == 20
    assert ranking["space"] == 7  # 0-5, and 39: a distress answer still names its barrier
    area = next(b for b in findings.breakdowns if b.dimension == "area")
    assert [g.key for g in area.groups] == ["centrum", SMALL_GROUPS]
    assert area.merged == ("Kooigem",)
    for row in area.rows:
        assert row.counts[1].value is None  # Kooigem's 3
        assert row.counts[0].value is None or row.counts[0].value >= 5
    quoted = [q for s in findings.stories for q in s.quotes]
    assert planted.distress_answer_id not in {q.answer_id for q in quoted}
    pii = [q for q in quoted if q.answer_id in planted.pii_answer_ids]
    assert pii, "the space quotes come from the answers with contact details"
    assert all("[telefoon]" in q.text or "[e-mail]" in q.text for q in pii)
    assert findings.signals
    assert {q.answer_id for q in findings.signals[0].quotes} <= set(planted.library_answer_ids)
    assert "bibliotheek" in findings.signals[0].terms
    only_quindo = ReportScope(sources=("quindo",))
    with database.snapshot() as session:
        rows = transcript_rows(session, TranscriptFilter(sources=("quindo",)))
        assert build_findings(rows, survey, only_quindo).headline.participants == 16
