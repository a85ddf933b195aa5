"""`jeugdstem feedback send THEME` as staff run it: the dry run, and every refusal.

Sending for real is in tests/bot/test_send_e2e.py, against the fake Bot API.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage import Database, OutboxMessage
from tests.support.audience import add_people, give_themes
from tests.support.cli import run_jeugdstem
from tests.support.paths import REPO

SHIPPED = (REPO / "feedback.yml").read_text(encoding="utf-8")
REAL = SHIPPED.replace("    example: true\n", "")  # as the network writes its own


def folder_with(tmp_path: Path, feedback: str) -> Path:
    """config.yml (copied) with this feedback.yml beside it; the config's path."""
    config = tmp_path / "config.yml"
    shutil.copy(REPO / "config.yml", config)
    (tmp_path / "feedback.yml").write_text(feedback, encoding="utf-8")
    return config


def queued(database: Database) -> int:
    with database.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


TOKEN = {"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_API_URL": "http://127.0.0.1:9"}


def test_the_dry_run_counts_who_raised_the_theme_and_previews(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    raised, other = add_people(database, [1, 2])
    give_themes(database, raised, ["transport"])
    give_themes(database, other, ["cost"])

    result = run_jeugdstem(
        database_url, "feedback", "send", "transport", config=folder_with(tmp_path, REAL)
    )

    assert result.returncode == 0, result.stderr
    assert "Feedback on transport (Vervoer & afstand): op de agenda" in result.stdout
    assert "Will receive it: 1" in result.stdout
    assert "Not meant for them (filters, sources or themes): 1" in result.stdout
    assert "[👍 Dit helpt]" in result.stdout and "[Ik wil er meer over zeggen]" in result.stdout
    assert queued(database) == 0


def test_a_malformed_file_names_line_and_key_and_sends_nothing(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    (person,) = add_people(database, [1])
    give_themes(database, person, ["transport"])
    broken = REAL.replace("    status: op de agenda\n", "    status: misschien\n")
    config = folder_with(tmp_path, broken)
    line = broken.splitlines().index("    status: misschien") + 1

    result = run_jeugdstem(
        database_url, "feedback", "send", "transport", "--yes", config=config, extra_env=TOKEN
    )

    assert result.returncode == 2
    assert f"{tmp_path / 'feedback.yml'}:{line}: themes.transport.status" in result.stderr
    assert "Traceback" not in result.stderr
    assert queued(database) == 0


@pytest.mark.parametrize(
    ("feedback", "args", "says"),
    [
        (SHIPPED, ["transport", "--yes"], "is a shipped example"),
        (REAL, ["time"], "has no feedback on 'time'"),
        (REAL, ["vervoer"], "unknown theme 'vervoer'"),
        (REAL, ["transport", "--yes"], "TELEGRAM_BOT_TOKEN is not set"),
    ],
)
def test_refusals_say_why_and_send_nothing(
    database_url: str, database: Database, tmp_path: Path, feedback: str, args: list[str], says: str
) -> None:
    token = {} if "TELEGRAM" in says else TOKEN
    result = run_jeugdstem(
        database_url,
        "feedback",
        "send",
        *args,
        config=folder_with(tmp_path, feedback),
        extra_env=token,
    )

    assert result.returncode == 2, (result.stdout, result.stderr)
    assert says in " ".join(result.stderr.split()), result.stderr
    assert queued(database) == 0
