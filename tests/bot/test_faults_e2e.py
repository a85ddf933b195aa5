"""Faults from outside, against the real `jeugdstem run` process.

Telegram says no (429, 5xx, timeouts, 403), PostgreSQL goes away for ten
seconds in the middle of a burst, and the Rasa server is down or never answers.
Each test checks what the young people saw and what ended up in the database:
every acknowledged answer stored exactly once, and the bot still answering.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, make_url, select, text

from bot.telegram.transport import AiohttpRequest
from storage import Answer, Conversation, Database, Participant
from storage import repository as repo
from survey.config import Survey
from tests.support.bot_process import BotProcess, bot_environment
from tests.support.cli import run_jeugdstem
from tests.support.config import write_test_config
from tests.support.fake_bot_api import FakeBotApi, Fault, SentMessage
from tests.support.models import shared_models
from tests.support.postgres import PostgresServer, free_port
from tests.support.secrets import E2E_SECRET
from tests.support.youngster import Youngster

pytestmark = pytest.mark.e2e

# The bot's read timeout on Bot API calls; a stall longer than this is a timeout.
READ_TIMEOUT = AiohttpRequest().read_timeout or 5.0


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database: these faults do not depend on the database."""
    url = f"sqlite:///{tmp_path / 'jeugdstem.db'}"
    database = Database(url)
    database.migrate()
    database.dispose()
    return url


@contextlib.asynccontextmanager
async def running_bot(
    api: FakeBotApi, database_url: str, log: Path, **env: str
) -> AsyncIterator[BotProcess]:
    """`jeugdstem run` until the block ends; it must then stop cleanly."""
    process = BotProcess(bot_environment(api, database_url, E2E_SECRET, **env), log)
    await process.start()
    try:
        await api.wait_for_polling()
        yield process
    except BaseException:
        await process.kill()
        raise
    assert await process.stop() == 0, process.logs()


def error_lines(logs: str) -> list[str]:
    """Log lines at error level: our JSON events, and Python logging's ERROR lines."""
    found = []
    for line in logs.splitlines():
        if line.startswith("{"):
            if json.loads(line).get("level") in ("error", "critical"):
                found.append(line)
        elif line.startswith(("ERROR", "CRITICAL")) or "Traceback" in line:
            found.append(line)
    return found


def events(logs: str, name: str) -> list[dict[str, Any]]:
    """Our JSON log events called ``name``."""
    return [
        event
        for line in logs.splitlines()
        if line.startswith("{") and (event := json.loads(line)).get("event") == name
    ]


def copies(api: FakeBotApi, chat_id: int, text: str) -> int:
    """How many messages in the chat contain ``text``."""
    return sum(text in message.text for message in api.sent[chat_id])


def stored_answers(database_url: str, pseudonym: str) -> list[Answer]:
    """One participant's answers as stored, in order."""
    database = Database(database_url)
    try:
        with database.transaction() as session:
            return repo.answers_of(session, pseudonym)
    finally:
        database.dispose()


