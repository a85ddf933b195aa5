"""The real `jeugdstem run` process, started the way a deployment starts it."""

from __future__ import annotations

import asyncio
import glob
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from tests.support.fake_bot_api import FakeBotApi
from tests.support.paths import REPO


def bot_environment(
    api: FakeBotApi, database_url: str, secret: str, **extra: str
) -> dict[str, str]:
    """Environment for the bot process: only what a deployment would set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV")
    }
    env.update(
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_API_URL=api.url,
        DATABASE_URL=database_url,
        JEUGDSTEM_SECRET=secret,
        JEUGDSTEM_CONFIG=str(REPO / "config.yml"),
        JEUGDSTEM_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def frozen_clock(at: datetime) -> dict[str, str]:
    """Environment that runs a process under libfaketime, its wall clock starting at ``at``.

    libfaketime is preloaded directly: the `faketime` command forks, so SIGTERM would
    stop the wrapper and leave the bot running. The monotonic clock stays real (asyncio's
    timers); Python's time.sleep fails under that setting, which the bot never calls.
    """
    libraries = sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))
    assert libraries, "libfaketime is missing: run bash scripts/ensure-faketime.sh"
    return {
        "LD_PRELOAD": libraries[0],
        "FAKETIME": at.astimezone(UTC).strftime("@%Y-%m-%d %H:%M:%S"),
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "TZ": "UTC",
    }


def webhook_url(port: int) -> str:
    """Where a webhook worker on this loopback port takes Telegram's POSTs."""
    return f"http://127.0.0.1:{port}/telegram"


def webhook_settings(port: int, secret_token: str) -> dict[str, str]:
    """The environment of a `jeugdstem run --webhook` worker on this port (for bot_environment)."""
    return {
        "JEUGDSTEM_WEBHOOK_URL": webhook_url(port),
        "JEUGDSTEM_WEBHOOK_SECRET": secret_token,
        "JEUGDSTEM_WEBHOOK_PORT": str(port),
    }


class BotProcess:
    """One `python -m cli run` subprocess; its stderr (the logs) goes to a file.

    ``module`` runs another bot the same way (benchmarks/startup.py's echo bot).
    """

    def __init__(
        self, env: dict[str, str], log_path: Path, *args: str, module: str = "cli"
    ) -> None:
        self.env = env
        self.log_path = log_path
        self.module = module
        self.args = args or (("run",) if module == "cli" else ())
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        log = self.log_path.open("ab")
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                self.module,
                *self.args,
                env=self.env,
                cwd=str(REPO),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        finally:
            log.close()

    async def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, as systemd or Ctrl-C would, and wait for a clean exit."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), timeout)

    async def kill(self) -> None:
        """SIGKILL: no chance to clean up."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


async def wait_for_port(port: int, timeout: float = 60.0) -> None:
    """Until something listens on 127.0.0.1:``port`` (a webhook worker that has started)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.1)
