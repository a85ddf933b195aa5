"""`jeugdstem send` to many participants through the fake Bot API: rate, 429s, memory, resume.

    python -m benchmarks.send [--people 10000] [--kill-at 0.4] [--database-url URL]

The real command, as staff run it, against the fake server with Telegram's overall
flood control on (30 messages/s, then 429 with retry_after). The participants are
stored directly. Midway (``--kill-at``, a share of the people) the process is killed
with SIGKILL and started again with the same command. Prints:

- the sustained rate over the middle of each run (the first and last 5 s left out,
  where the process starts and drains), as a ratio to ``send.rate``;
- 429s answered, all of them and after each run's first second;
- the sender's resident memory at 10 %, 50 % and 90 % of its run;
- after the resume: who got the invitation twice (must be 0), who got none, and the
  outbox rows marked uncertain (the message in flight at the kill).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.commands import memory_mb
from storage import Database
from storage import outbox as outbox_rows
from storage.models import OutboxKind, OutboxStatus
from survey.config import load_survey
from tests.support.audience import add_people
from tests.support.bot_process import BotProcess, bot_environment
from tests.support.crowd import crowd_config
from tests.support.fake_bot_api import FakeBotApi
from tests.support.youngster import PSEUDONYMS

FIRST_CHAT = 3_000_000
EDGE_SECONDS = 5.0


async def one_run(
    api: FakeBotApi, environment: dict[str, str], log: Path, stop_after: int | None
) -> tuple[float, float, list[tuple[int, float]]]:
    """Run the send until it ends, or SIGKILL it after ``stop_after`` messages in all.

    Returns (start, end) monotonic times and (messages so far, RSS MB) samples.
    """
    process = BotProcess(environment, log, "send", "opvolging", "--yes")
    started = time.monotonic()
    await process.start()
    assert process.process is not None
    samples: list[tuple[int, float]] = []
    while process.alive:
        memory = memory_mb(process.process.pid, "VmRSS")
        if memory is not None:
            samples.append((len(api.send_times), memory))
        if stop_after is not None and len(api.send_times) >= stop_after:
            await process.kill()
            break
        try:
            await asyncio.wait_for(asyncio.shield(process.process.wait()), 0.5)
        except TimeoutError:
            continue
    code = await process.process.wait()
    if stop_after is None and code != 0:
        raise SystemExit(f"jeugdstem send failed ({code}):\n{process.logs()[-2000:]}")
    return started, time.monotonic(), samples


def sustained_rate(times: list[float], start: float, end: float) -> float:
    """Messages per second between start+EDGE and end-EDGE."""
    low, high = start + EDGE_SECONDS, end - EDGE_SECONDS
    inside = [t for t in times if low <= t <= high]
    return len(inside) / (high - low) if high > low else float("nan")


def at_share(samples: list[tuple[int, float]], share: float) -> float:
    """The RSS sample taken once ``share`` of this run's messages had gone."""
    if not samples:
        return float("nan")
    first, last = samples[0][0], samples[-1][0]
    target = first + (last - first) * share
    return next(memory for sent, memory in samples if sent >= target)


async def run(people: int, kill_at: float, database_url: str | None) -> None:
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    workdir = Path(tempfile.mkdtemp(prefix="jeugdstem-send-"))
    url = database_url or f"sqlite:///{workdir / 'send.db'}"
    database = Database(url)
    database.migrate()
    config = crowd_config(workdir)
    rate = load_survey(config).send.rate
    seeding = time.monotonic()
    chats = range(FIRST_CHAT, FIRST_CHAT + people)
    add_people(database, chats, pseudonym=PSEUDONYMS.telegram, age_band="19-21")
    seconds = time.monotonic() - seeding
    print(f"{people} opted-in participants stored in {seconds:.1f} s ({url.split(':')[0]})")

    api = FakeBotApi()
    api.limit_rate(30)
    await api.start()
    environment = bot_environment(
        api, url, "e2e-secret", JEUGDSTEM_CONFIG=str(config), JEUGDSTEM_LOG_LEVEL="WARNING"
    )
    try:
        killed = await one_run(api, environment, workdir / "first.log", int(people * kill_at))
        in_first = len(api.send_times)
        floods_first = api.rate_limited
        resumed = await one_run(api, environment, workdir / "second.log", None)
    finally:
        await api.stop()

    first_times, second_times = api.send_times[:in_first], api.send_times[in_first:]
    print(
        f"send.rate {rate:g}/s; fake Bot API limit 30/s; killed (SIGKILL) after {in_first} messages"
    )
    for name, (start, end, samples), times in (
        ("first run ", killed, first_times),
        ("resumed   ", resumed, second_times),
    ):
        sustained = sustained_rate(times, start, end)
        print(
            f"{name}: {len(times):>6} messages in {end - start:6.1f} s; sustained "
            f"{sustained:5.2f}/s = {sustained / rate:.3f} x send.rate; RSS MB at 10/50/90 %: "
            + " / ".join(f"{at_share(samples, share):.0f}" for share in (0.1, 0.5, 0.9))
        )
    print(f"429s answered: {api.rate_limited} (first run {floods_first})")

    received: Counter[int] = Counter()
    for chat in chats:
        received[len(api.sent.get(chat, []))] += 1
    with database.transaction() as session:
        rows = outbox_rows.counts(session, OutboxKind.ROUND, "opvolging")
    database.dispose()
    print(
        f"after the resume: {received[1]} got one invitation, {received[0]} none, "
        f"{sum(n for k, n in received.items() if k > 1)} more than one; outbox: "
        + ", ".join(
            f"{status} {rows.get(status, 0)}" for status in OutboxStatus if rows.get(status)
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--kill-at", type=float, default=0.4, help="share sent before SIGKILL")
    parser.add_argument("--database-url", help="default: a new SQLite file")
    options = parser.parse_args()
    asyncio.run(run(options.people, options.kill_at, options.database_url))


if __name__ == "__main__":
    main()
