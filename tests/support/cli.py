"""Run the real `jeugdstem` command the way a staff member's shell would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support.paths import REPO


@dataclass(frozen=True)
class Result:
    """What the command did."""

    returncode: int
    stdout: str
    stderr: str


def run_jeugdstem(
    database_url: str,
    *args: str,
    config: Path = REPO / "config.yml",
    cwd: Path = REPO,
    stdin: str = "",
    timeout: float = 300,
    extra_env: dict[str, str] | None = None,
) -> Result:
    """`python -m cli <args>` with only the settings a deployment would give it.

    ``extra_env``: further settings, such as TELEGRAM_BOT_TOKEN for a command that logs in.
    """
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "JEUGDSTEM_", "DATABASE_"))
    }
    environment.update(
        JEUGDSTEM_CONFIG=str(config),
        JEUGDSTEM_SECRET="cli-test-secret",
        DATABASE_URL=database_url,
        PYTHONIOENCODING="utf-8",
        COLUMNS="200",  # rich wraps error messages at the terminal width
    )
    environment.update(extra_env or {})
    completed = subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=str(cwd),
        env=environment,
        input=stdin.encode("utf-8"),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return Result(
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8"),
    )


def run_bot_beside(folder: Path, name: str, text: str) -> Result:
    """`jeugdstem run` on a copy of config.yml in ``folder`` with ``name`` (offers.yml,
    feedback.yml) beside it holding ``text``; for files that must stop the bot starting."""
    shutil.copy(REPO / "config.yml", folder / "config.yml")
    (folder / name).write_text(text, encoding="utf-8")
    return run_jeugdstem(
        f"sqlite:///{folder / 'j.db'}",
        "run",
        config=folder / "config.yml",
        cwd=folder,
        extra_env={"TELEGRAM_BOT_TOKEN": "123:not-used", "TELEGRAM_API_URL": "http://127.0.0.1:9"},
    )
