"""The survey engine alone, without Telegram: CPU per conversation step.

    python -m benchmarks.engine [--participants 400] [--database sqlite|postgresql]

Each participant starts, consents and answers the rest of the survey with a mix
of buttons and text, one engine turn (one transaction) per step. The script
prints turns per second and the mean CPU time of each kind of step, which is
the share of the bot's per-update cost that belongs to the engine and storage.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bot.engine import Event, Incoming, Press, Response, Start, SurveyEngine, Text
from privacy.identity import CallbackCodec
from storage import Database
from survey.config import load_survey
from tests.support.paths import REPO
from tests.support.postgres import PostgresServer


def button(response: Response, label: str) -> str:
    """The data of the button whose label contains ``label`` in the last reply."""
    for row in response.replies[-1].buttons:
        for candidate in row:
            if label in candidate.label:
                return candidate.data
    raise LookupError(label)


async def run(participants: int, url: str) -> None:
    database = Database(url)
    database.migrate()
    engine = SurveyEngine(load_survey(REPO / "config.yml"), database, CallbackCodec(b"bench"))
    cpu: dict[str, list[float]] = defaultdict(list)
    update_ids = iter(range(1, 10**9))

    async def step(name: str, pseudonym: str, event: Event, chat: int) -> Response:
        started = time.process_time()
        incoming = Incoming(pseudonym, event, chat_id=chat, update_id=next(update_ids))
        response = await engine.handle(incoming)
        cpu[name].append(time.process_time() - started)
        return response

    started = time.perf_counter()
    for number in range(participants):
        who = f"bench-{number}"
        r = await step("start", who, Start("bolwerk"), number)
        r = await step("consent", who, Press(button(r, "Ik doe mee")), number)
        r = await step("age button", who, Press(button(r, "16")), number)
        r = await step("area as text", who, Text("heule"), number)
        await step("tick", who, Press(button(r, "sport")), number)
        r = await step("done", who, Press(button(r, "Klaar")), number)
        for _ in range(3):
            r = await step("open answer", who, Text("te duur en te ver"), number)
        await step("opt-in", who, Press(button(r, "Ja")), number)
    elapsed = time.perf_counter() - started
    database.dispose()

    turns = sum(len(v) for v in cpu.values())
    print(f"database        {database.dialect}")
    print(f"turns           {turns} ({participants} participants)")
    print(f"turns/s         {turns / elapsed:.0f} (one at a time)")
    print(f"CPU per turn    {sum(sum(v) for v in cpu.values()) / turns * 1000:.2f} ms on average")
    for name, values in cpu.items():
        print(f"  {name:14s}{sum(values) / len(values) * 1000:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=400)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    arguments = parser.parse_args()
    server: PostgresServer | None = None
    if arguments.database == "postgresql":
        server = PostgresServer.start()
        url = server.url
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='jeugdstem-engine-')) / 'bench.db'}"
    try:
        asyncio.run(run(arguments.participants, url))
    finally:
        if server is not None:
            server.destroy()


if __name__ == "__main__":
    main()