async def eventually(check: Callable[[], bool], timeout: float = 15.0) -> None:
    """Wait until ``check()`` holds (for effects the test cannot wait on directly)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s")
        await asyncio.sleep(0.1)


# -- Telegram says no ------------------------------------------------------------------------


async def test_429_retry_after_is_obeyed_and_the_message_sent_once(
    api: FakeBotApi, sqlite_url: str, tmp_path: Path, survey: Survey
) -> None:
    async with running_bot(api, sqlite_url, tmp_path / "bot.log") as bot:
        person = Youngster(api, 5561001)
        await person.command("/start")
        api.plan_faults("sendMessage", Fault.flood(2), chat_id=person.id)
        question = await person.tap("Ik doe mee")
        assert survey.questions[0].text["nl"] in question.text

        flooded, sent = api.attempts_of("sendMessage", person.id)[-2:]
        assert (flooded.status, sent.status) == (429, 200)
        assert sent.at - flooded.at >= 2.0, "retried before retry_after had passed"
        assert copies(api, person.id, survey.questions[0].text["nl"]) == 1
        assert await api.quiet(person.id) == []
    assert error_lines(bot.logs()) == []


async def test_5xx_is_retried_with_growing_waits_and_sent_once(
    api: FakeBotApi, sqlite_url: str, tmp_path: Path, survey: Survey
) -> None:
    async with running_bot(api, sqlite_url, tmp_path / "bot.log") as bot:
        person = Youngster(api, 5562001)
        welcome = await person.command("/start")
        api.plan_faults(
            "sendMessage",
            Fault.server_error(500),
            Fault.server_error(502),
            Fault.server_error(503),
            chat_id=person.id,
        )
        api.plan_faults("editMessageText", Fault.server_error(502), chat_id=person.id)
        api.plan_faults("answerCallbackQuery", Fault.server_error(500), chat_id=person.id)
        press = await api.press(person.id, welcome, "Ik doe mee")
        question = await person.read()
        assert survey.questions[0].text["nl"] in question.text
        # The pop-up is answered and the welcome loses its buttons, each after one retry.
        await api.answer_to(press)
        await api.wait_until(lambda: welcome.buttons == [])

        calls = api.attempts_of("sendMessage", person.id)[-4:]
        assert [c.status for c in calls] == [500, 502, 503, 200]
        waits = [later.at - earlier.at for earlier, later in itertools.pairwise(calls)]
        # Exponential backoff: 0.5, 1 and 2 s (plus jitter) between the tries.
        assert waits[0] >= 0.5 and waits[1] >= 1.0 and waits[2] >= 2.0, waits
        assert copies(api, person.id, survey.questions[0].text["nl"]) == 1
        assert [c.status for c in api.attempts_of("editMessageText", person.id)] == [502, 200]
        assert [c.status for c in api.attempts_of("answerCallbackQuery", person.id)] == [500, 200]
        assert await api.quiet(person.id) == []
    logs = bot.logs()
    assert len(events(logs, "telegram_retry")) == 5
    assert error_lines(logs) == []


async def test_timeouts_are_retried_and_a_lost_answer_can_mean_a_second_copy(
    api: FakeBotApi, sqlite_url: str, tmp_path: Path, survey: Survey
) -> None:
    async with running_bot(api, sqlite_url, tmp_path / "bot.log") as bot:
        person = Youngster(api, 5563001)
        await person.command("/start")
        await person.tap("Ik doe mee")

        # The request never reached Telegram: the retry sends the question once.
        api.plan_faults("sendMessage", Fault.stall(READ_TIMEOUT + 1), chat_id=person.id)
        area = await person.tap("16–18")
        assert "Waar woon je?" in area.text
        # The fake notes the stalled call once it gives up on it (a moment after the retry).
        await eventually(lambda: api.attempts_of("sendMessage", person.id)[-2].status == 504)
        stalled, sent = api.attempts_of("sendMessage", person.id)[-2:]
        assert (stalled.status, sent.status) == (504, 200)
        assert sent.at - stalled.at >= READ_TIMEOUT
        assert copies(api, person.id, "Waar woon je?") == 1

        # Telegram delivered, but its answer never came back: the retry shows the question
        # a second time. That is the trade-off (bot/telegram.py, call_api): twice, never zero.
        api.plan_faults(
            "sendMessage", Fault.stall(READ_TIMEOUT + 1, delivered=True), chat_id=person.id
        )
        free_time = await person.tap("Heule")
        again = await person.read()
        assert free_time.text == again.text and "vrije tijd" in free_time.text
        # Both copies' buttons work; the answer is stored once.
        await person.tap("Overslaan")
    answers = stored_answers(sqlite_url, person.pseudonym)
    assert [(a.question_id, a.button_value) for a in answers] == [
        ("age", "16-18"),
        ("area", "heule"),
        ("free-time", None),
    ]
    assert error_lines(bot.logs()) == []


async def test_403_marks_the_participant_unreachable_without_errors(
    api: FakeBotApi, database_url: str, db: Database, tmp_path: Path, survey: Survey
) -> None:
    async with running_bot(api, database_url, tmp_path / "bot.log") as bot:
        person = Youngster(api, 5564001)
        await person.command("/start")
        age = await person.tap("Ik doe mee")
        area = await person.tap("19–21")
        assert "Waar woon je?" in area.text
        # The answered question's edit travels beside the next question: let it land first.
        await api.wait_until(lambda: age.buttons == [])

        def unreachable() -> bool:
            with db.transaction() as session:
                participant = repo.find_participant(session, person.pseudonym)
                return participant is not None and participant.unreachable

        assert not unreachable()
        api.block(person.id)
        before = len(api.attempts_of("sendMessage", person.id))
        # A photo gets two replies ("text only, please" and the question again).
        await api.send_photo(person.id)
        await eventually(unreachable)
        await api.quiet(person.id, 1.0)
        tried = api.attempts_of("sendMessage", person.id)[before:]
        # Neither retried nor followed by the second reply.
        assert [t.status for t in tried] == [403]

        # They unblock and write again: answered, and reachable again.
        api.unblock(person.id)
        free_time = await person.tap("Marke")
        assert "vrije tijd" in free_time.text
        assert not unreachable()
    with db.transaction() as session:
        answers = repo.answers_of(session, person.pseudonym)
    assert [(a.question_id, a.button_value) for a in answers] == [
        ("age", "19-21"),
        ("area", "marke"),
    ]
    logs = bot.logs()
    assert len(events(logs, "participant_unreachable")) == 1
    assert error_lines(logs) == []


# -- PostgreSQL goes away --------------------------------------------------------------------

OUTAGE_SECONDS = 10.0
BURST = 30
# Arrivals spread over this many seconds; the server stops a little before the last one.
ARRIVALS_OVER = 4.0
STOP_AFTER = 3.5


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test's own, since the test stops it."""
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.destroy()


