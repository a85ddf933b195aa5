"""Drive N simulated participants through whole surveys against the real bot process.

    python -m benchmarks.conversation [--participants 500] [--database sqlite|postgresql]

The bot runs as `python -m cli run` against the fake Bot API server, exactly as
in the end-to-end tests, with Telegram's outgoing rate limit switched off: the
figure we want is what the bot itself can do (Telegram's own limit of about 30
messages/s is enforced by AIORateLimiter in production). All participants
are in the survey at once, for --duration seconds (starting again when they
finish); each pauses between updates so that together they offer --rate
updates per second (--rate 0: no pauses, which measures the
maximum throughput instead). It prints throughput, latency from update to
reply, errors and the bot's peak RSS and CPU.

Each participant must stay under the bot's flood guard (20 messages in 10 s per person,
bot/telegram/flood.py): at --rate 0 a participant sends as fast as the bot replies, so
with 200 participants a bot serving 400 updates/s paces them, and the run stops where a
button was expected and the flood notice came. 500 participants leave room up to 1,000
updates/s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import tempfile
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import psutil
import yaml

from benchmarks.commands import memory_mb
from tests.support.bot_process import BotProcess, bot_environment
from tests.support.fake_bot_api import FakeBotApi
from tests.support.models import shared_models
from tests.support.paths import REPO
from tests.support.postgres import PostgresServer
from tests.support.youngster import Youngster


class Timer:
    """Latency of each update, from handing it to the fake server to the bot's reply."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.replied_at: list[float] = []
        self.updates = 0

    def record(self, started: float) -> None:
        now = time.perf_counter()
        self.latencies.append(now - started)
        self.replied_at.append(now)
        self.updates += 1

    def steady_throughput(self) -> float:
        """Updates/s between 10 % and 90 % of the run: no ramp-up, no last stragglers."""
        first, last = min(self.replied_at), max(self.replied_at)
        low, high = first + 0.1 * (last - first), first + 0.9 * (last - first)
        return sum(low <= t <= high for t in self.replied_at) / (high - low)


class Stop(Exception):
    """The benchmark's time is up."""


async def participant(
    api: FakeBotApi, user_id: int, timer: Timer, think: float, deadline: float
) -> None:
    """One young person taking the survey again and again (10 updates a round) until the deadline.

    ``think`` is the mean pause before each update (0: answer the moment a reply lands).
    """
    jitter = random.Random(user_id)
    # Arrivals spread evenly from the first second: if everyone started together,
    # their first and second steps would overlap and offer twice the rate for a while.
    first = [True]

    async def pause() -> None:
        if think:
            low = 0.0 if first[0] else 0.5
            first[0] = False
            await asyncio.sleep(think * jitter.uniform(low, 1.5))
        if time.perf_counter() > deadline:
            raise Stop

    async def step(send: Coroutine[Any, Any, object]) -> None:
        """One update and the bot's answer to it (a reply, or for a tick the edit), timed."""
        try:
            await pause()
        except Stop:
            send.close()  # never sent
            raise
        started = time.perf_counter()
        await send
        timer.record(started)

    person = Youngster(api, user_id, reply_timeout=120)
    try:
        while True:
            await step(person.command("/start bolwerk"))
            await step(person.tap("Ik doe mee"))
            await step(person.tap("16–18"))
            await step(person.say("heule"))
            await step(person.tick("sport"))
            await step(person.tap("Klaar"))
            await step(person.say("te duur en de bus rijdt nie 's avonds"))
            await step(person.say("op de training lachten ze met mijn taal"))
            await step(person.say("goedkopere kampen en een busje"))
            await step(person.tap("Ja, graag"))
    except Stop:
        return


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


async def peak_anonymous_mb(pid: int, done: asyncio.Event) -> float:
    """The most private memory (RssAnon) the process held, sampled every 50 ms.

    VmHWM counts the pages of shared libraries the process has mapped too, and how many
    of those are mapped depends on the page cache: numpy's and OpenBLAS's files, freshly
    written by pip in a new clone, are mapped more fully than the same files read weeks
    ago (docs/performance.md). RssAnon is what the bot itself allocated.
    """
    peak = 0.0
    while not done.is_set():
        peak = max(peak, memory_mb(pid, "RssAnon") or 0.0)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), 0.05)
    return peak


