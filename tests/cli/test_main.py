"""`jeugdstem` refuses bad settings with a clear message and the right exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.paths import REPO
from tests.support.postgres import free_port


def jeugdstem(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "JEUGDSTEM_", "DATABASE_"))
    }
    environment.update(JEUGDSTEM_CONFIG=str(REPO / "config.yml"), JEUGDSTEM_SECRET="s", **env)
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=tmp_path,
        env=environment,
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_an_invalid_environment_variable_is_named(tmp_path: Path) -> None:
    result = jeugdstem(tmp_path, "chat", JEUGDSTEM_WEBHOOK_PORT="eighty")
    assert result.returncode == 2
    assert "JEUGDSTEM_WEBHOOK_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_is_explained_without_its_password(tmp_path: Path) -> None:
    url = f"postgresql://jeugdstem:hunter2@127.0.0.1:{free_port()}/jeugdstem"
    result = jeugdstem(tmp_path, "chat", DATABASE_URL=url)
    assert result.returncode == 1
    assert "Cannot open the database" in result.stderr
    assert "hunter2" not in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unsupported_database_is_refused(tmp_path: Path) -> None:
    result = jeugdstem(tmp_path, "chat", DATABASE_URL="mysql://localhost/jeugdstem")
    assert result.returncode == 2
    assert "sqlite and postgresql only" in result.stderr
