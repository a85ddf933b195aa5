"""`jeugdstem send ROUND` as staff run it: the dry run's counts and preview, and bad input.

The dry run sends nothing and needs no token; sending for real is in
tests/bot/test_send_e2e.py, against the fake Bot API.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from storage import Database, OutboxMessage, Participant
from tests.support.audience import add_people, give_themes
from tests.support.cli import run_jeugdstem
from tests.support.paths import REPO


def config_with(tmp_path: Path, **round_changes: object) -> Path:
    """The shipped config.yml with opvolging changed."""
    data = yaml.safe_load((REPO / "config.yml").read_text(encoding="utf-8"))
    data["rounds"][0].update(round_changes)
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def open_round(tmp_path: Path) -> Path:
    """config.yml with opvolging open whatever today's date (it closes 2027-06-30)."""
    return config_with(tmp_path, opens="2026-01-01", closes="2099-12-31")


def test_the_dry_run_counts_excludes_and_previews_without_sending(
    database_url: str, database: Database, open_round: Path
) -> None:
    add_people(database, range(1, 5))
    add_people(database, [5, 6], opted_in=False)
    add_people(database, [7], step="q:area", language="fr")
    (blocked,) = add_people(database, [8])
    with database.transaction() as session:
        session.get_one(Participant, blocked.id).unreachable = True

    result = run_jeugdstem(database_url, "send", "opvolging", config=open_round)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Will receive it: 5" in out
    assert "of whom 1 mid-survey" in out
    assert "opted out                     2" in out
    assert "unreachable                   1" in out
    assert "Languages: fr 1, nl 4" in out
    for text in ("Preview (nl):", "Preview (en):", "Preview (fr):", "[Doe mee]", "[Je participe]"):
        assert text in out
    assert "Dry run: nothing was sent" in out
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_filters_narrow_the_audience(
    database_url: str, database: Database, open_round: Path
) -> None:
    cost = add_people(database, [1, 2], source="bolwerk")
    add_people(database, [3], source="quindo")
    give_themes(database, cost[0], ["cost"])

    by_theme = run_jeugdstem(
        database_url, "send", "opvolging", "--theme", "cost", config=open_round
    )
    by_source = run_jeugdstem(
        database_url, "send", "opvolging", "--source", "bolwerk", config=open_round
    )

    assert "Will receive it: 1" in by_theme.stdout, by_theme.stdout
    assert "Not meant for them (filters, sources or themes): 2" in by_theme.stdout
    assert "Will receive it: 2" in by_source.stdout, by_source.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["send", "bestaat-niet"], "No round 'bestaat-niet' in config.yml"),
        (["send", "start"], "'start' is the first round, the survey itself"),
        (["send", "opvolging", "--spread", "zes uur"], "is not a duration"),
        (["send", "opvolging", "--age-band", "12"], "unknown 12"),
        (["send", "opvolging", "--yes"], "TELEGRAM_BOT_TOKEN is not set"),
    ],
)
def test_bad_input_gets_a_clear_message_and_exit_2(
    database_url: str, args: list[str], says: str
) -> None:
    result = run_jeugdstem(database_url, *args)

    assert result.returncode == 2, (result.stdout, result.stderr)
    assert says in " ".join(result.stderr.split()), result.stderr
    assert "Traceback" not in result.stderr


def test_a_closed_round_sends_nothing(database_url: str, tmp_path: Path) -> None:
    config = config_with(tmp_path, opens="2025-01-01", closes="2025-06-30")

    result = run_jeugdstem(
        database_url,
        "send",
        "opvolging",
        "--yes",
        config=config,
        extra_env={"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_API_URL": "http://127.0.0.1:9"},
    )

    assert result.returncode == 2
    assert "Round opvolging has closed" in result.stderr, result.stderr
