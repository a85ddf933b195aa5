"""Soak test: thousands of young people arriving in bursts, for minutes, against PostgreSQL.

    python -m benchmarks.load [--minutes 10] [--participants 2000] [--burst-every 30]

The real bot process (`python -m cli run`, long polling) runs against the fake
Bot API server and a throwaway PostgreSQL server, with Telegram's outgoing
rate limit off (as in benchmarks/conversation.py). Participants come in bursts
(a poster campaign, a group session): every --burst-every seconds a group
arrives within a few seconds, and each plays the whole survey once like a
person would (pauses of 1-4 s, buttons and own words; tests/support/crowd.py).
Arrivals stop a minute before the end so the last ones can finish.

It prints throughput, p50/p99 latency from update to reply, errors, the bot's
RSS sampled over time (first, last, max and the slope) and the database
connections in use (pg_stat_activity, sampled), and checks the database:
every acknowledged answer stored exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import psycopg

from benchmarks.conversation import percentiles
from storage import Database
from survey.config import load_survey
from tests.support.bot_process import BotProcess, bot_environment
from tests.support.crowd import Crowd, CrowdApi, Player, crowd_config, verify
from tests.support.paths import REPO
from tests.support.postgres import PostgresServer

SECRET = "load-secret"
# The driver's own connection is not the bot's.
_CONNECTIONS = (
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


@dataclass
class Sample:
    """One look at the bot process and the database."""

    at: float
    rss_mb: float
    connections: int
    updates: int


@dataclass
class Samples:
    taken: list[Sample] = field(default_factory=list)

    def rss_slope(self, after: float = 0.0) -> float:
        """Least-squares slope of RSS over time (from ``after`` seconds), in MB per minute."""
        taken = [s for s in self.taken if s.at >= after]
        if len(taken) < 2:
            return 0.0
        minutes = [s.at / 60 for s in taken]
        rss = [s.rss_mb for s in taken]
        return statistics.linear_regression(minutes, rss).slope


async def sample_every(
    seconds: float, pid: int, url: str, api: CrowdApi, samples: Samples, started: float
) -> None:
    """RSS of the bot and connections in use, every ``seconds`` until cancelled."""
    process = psutil.Process(pid)
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as connection:
        while True:
            cursor = await connection.execute(_CONNECTIONS)
            row = await cursor.fetchone()
            sample = Sample(
                at=time.monotonic() - started,
                rss_mb=process.memory_info().rss / 2**20,
                connections=int(row[0]) if row else 0,
                updates=len(api.reply_latencies),
            )
            samples.taken.append(sample)
            print(
                f"  {sample.at:6.0f} s  RSS {sample.rss_mb:6.1f} MB  "
                f"db connections {sample.connections:3d}  replies so far {sample.updates}",
                flush=True,
            )
            await asyncio.sleep(seconds)


async def arrive(player: Player, delay: float) -> None:
    await asyncio.sleep(delay)
    await player.play()


async def run(minutes: float, participants: int, burst_every: float, sample: float) -> None:
    duration = minutes * 60
    workdir = Path(tempfile.mkdtemp(prefix="jeugdstem-load-"))
    survey = load_survey(REPO / "config.yml")
    server = PostgresServer.start()
    api = CrowdApi()
    await api.start()
    env = bot_environment(
        api,
        server.url,
        SECRET,
        JEUGDSTEM_CONFIG=str(crowd_config(workdir)),
        JEUGDSTEM_LOG_LEVEL="WARNING",
    )
    bot = BotProcess(env, workdir / "bot.log")
    await bot.start()
    crowd = Crowd(api, survey, seed=1)
    schedule = random.Random(2)
    # Arrivals stop a minute before the end (less in short runs) so the last ones finish.
    arrivals = max(burst_every, duration - min(60.0, duration / 3))
    bursts = int(arrivals // burst_every) + 1  # the first at 0 s, the last at `arrivals`
    players: list[tuple[Player, float]] = []
    for number in range(participants):
        burst = number * bursts // participants
        delay = burst * burst_every + schedule.uniform(0, 5)
        players.append((crowd.add(8_000_000 + number, think=(1.0, 4.0)), delay))
    samples = Samples()
    try:
        await api.wait_for_polling(timeout=120)
        assert bot.process is not None
        pid = bot.process.pid
        started = time.monotonic()
        print(
            f"{participants} participants in {bursts} bursts, one every {burst_every:.0f} s, "
            f"for {minutes:g} min; sampling every {sample:.0f} s",
            flush=True,
        )
        sampler = asyncio.create_task(sample_every(sample, pid, server.url, api, samples, started))
        playing = asyncio.gather(*(arrive(player, delay) for player, delay in players))
        try:
            await asyncio.wait_for(playing, timeout=duration + 300)
        finally:
            sampler.cancel()
        elapsed = time.monotonic() - started
        cpu = sum(psutil.Process(pid).cpu_times()[:2])
    finally:
        await bot.stop()
        await api.stop()
    verdict = verify(Database(server.url), [p for p, _ in players], SECRET.encode())
    server.destroy()

    stats = crowd.stats
    p50, p99 = percentiles(stats.latencies)
    server_p50, server_p99 = percentiles(api.reply_latencies)
    rss = [s.rss_mb for s in samples.taken]
    connections = [s.connections for s in samples.taken]
    errors = bot.logs().count('"update_failed"')
    print(f"participants        {participants} ({len(verdict.unfinished)} did not finish)")
    print(f"elapsed             {elapsed:.0f} s")
    print(f"updates             {stats.updates} ({stats.updates / elapsed:.1f} updates/s)")
    print(f"replies             {len(api.reply_latencies)}")
    print(f"latency p50 / p99   {p50:.1f} / {p99:.1f} ms (driver: update sent -> next step)")
    print(
        f"server-side         {server_p50:.1f} / {server_p99:.1f} ms (update handed out -> reply)"
    )
    print(f"errors              {errors} update_failed; {stats.resyncs} replies never came")
    print(
        f"answers             {verdict.answers_sent} sent, {verdict.acknowledged} acknowledged, "
        f"{verdict.stored} stored, {len(verdict.lost)} lost, {len(verdict.duplicated)} duplicated"
    )
    print(
        f"bot RSS             first {rss[0]:.1f} MB, last {rss[-1]:.1f} MB, max {max(rss):.1f} MB,"
        f" slope {samples.rss_slope():+.2f} MB/min ({len(rss)} samples)"
    )
    # The first minute warms up (connection pool, caches, first NLU calls).
    print(f"                    slope after the first minute {samples.rss_slope(60):+.2f} MB/min")
    print(
        f"db connections      min {min(connections)}, max {max(connections)}, "
        f"median {statistics.median(connections):.0f}"
    )
    print(f"bot CPU             {cpu:.0f} s ({cpu / elapsed * 100:.0f} % of one core)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--burst-every", type=float, default=30.0, help="seconds between bursts")
    parser.add_argument("--sample", type=float, default=30.0, help="seconds between samples")
    arguments = parser.parse_args()
    asyncio.run(
        run(arguments.minutes, arguments.participants, arguments.burst_every, arguments.sample)
    )


if __name__ == "__main__":
    main()
