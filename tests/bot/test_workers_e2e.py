"""Two `jeugdstem run --webhook` workers on one PostgreSQL: nothing lost, nothing doubled.

A load balancer may send one participant's consecutive updates to different
workers, and Telegram may retry a webhook POST that another worker then
receives too. Consistency comes from the database, not from luck: each turn
locks the participant's row (``SELECT ... FOR UPDATE``), the conversation row
carries an optimistic version, and the processed-updates mark is committed
with the answer.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from sqlalchemy import make_url, select

from privacy.identity import Pseudonymizer
from storage import Answer, Conversation, Database, Participant, Participation
from survey.config import Survey
from tests.support.bot_process import (
    BotProcess,
    bot_environment,
    wait_for_port,
    webhook_settings,
    webhook_url,
)
from tests.support.crowd import Crowd, CrowdApi, crowd_config, verify
from tests.support.fake_bot_api import SentMessage
from tests.support.postgres import TEMPLATE, free_port

pytestmark = pytest.mark.e2e

SECRET = "workers-secret"
WEBHOOK_SECRET = "workers-webhook-token"
PSEUDONYMS = Pseudonymizer(SECRET.encode())


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    """A fresh migrated PostgreSQL database (the workers need a real one)."""
    name = f"workers_{os.getpid()}_{free_port()}"
    with psycopg.connect(postgres_template, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}".encode())
    yield make_url(postgres_template).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(postgres_template, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)".encode())


@asynccontextmanager
async def two_workers(
    postgres_url: str, folder: Path, config: Path, **extra: str
) -> AsyncIterator[tuple[CrowdApi, list[BotProcess]]]:
    """The fake Bot API and two webhook workers, each on its own port, on one database."""
    api = CrowdApi()
    await api.start()
    processes: list[BotProcess] = []
    for name in ("a", "b"):
        port = free_port()
        env = bot_environment(
            api,
            postgres_url,
            SECRET,
            JEUGDSTEM_CONFIG=str(config),
            **webhook_settings(port, WEBHOOK_SECRET),
            **extra,
        )
        process = BotProcess(env, folder / f"worker-{name}.log", "run", "--webhook")
        await process.start()
        processes.append(process)
        api.worker_urls.append(webhook_url(port))
        if name == "a":
            # The second starts once the first is serving.
            await api.wait_until(lambda: api.webhook is not None, timeout=90)
            await wait_for_port(port)
    await api.wait_until(lambda: api.webhook is not None, timeout=90)
    await wait_for_port(int(api.worker_urls[1].split(":")[2].split("/")[0]))
    try:
        yield api, processes
    finally:
        for process in processes:
            if process.alive:
                assert await process.stop() == 0, process.logs()
        await api.stop()


@pytest.fixture
async def workers(
    postgres_url: str, tmp_path: Path
) -> AsyncIterator[tuple[CrowdApi, list[BotProcess]]]:
    """Two webhook workers on the shipped survey."""
    async with two_workers(postgres_url, tmp_path, crowd_config(tmp_path)) as running:
        yield running


def no_failures(processes: list[BotProcess]) -> None:
    for process in processes:
        logs = process.logs()
        assert '"update_failed"' not in logs, logs[-3000:]
        # A turn that waited for the other worker must read what that worker committed;
        # a stale read would be caught by the version column, but only 3 times in a row.
        assert '"StaleDataError"' not in logs, logs[-3000:]


async def test_updates_alternating_between_two_workers(
    workers: tuple[CrowdApi, list[BotProcess]], postgres_url: str, survey: Survey
) -> None:
    api, processes = workers
    crowd = Crowd(api, survey, seed=11)
    # One participant alone first, then twenty at once; every update goes to the other worker.
    alone = crowd.add(6_300_000, think=(0.05, 0.2))
    await asyncio.wait_for(alone.play(), timeout=120)
    together = [crowd.add(6_300_001 + i, think=(0.05, 0.3)) for i in range(20)]
    await asyncio.wait_for(asyncio.gather(*(p.play() for p in together)), timeout=180)

    verdict = verify(Database(postgres_url), [alone, *together], SECRET.encode())
    assert verdict.lost == []
    assert verdict.duplicated == []
    assert verdict.unexpected == []
    assert verdict.unfinished == []
    assert verdict.stored == 21 * len(survey.questions)
    assert crowd.stats.resyncs == 0
    # Both workers really served each participant.
    for process in processes:
        assert process.logs().count('"update_handled"') >= 21 * 5
    no_failures(processes)


class Scripted:
    """One participant driven step by step, with updates fired at both workers at once."""

    def __init__(self, api: CrowdApi, user_id: int) -> None:
        self.api = api
        self.id = user_id

    async def reply(self) -> SentMessage:
        return await self.api.next_message(self.id, timeout=30)

    async def to_free_time(self) -> SentMessage:
        await self.api.send_command(self.id, "/start")
        welcome = await self.reply()
        await self.api.press(self.id, welcome, "Ik doe mee")
        age = await self.reply()
        await self.api.press(self.id, age, "16–18")
        area = await self.reply()
        await self.api.press(self.id, area, "Heule")
        return await self.reply()

    async def at_once(self, updates: list[dict[str, Any]]) -> None:
        """Post the updates concurrently: alternating workers, so two of them race."""
        await asyncio.gather(*(self.api.deliver(update) for update in updates))


async def test_near_simultaneous_updates_of_one_participant_on_both_workers(
    workers: tuple[CrowdApi, list[BotProcess]], postgres_url: str, survey: Survey
) -> None:
    api, processes = workers
    free_time = next(q for q in survey.questions if q.id == "free-time")
    everything = {o.id for o in free_time.options}
    people = [Scripted(api, 6_400_000 + i) for i in range(8)]
    watcher = Database(postgres_url)

    async def ticked_all(pseudonym: str, wanted: set[str], timeout: float = 30) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            with watcher.transaction() as session:
                pending = session.scalar(
                    select(Conversation.pending)
                    .join(Participant, Conversation.participant_id == Participant.id)
                    .where(Participant.pseudonym == pseudonym)
                )
            if set(pending or ()) == wanted:
                return
            assert asyncio.get_running_loop().time() < deadline, (pending, wanted)
            await asyncio.sleep(0.2)

    async def race(person: Scripted) -> None:
        question = await person.to_free_time()
        # Every option ticked at the same moment, half of them through each worker.
        ticks = [api.press_update(person.id, question, o.label["nl"]) for o in free_time.options]
        await person.at_once(ticks)
        # Wait for the stored ticks, not for the keyboard: the two workers' edits of the
        # same message may reach Telegram in either order, so the keyboard shown can lag
        # one tick behind (a display race; the next tap redraws it).
        await ticked_all(PSEUDONYMS.telegram(person.id), everything)
        await api.press(person.id, question, "Klaar")
        holds_back = await person.reply()
        assert holds_back.text.startswith("(4/6)")
        # The same POST to both workers at once (a retried webhook), then two different
        # messages at once: each stored exactly once.
        same = api.text_update(person.id, f"dubbel verstuurd {person.id}")
        await asyncio.gather(api.deliver(same), api.redeliver(same))
        one = api.text_update(person.id, f"eerste tegelijk {person.id}")
        two = api.text_update(person.id, f"tweede tegelijk {person.id}")
        await person.at_once([one, two])
        await asyncio.sleep(2.0)

    await asyncio.wait_for(asyncio.gather(*(race(p) for p in people)), timeout=180)
    watcher.dispose()

    with Database(postgres_url).transaction() as session:
        for person in people:
            pseudonym = PSEUDONYMS.telegram(person.id)
            rows = session.scalars(
                select(Answer)
                .join(Participation)
                .join(Participant)
                .where(Participant.pseudonym == pseudonym)
                .order_by(Answer.id)
            ).all()
            [ticked] = [r for r in rows if r.question_id == "free-time"]
            assert set((ticked.button_value or "").split(",")) == everything
            texts = [r.text for r in rows if r.text is not None]
            for text in ("dubbel verstuurd", "eerste tegelijk", "tweede tegelijk"):
                assert texts.count(f"{text} {person.id}") == 1, (text, texts)
    no_failures(processes)


async def test_a_handover_across_two_workers_with_a_claim_race(
    postgres_url: str, survey: Survey, tmp_path: Path
) -> None:
    """The young person's updates alternate between the workers; the two youth workers'
    claims reach different workers at the same moment: exactly one gets the case."""
    staff_chat = -1_001_777_000
    sara, yusuf = 9_101, 9_102
    config = crowd_config(tmp_path)
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["handover"] = {
        "workers": [
            {"telegram_id": sara, "name": "Sara, Bolwerk"},
            {"telegram_id": yusuf, "name": "Yusuf, AjKo"},
        ],
        "hours": [],
    }
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    async with two_workers(
        postgres_url, tmp_path, config, JEUGDSTEM_STAFF_CHAT_ID=str(staff_chat)
    ) as (api, processes):
        person = Scripted(api, 6_500_001)
        await api.send_command(person.id, "/start")
        await api.press(person.id, await person.reply(), "Ik doe mee")
        await person.reply()
        await api.send_command(person.id, "/praten")
        offer = await person.reply()
        await api.press(person.id, offer, survey.text("button_handover_yes", "nl"))
        assert (await person.reply()).text == survey.text("handover_opened", "nl")
        card = await api.next_message(staff_chat, timeout=30)

        claims = [api.press_update(worker, card, "Ik neem dit op") for worker in (sara, yusuf)]
        await asyncio.gather(*(api.post_to(i, claim) for i, claim in enumerate(claims)))
        answers = [await api.answer_to(claim, timeout=30) for claim in claims]
        assert sorted(a or "" for a in answers)[0] == "De case is voor jou."
        assert sorted(a or "" for a in answers)[1].endswith("heeft deze case al.")
        winner = sara if answers[0] == "De case is voor jou." else yusuf
        assert (await person.reply()).text.endswith(
            "is er voor je. Schrijf wat je wil; stoppen kan met /stop."
        )

        # Both ways, each update on whichever worker the alternation picks.
        for number in range(4):
            await api.send_text(person.id, f"bericht {number}")
            relayed = await api.next_message(staff_chat, timeout=30)
            assert relayed.text.endswith(f": bericht {number}")
            await api.group_text(staff_chat, winner, f"antwoord {number}", reply_to=relayed)
            assert (await person.reply()).text.endswith(f": antwoord {number}")
        assert await api.quiet(staff_chat) == [] and await api.quiet(person.id) == []
        for process in processes:
            assert '"update_failed"' not in process.logs()
        # Each worker handled some of the case's updates.
        assert all('"staff_update_handled"' in p.logs() for p in processes)
