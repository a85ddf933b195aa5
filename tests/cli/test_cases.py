"""`jeugdstem cases`: handover counts from the database, run as the real command."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import yaml
from sqlalchemy import update

from storage import Case, Database, cases
from storage import state as turn_state
from storage.models import CaseReason, utcnow
from tests.support.cli import run_jeugdstem
from tests.support.paths import REPO


def seed(database: Database) -> None:
    """Three cases: an alarm answered after 12 minutes, a request never answered, a concern."""
    with database.transaction() as session:
        ids = []
        for number, reason in enumerate((CaseReason.ALARM, CaseReason.REQUEST, CaseReason.CONCERN)):
            person = turn_state.create_participant(session, f"pseudonym-{number}", "nl", None)
            case = cases.open_case(
                session,
                person.id,
                reason,
                [],
                age_band=None,
                source=None,
                out_of_hours=number == 1,
            )
            ids.append(case.id)
        opened = utcnow() - timedelta(hours=1)
        session.execute(update(Case).values(opened_at=opened))
        session.execute(
            update(Case)
            .where(Case.id == ids[0])
            .values(first_answer_at=opened + timedelta(minutes=12))
        )


def test_cases_counts_without_words(database_url: str, database: Database) -> None:
    seed(database)
    result = run_jeugdstem(database_url, "cases", "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["total"] == 3
    assert figures["by_reason"] == {"alarm": 1, "concern": 1, "request": 1}
    assert figures["out_of_hours"] == 1
    assert figures["answered"] == 1
    assert figures["median_minutes_to_answer"] == 12


def test_cases_prints_a_table_and_copes_with_none(database_url: str) -> None:
    result = run_jeugdstem(database_url, "cases")
    assert result.returncode == 0, result.stderr
    assert "Cases: 0" in result.stdout
    assert "Mediaan tot het eerste antwoord: -" in result.stdout


def test_the_findings_report_counts_cases_when_workers_are_configured(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    seed(database)
    data = yaml.safe_load((REPO / "config.yml").read_text(encoding="utf-8"))
    data["handover"]["workers"] = [{"telegram_id": 9001, "name": "Sara, Bolwerk"}]
    config = tmp_path / "config.yml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    output = tmp_path / "report.md"

    result = run_jeugdstem(
        database_url, "report", "--format", "md", "-o", str(output), config=config
    )

    assert result.returncode == 0, result.stderr
    report = output.read_text(encoding="utf-8")
    assert "### Gesprekken met een jeugdwerker" in report
    # Three cases: fewer than report.min_cell, so no number and no median either.
    assert "< 5 keer vroeg een jongere" in report
    assert "eerste antwoord van een jeugdwerker: niet getoond" in report