@dataclass
class Walker:
    """One simulated young person walking the whole survey, noting what was acknowledged."""

    api: FakeBotApi
    survey: Survey
    id: int
    rng: random.Random
    # (question, button value, text) of every answer the bot acknowledged with the next step.
    acknowledged: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    # Seconds from each action to the bot's answer.
    waits: list[float] = field(default_factory=list)

    async def step(self, action: Awaitable[object]) -> SentMessage:
        """Do something and wait for the bot's next message (however long the bot holds it)."""
        started = time.monotonic()
        await action
        reply = await self.api.next_message(self.id, timeout=90)
        self.waits.append(time.monotonic() - started)
        assert reply.text != self.survey.text("something_went_wrong", "nl"), (
            f"participant {self.id} was told to try again: the outage was not waited out"
        )
        await asyncio.sleep(self.rng.uniform(0.1, 0.5))
        return reply

    async def answer(
        self, action: Awaitable[object], question: str, value: str | None, words: str | None
    ) -> SentMessage:
        reply = await self.step(action)
        self.acknowledged.append((question, value, words))
        return reply

    async def walk(self) -> None:
        api, me = self.api, self.id
        welcome = await self.step(api.send_command(me, "/start bolwerk"))
        age = await self.step(api.press(me, welcome, "Ik doe mee"))
        area = await self.answer(api.press(me, age, "16–18"), "age", "16-18", None)
        free_time = await self.answer(api.press(me, area, "Heule"), "area", "heule", None)
        holds_back = await self.answer(
            api.press(me, free_time, "Overslaan"), "free-time", None, None
        )
        words = f"te duur en mijn fiets is kapot (deelnemer {me})"
        reply = await self.answer(api.send_text(me, words), "holds-back", None, words)
        for label in ("button_themes_right", "button_themes_done"):
            if self.survey.text(label, "nl") in reply.labels():
                reply = await self.step(api.press(me, reply, self.survey.text(label, "nl")))
        assert "niet welkom" in reply.text, holds_back.text
        would_help = await self.answer(
            api.press(me, reply, "Nee, nooit"), "not-welcome", "never", None
        )
        idea = f"een busje dat 's avonds rijdt ({me})"
        thanks = await self.answer(api.send_text(me, idea), "would-help", None, idea)
        assert thanks.text == self.survey.text("thanks", "nl"), would_help.text
        done = await self.step(api.press(me, thanks, "Ja, graag"))
        assert done.text == self.survey.text("opt_in_yes", "nl")


async def test_postgres_stopped_10s_mid_burst_holds_updates_and_loses_nothing(
    api: FakeBotApi, own_postgres: PostgresServer, tmp_path: Path, survey: Survey
) -> None:
    with contextlib.closing(
        Database(own_postgres.url).engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    ) as admin:
        admin.execute(text("CREATE DATABASE jeugdstem"))
    url = make_url(own_postgres.url).set(database="jeugdstem").render_as_string(False)
    db = Database(url)
    db.migrate()
    # Seeded, so a failure can be replayed (think times only; nothing secret).
    rng = random.Random(7)  # noqa: S311
    walkers = [
        Walker(api, survey, 5565000 + i, random.Random(rng.random()))  # noqa: S311
        for i in range(BURST)
    ]

    async def arrive(walker: Walker) -> None:
        await asyncio.sleep(rng.uniform(0, ARRIVALS_OVER))
        await walker.walk()

    async with running_bot(api, url, tmp_path / "bot.log") as bot:
        burst = [asyncio.create_task(arrive(w)) for w in walkers]
        await asyncio.sleep(STOP_AFTER)
        await asyncio.to_thread(own_postgres.stop)
        down_at = time.monotonic()
        acknowledged_before = sum(len(w.acknowledged) for w in walkers)
        await asyncio.sleep(OUTAGE_SECONDS)
        await asyncio.to_thread(own_postgres.start_again)
        outage = time.monotonic() - down_at
        await asyncio.gather(*burst)

        # Still the same process, answering a newcomer at once.
        newcomer = Youngster(api, 5565999)
        started = time.monotonic()
        welcome = await newcomer.command("/start")
        assert welcome.text == survey.text("welcome", "nl")
        assert time.monotonic() - started < 5.0
        assert bot.alive

    # The outage hit the burst: answers were acknowledged before it, and people were held.
    assert outage >= OUTAGE_SECONDS
    assert 0 < acknowledged_before < 6 * BURST
    held = [w for w in walkers if max(w.waits) >= OUTAGE_SECONDS / 2]
    assert len(held) >= BURST // 2, [round(max(w.waits), 1) for w in walkers]

    lost, duplicated = 0, 0
    with db.transaction() as session:
        for walker in walkers:
            stored = [
                (a.question_id, a.button_value, a.text)
                for a in repo.answers_of(session, Youngster(api, walker.id).pseudonym)
            ]
            assert len(walker.acknowledged) == 6
            lost += sum(1 for answer in walker.acknowledged if answer not in stored)
            duplicated += len(stored) - len(set(stored))
            assert stored == walker.acknowledged, walker.id
        steps = session.scalars(select(Conversation.step)).all()
        participants = session.scalar(select(func.count(Participant.id)))
        connections = session.scalar(
            text("SELECT count(*) FROM pg_stat_activity WHERE datname = 'jeugdstem'")
        )
    db.dispose()
    assert (lost, duplicated) == (0, 0)
    assert participants == BURST and sorted(steps) == ["done"] * BURST
    # Our own connection included: the bot's pool stayed within its bounds (4 + 5 overflow).
    assert connections is not None and connections <= 10

    logs = bot.logs()
    assert len(events(logs, "bot_started")) == 1
    assert events(logs, "database_unavailable"), "the outage never reached the bot"
    assert events(logs, "update_failed") == []
    print(
        f"db outage: {outage:.1f} s, {BURST} participants, {6 * BURST} answers "
        f"({acknowledged_before} acknowledged before the stop), lost {lost}, "
        f"duplicated {duplicated}, held {len(held)}, "
        f"longest wait {max(max(w.waits) for w in walkers):.1f} s"
    )


