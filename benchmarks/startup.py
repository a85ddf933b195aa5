"""How long `jeugdstem run` takes to start, beside a bare python-telegram-bot echo bot.

    python -m benchmarks.startup [--runs 5]

Each bot is started as a deployment starts it (a new process, SQLite, the fake
Bot API on this machine, saved models already in place), and timed from the
moment the process is spawned to its first ``getMe`` and to its first
``getUpdates`` (when it can serve young people). The baseline is
benchmarks/echo_bot.py, started the same way in the same run: this machine is
shared, so the ratio is the figure to compare. Prints the median of --runs.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from pathlib import Path

from tests.support.bot_process import BotProcess, bot_environment
from tests.support.fake_bot_api import FakeBotApi
from tests.support.models import shared_models

TIMEOUT = 120.0


async def _first_call(api: FakeBotApi, method: str, since: float) -> float:
    """Seconds from ``since`` (monotonic) until the bot first called ``method``."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        for attempt in api.attempts:
            if attempt.method == method:
                return attempt.at - since
        await asyncio.sleep(0.005)
    raise TimeoutError(f"no {method} within {TIMEOUT:.0f} s")


async def start_once(workdir: Path, module: str) -> tuple[float, float]:
    """One start of ``python -m module``: seconds to its first getMe and getUpdates."""
    api = FakeBotApi()
    await api.start()
    env = bot_environment(
        api,
        f"sqlite:///{workdir / 'startup.db'}",
        "startup-secret",
        JEUGDSTEM_LOG_LEVEL="WARNING",
    )
    bot = BotProcess(env, workdir / "bot.log", module=module)
    await bot.start()
    spawned = time.monotonic()
    try:
        return await _first_call(api, "getMe", spawned), await _first_call(
            api, "getUpdates", spawned
        )
    finally:
        await bot.stop()
        await api.stop()


async def run(runs: int) -> None:
    # A bot stopped mid-poll leaves the fake server a request it cannot finish; that is
    # expected here, not an error worth a traceback in the log.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    workdir = Path(tempfile.mkdtemp(prefix="jeugdstem-startup-"))
    jeugdstem, echo = "cli", "benchmarks.echo_bot"
    shared_models()  # trained beforehand, as after a deployment's first start
    # A first start creates the database: not what a restart costs, so it is not counted.
    await start_once(workdir, jeugdstem)
    times: dict[str, list[tuple[float, float]]] = {"jeugdstem run": [], "echo bot": []}
    for _ in range(runs):  # interleaved, so both see the same machine
        times["jeugdstem run"].append(await start_once(workdir, jeugdstem))
        times["echo bot"].append(await start_once(workdir, echo))
    medians = {
        name: (statistics.median(t[0] for t in ts), statistics.median(t[1] for t in ts))
        for name, ts in times.items()
    }
    print(f"start-up, median of {runs} (process spawned -> first call to the fake Bot API)")
    print(f"{'':16}{'getMe':>9}{'getUpdates':>12}")
    for name, (get_me, get_updates) in medians.items():
        print(f"{name:16}{get_me:8.2f}s{get_updates:11.2f}s")
    ratio = medians["jeugdstem run"][0] / medians["echo bot"][0]
    print(f"ratio to getMe  {ratio:.1f}x the echo bot (target: < 1.5 s, or within 4x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(run(parser.parse_args().runs))


if __name__ == "__main__":
    main()