async def run(
    participants: int,
    database: str,
    rate: float,
    duration: float,
    overrides: dict[str, int] | None = None,
) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="jeugdstem-bench-"))
    config = yaml.safe_load((REPO / "config.yml").read_text(encoding="utf-8"))
    config["telegram"]["rate_limit"]["overall_max_rate"] = 0  # 0 switches the limiter off
    # The scripted participant cannot know whether the classifier will ask about the themes
    # of an answer (that depends on its confidence), so it is never asked here.
    for question in config["questions"]:
        question["confirm_themes"] = False
    for key, value in (overrides or {}).items():
        config["telegram"][key] = value
    # Trained beforehand, as after a deployment's first start: the bot only loads them.
    config["nlu"]["model_dir"] = str(shared_models())
    config_path = workdir / "config.yml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")

    server: PostgresServer | None = None
    if database == "postgresql":
        server = PostgresServer.start()
        url = server.url
    else:
        url = f"sqlite:///{workdir / 'bench.db'}"

    api = FakeBotApi()
    await api.start()
    env = bot_environment(
        api, url, "bench-secret", JEUGDSTEM_CONFIG=str(config_path), JEUGDSTEM_LOG_LEVEL="WARNING"
    )
    bot = BotProcess(env, workdir / "bot.log")
    await bot.start()
    try:
        await api.wait_for_polling()
        assert bot.process is not None
        # Each participant pauses participants/rate seconds on average between updates,
        # so together they offer `rate` updates per second (0: as fast as replies come).
        think = participants / rate if rate else 0.0
        timer = Timer()
        started = time.perf_counter()
        deadline = started + duration
        done = asyncio.Event()
        sampling = asyncio.create_task(peak_anonymous_mb(bot.process.pid, done))
        await asyncio.gather(
            *(participant(api, 7_000_000 + i, timer, think, deadline) for i in range(participants))
        )
        elapsed = time.perf_counter() - started
        done.set()
        anonymous = await sampling
        rss = memory_mb(bot.process.pid, "VmHWM")
        if rss is None:
            raise RuntimeError("the bot's VmHWM could not be read")
        bot_user, bot_system = psutil.Process(bot.process.pid).cpu_times()[:2]
        driver_cpu = sum(psutil.Process().cpu_times()[:2])
    finally:
        await bot.stop()
        await api.stop()
        if server is not None:
            server.destroy()

    p50, p99 = percentiles(timer.latencies)
    server_p50, server_p99 = percentiles(api.reply_latencies)
    errors = bot.logs().count('"update_failed"')
    print(f"database            {database}")
    offered = f"{rate:.0f} updates/s offered" if rate else "no pauses: saturation"
    print(f"participants        {participants} at once ({offered}) for {duration:.0f} s")
    print(f"updates             {timer.updates}")
    print(f"elapsed             {elapsed:.2f} s")
    print(f"throughput          {timer.updates / elapsed:.0f} updates/s over the whole run")
    print(f"                    {timer.steady_throughput():.0f} updates/s in its middle 80 %")
    print(f"latency p50         {p50:.1f} ms (driver: update sent -> reply received)")
    print(f"latency p99         {p99:.1f} ms")
    print(
        f"server-side p50/p99 {server_p50:.1f} / {server_p99:.1f} ms (update handed to the bot ->"
    )
    print("                    its first message or edit; excludes the driver's own queueing)")
    print(f"errors              {errors}")
    print(f"bot peak RSS        {rss:.0f} MB (VmHWM: with the pages of shared libraries)")
    print(f"                    {anonymous:.0f} MB its own memory at most (RssAnon)")
    print(
        f"CPU seconds         bot {bot_user + bot_system:.1f} (user {bot_user:.1f}, system "
        f"{bot_system:.1f}: {(bot_user + bot_system) / timer.updates * 1000:.2f} ms per update),"
    )
    print(f"                    driver + fake server {driver_cpu:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument(
        "--rate",
        type=float,
        default=300.0,
        help="updates/s the participants offer together; 0 = no pauses (measures the maximum)",
    )
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--concurrent-updates", type=int, help="override config.yml")
    parser.add_argument("--connection-pool-size", type=int, help="override config.yml")
    arguments = parser.parse_args()
    overrides = {
        key: value
        for key, value in (
            ("concurrent_updates", arguments.concurrent_updates),
            ("connection_pool_size", arguments.connection_pool_size),
        )
        if value is not None
    }
    asyncio.run(
        run(
            arguments.participants,
            arguments.database,
            arguments.rate,
            arguments.duration,
            overrides,
        )
    )


if __name__ == "__main__":
    main()