# -- the Rasa server is down or never answers ------------------------------------------------


@contextlib.asynccontextmanager
async def stalling_server() -> AsyncIterator[int]:
    """A port that accepts connections and reads requests but never answers; yields the port."""
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        with contextlib.suppress(ConnectionError):
            await reader.read()  # until the client gives up

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


@pytest.mark.parametrize("rasa", ["refused", "stalled"])
async def test_nlu_outage_keeps_the_conversation_going_and_reclassify_catches_up(
    api: FakeBotApi, sqlite_url: str, tmp_path: Path, survey: Survey, rasa: str
) -> None:
    texts = [
        "het lidgeld is veel te duur voor ons",
        "ik voel me daar niet welkom",
        "een busje dat 's avonds rijdt",
    ]
    async with contextlib.AsyncExitStack() as stack:
        port = (
            free_port() if rasa == "refused" else await stack.enter_async_context(stalling_server())
        )
        config = write_test_config(
            tmp_path,
            backend="rasa",
            rasa={"url": f"http://127.0.0.1:{port}"},
            model_dir=str(shared_models()),  # the distress model: trained once, not here
        )
        bot = await stack.enter_async_context(
            running_bot(api, sqlite_url, tmp_path / "bot.log", JEUGDSTEM_CONFIG=str(config))
        )
        person = Youngster(api, 5566001)
        await person.consent_and_skip_the_profile()
        prompts, waits = [], []
        for words in texts:
            started = time.monotonic()
            prompts.append((await person.say(words)).text)
            waits.append(time.monotonic() - started)

    # No theme step without a prediction: straight on to the next question.
    assert prompts[0].startswith("(5/6)") and prompts[1].startswith("(6/6)")
    assert prompts[2] == survey.text("thanks", "nl")
    # The budget is nlu.timeout_seconds (1 s); the margin is for a busy 2-core machine.
    assert max(waits) < 3.0, waits
    assert len(events(bot.logs(), "nlu.unavailable")) == len(texts)

    database = Database(sqlite_url)
    try:
        with database.transaction() as session:
            assert repo.count_to_classify(session) == len(texts)
        result = await asyncio.to_thread(
            run_jeugdstem,
            sqlite_url,
            "nlu",
            "reclassify",
            "--backend",
            "builtin",
            config=config,
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        assert f"classified {len(texts)} answers with builtin-" in result.stderr
        with database.transaction() as session:
            assert repo.count_to_classify(session) == 0
            answers = repo.answers_of(session, person.pseudonym)
    finally:
        database.dispose()
    classified = {a.text: a for a in answers if a.text is not None}
    assert set(classified) == set(texts)
    assert all(a.classified_at is not None for a in classified.values())
    assert all((a.model_version or "").startswith("builtin-") for a in classified.values())
    assert "cost" in (classified[texts[0]].themes or [])
    print(
        f"nlu {rasa}: {len(texts)} answers, waits {[round(w, 2) for w in waits]} s, "
        f"reclassified {len(texts)}"
    )
