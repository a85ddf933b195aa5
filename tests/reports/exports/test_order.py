"""`jeugdstem export --order uncertain`: the answers to label first come first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from nlu.classifier import certainty
from reports.exports.transcripts import uncertain_first
from storage import Answer, Database, Participation
from tests.support.cli import run_jeugdstem
from tests.support.rows import make_row
from tests.support.seeding import Seeded, seed_answers


def test_certainty_is_low_when_no_theme_fits_or_two_fit_equally() -> None:
    assert certainty({"cost": 0.9, "time": 0.1}) == pytest.approx(0.8)
    assert certainty({"cost": 0.15, "time": 0.0}) == pytest.approx(0.15)  # nothing fits
    assert certainty({"cost": 0.62, "time": 0.6}) == pytest.approx(0.02)  # two fit
    assert certainty({"cost": 0.7}) == pytest.approx(0.7)
    assert certainty({}) == 0.0


def test_unlabelled_answers_come_first_least_certain_first() -> None:
    sure = make_row("p1", 1, answer="te duur", predicted=("cost",))._replace(certainty=0.9)
    torn = make_row("p1", 2, answer="ver en duur", predicted=("cost",))._replace(certainty=0.05)
    lost = make_row("p2", 3, answer="mwa")._replace(certainty=0.2)
    button = make_row("p2", 4, button="16-18")  # never classified
    labelled = make_row("p3", 5, answer="x", staff=("time",))._replace(certainty=0.01)
    confirmed = make_row("p3", 6, answer="y", confirmed=("time",))._replace(certainty=0.01)
    rows = [sure, torn, lost, button, labelled, confirmed]
    ordered = uncertain_first(rows)
    assert [row.answer_id for row in ordered] == [2, 3, 1, 4, 5, 6]


@pytest.fixture
def seeded(database: Database) -> Seeded:
    seeded = seed_answers(database)
    # Three unlabelled predictions of known certainty, on the first participation.
    with database.transaction() as session:
        participation = session.scalars(select(Participation).order_by(Participation.id)).first()
        assert participation is not None
        for label, scores in {
            "sure": {"cost": 0.95, "time": 0.02},
            "torn": {"social": 0.51, "belonging": 0.49},
            "lost": {"interest": 0.12, "other": 0.03},
        }.items():
            answer = Answer(
                participation_id=participation.id,
                created_at=participation.started_at.replace(minute=40 + len(seeded.answer_ids)),
                question_id="holds-back",
                text=f"antwoord {label}",
                themes=[t for t, s in scores.items() if s >= 0.35],
                theme_scores=scores,
                model_version="builtin-test",
            )
            session.add(answer)
            session.flush()
            seeded.answer_ids[label] = answer.id
    return seeded


def export_ids(database_url: str, path: Path, *args: str) -> list[int]:
    result = run_jeugdstem(database_url, "export", "-f", "jsonl", "-o", str(path), *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line)["answer_id"] for line in path.read_text("utf-8").splitlines()]


def test_the_uncertain_export_puts_the_answers_to_label_first(
    database_url: str, seeded: Seeded, tmp_path: Path
) -> None:
    a = seeded.answer_ids
    conversation = export_ids(database_url, tmp_path / "all.jsonl")
    uncertain = export_ids(database_url, tmp_path / "label.jsonl", "--order", "uncertain")
    assert uncertain[:3] == [a["torn"], a["lost"], a["sure"]]
    # Same answers, nothing lost or doubled; the rest keep the conversation order.
    assert sorted(uncertain) == sorted(conversation)
    rest = [i for i in conversation if i not in {a["torn"], a["lost"], a["sure"]}]
    assert uncertain[3:] == rest


def test_the_uncertain_order_is_refused_for_the_html_pages(
    database_url: str, seeded: Seeded, tmp_path: Path
) -> None:
    result = run_jeugdstem(
        database_url, "export", "-f", "html", "-o", str(tmp_path / "pages"), "--order", "uncertain"
    )
    assert result.returncode == 2
    assert "use csv, xlsx or jsonl" in result.stderr
    assert not (tmp_path / "pages").exists()


def test_the_participants_summary_does_not_depend_on_the_row_order() -> None:
    from reports.exports.transcripts import ParticipantSummary

    rows = [
        make_row("p1", 1, answer="a", area="heule")._replace(age_band="", language="fr"),
        make_row("p1", 2, answer="b", area="")._replace(age_band="16-18", language="nl"),
        make_row("p1", 3, answer="c", area="bissegem")._replace(language="en"),
    ]
    summaries = []
    for order in (rows, rows[::-1], [rows[1], rows[2], rows[0]]):
        summary = ParticipantSummary("p1")
        for row in order:
            summary.add(row)
        summaries.append(summary)
    first = summaries[0]
    assert (first.first_answer, first.last_answer) == (rows[0].answered_at, rows[2].answered_at)
    assert (first.language, first.area, first.age_band) == ("en", "bissegem", "16-18")
    assert all(summary == first for summary in summaries[1:])
