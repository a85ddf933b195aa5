"""The report's "Wat gebeurde er met jullie stem" and rounds compared: counts, suppression.

Records are built by hand (tests/support/rows.py), so each count is known.
"""

from __future__ import annotations

from collections import Counter

from reports.findings.builder import Findings, FindingsBuilder, ReportScope
from reports.findings.render import ReportRenderer
from storage.models import Reaction
from storage.repository import TranscriptRecord
from survey.config import ReportSettings, Survey
from survey.feedback import FeedbackFile
from tests.support.rows import record

FEEDBACK = FeedbackFile.model_validate(
    {
        "themes": {
            "transport": {
                "status": "gedaan",
                "partner": "De Stroate",
                "message": dict.fromkeys(("nl", "en", "fr"), "Er rijdt een avondbus."),
            },
            "cost": {
                "status": "op de agenda",
                "message": dict.fromkeys(("nl", "en", "fr"), "Het lidgeld wordt besproken."),
                "example": True,
            },
        }
    }
)


def people(
    count: int, first: int, themes: tuple[str, ...], round_id: str
) -> list[TranscriptRecord]:
    """One barrier answer each, in the given round (opvolging asks what-changed)."""
    question = "holds-back" if round_id == "start" else "what-changed"
    return [
        record(
            f"{first + n:064x}", first + n, "tekst", themes, question=question, round_id=round_id
        )
        for n in range(count)
    ]


def findings(survey: Survey, records: list[TranscriptRecord], min_round: int = 20) -> Findings:
    report = survey.report.model_copy(update={"min_round": min_round})
    tuned = survey.model_copy(update={"report": ReportSettings.model_validate(report.model_dump())})
    builder = FindingsBuilder(tuned, ReportScope())
    builder.read(sorted(records, key=lambda r: (r.pseudonym, r.answer_id)))
    builder.read_feedback(
        FEEDBACK,
        {"transport:done": 12, "cost:on-the-agenda": 30},
        {("transport", "done"): Counter({Reaction.HELPS: 7, Reaction.DOES_NOT_HELP: 2})},
    )
    return builder.findings()


def test_feedback_rows_leave_examples_out_and_hide_small_counts(survey: Survey) -> None:
    voice = findings(survey, people(6, 0, ("cost",), "start")).voice

    assert voice is not None and voice.examples_left
    [row] = voice.rows  # cost is an example
    assert (row.theme, row.status, row.partner) == ("Vervoer & afstand", "gedaan", "De Stroate")
    assert row.reached.value == 12 and row.helps.value == 7
    assert row.does_not_help.suppressed and row.said_more.suppressed  # 2 and 0: under 5


def test_rounds_compared_with_the_change_where_both_are_big_enough(survey: Survey) -> None:
    first = people(30, 0, ("transport",), "start") + people(10, 100, ("cost",), "start")
    # 25 of the first round took opvolging too: 10 still name transport.
    follow_up = people(10, 0, ("transport",), "opvolging") + people(15, 10, (), "opvolging")

    rounds = findings(survey, first + follow_up).rounds

    assert rounds is not None and rounds.change_shown
    assert [c.participants.value for c in rounds.rounds] == [40, 25]
    transport = next(row for row in rounds.rows if row.label == "Vervoer & afstand")
    assert transport.shares == (0.75, 0.4)
    assert transport.change is not None and round(transport.change, 2) == -0.35
    cost = next(row for row in rounds.rows if row.label == "Kostprijs")
    assert cost.shares == (0.25, None)  # nobody named it in opvolging: 0 is under 5, hidden


def test_no_change_between_rounds_too_small(survey: Survey) -> None:
    records = people(30, 0, ("transport",), "start") + people(8, 0, ("transport",), "opvolging")

    rounds = findings(survey, records).rounds

    assert rounds is not None and not rounds.change_shown
    assert all(row.change is None for row in rounds.rows)


def test_one_round_has_no_comparison(survey: Survey) -> None:
    assert findings(survey, people(30, 0, ("transport",), "start")).rounds is None


def test_both_sections_render_numbered_in_html_and_markdown(survey: Survey) -> None:
    first = people(30, 0, ("transport",), "start")
    follow_up = people(25, 0, ("transport",), "opvolging")
    renderer = ReportRenderer(findings(survey, first + follow_up))

    html, markdown = renderer.html(), renderer.markdown()

    assert '<section id="voice"' in html and '<section id="rounds"' in html
    assert "Er rijdt een avondbus. (De Stroate)" in html
    assert '<td class="share">-0 pp</td>' not in html
    assert html.index('id="voice"') < html.index('id="rounds"') < html.index('id="trust"')
    assert "## 8. Wat gebeurde er met jullie stem?" in markdown  # no offers: voice is 8
    assert "## 9. Rondes vergeleken" in markdown
    assert "## 10. " in markdown
    assert "| Vervoer & afstand | 100% | 100% | 0 pp |" in markdown
