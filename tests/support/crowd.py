"""A crowd of simulated young people taking the survey through the fake Bot API, for fault tests.

Each :class:`Player` reacts to what the bot last showed it (welcome, a question,
a theme check, the opt-in), one update at a time, and records every answer it
sent and whether it was acknowledged, i.e. whether the next step arrived. When
no reply comes (the bot was killed), it resynchronises the way a young person
would: ``/start``, which shows where the conversation stands. It only does so
once no earlier update of its own can still produce a reply, so a late reply
is never mistaken for the answer to ``/start``; :class:`CrowdApi` knows which
bot process confirmed each update (``getUpdates`` offset) and which processes
are dead.

The test then checks the records against the database (:func:`verify`).
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from aiohttp import ClientSession
from sqlalchemy import select

from privacy.identity import Pseudonymizer
from storage import Answer, Conversation, Database, Participant, Participation
from survey.config import Question, Survey
from tests.support.fake_bot_api import FakeBotApi, SentMessage
from tests.support.models import shared_models
from tests.support.paths import REPO

# After the live bot process confirmed an update, this long without a reply means
# none will come (a redelivered update it already handled is answered with silence).
LIVE_SETTLE_SECONDS = 6.0
_PROGRESS = re.compile(r"\((\d+)/(\d+)\) ")


class CrowdApi(FakeBotApi):
    """The fake Bot API, plus which bot process confirmed each update, and webhook routing."""

    def __init__(self) -> None:
        super().__init__()
        # Bot processes are numbered; the test bumps the number for each (re)start.
        self.generation = 0
        self.dead: set[int] = set()
        self.confirmed: dict[int, tuple[int, float]] = {}
        self._unconfirmed: set[int] = set()
        self._unconfirmed_at = 0.0
        # Webhook mode with several workers: where each participant's next update goes.
        self.worker_urls: list[str] = []
        self.route: Callable[[int], int] | None = None
        self._posts: Counter[int] = Counter()
        # "now": every update is delivered twice at once; "later": again half a second on.
        self.duplicate_every_update: str | None = None
        self._copies: set[asyncio.Task[None]] = set()

    async def deliver(self, update: dict[str, Any]) -> dict[str, Any]:
        update = await super().deliver(update)
        if self.duplicate_every_update == "now":
            await self.redeliver(update)
        elif self.duplicate_every_update == "later":
            copy = asyncio.create_task(self._deliver_again(update, 0.5))
            self._copies.add(copy)
            copy.add_done_callback(self._copies.discard)
        return update

    async def _deliver_again(self, update: dict[str, Any], delay: float) -> None:
        await asyncio.sleep(delay)
        await self.redeliver(update)

    def copies_pending(self) -> int:
        """Copies not yet handed to the bot."""
        return len(self._copies) + len(self._forced)

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        now = time.monotonic()
        for update in self._pending:
            if update["update_id"] < offset:
                self.confirmed.setdefault(update["update_id"], (self.generation, now))
        return await super()._api_getUpdates(params)

    def text_update(self, user_id: int, text: str) -> dict[str, Any]:
        """A text message as an update, not yet delivered (to deliver it twice, or at once)."""
        return {"update_id": next(self._update_ids), "message": self._message(user_id, text=text)}

    def press_update(self, user_id: int, message: SentMessage, label: str) -> dict[str, Any]:
        """A button press as an update, not yet delivered."""
        query = self.callback_query(user_id, message, message.button(label)["callback_data"])
        return {"update_id": next(self._update_ids), "callback_query": query}

    def unconfirmed(self) -> int:
        """Updates sent and not yet confirmed: a bot killed now leaves them to the next one."""
        return len(self._pending) + len(self._forced)

    def bot_died(self) -> None:
        """The current bot process is gone: nothing it confirmed can still be answered."""
        self.dead.add(self.generation)

    def settled(self, update_id: int) -> bool:
        """Whether this update can no longer produce a reply."""
        now = time.monotonic()
        if now - self._unconfirmed_at > 0.1:
            # Hundreds of players ask several times a second: look at the queue once.
            self._unconfirmed = {u["update_id"] for u in self._pending + self._forced}
            self._unconfirmed_at = now
        if update_id in self._unconfirmed:
            return False
        generation, at = self.confirmed.get(update_id, (self.generation, time.monotonic()))
        return generation in self.dead or time.monotonic() - at > LIVE_SETTLE_SECONDS

    async def _post_to_webhook(self, update: dict[str, Any]) -> None:
        await self._post(update)
        # A webhook's 200 confirms the update, as a later getUpdates offset does.
        self.confirmed.setdefault(update["update_id"], (self.generation, time.monotonic()))

    async def post_to(self, worker: int, update: dict[str, Any]) -> None:
        """POST an update to one webhook worker, whatever the routing says."""
        assert self.webhook is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook["secret_token"]}
        async with (
            ClientSession() as session,
            session.post(self.worker_urls[worker], json=update, headers=headers) as response,
        ):
            if response.status != 200:
                raise AssertionError(f"webhook answered {response.status}")

    async def _post(self, update: dict[str, Any]) -> None:
        if not self.worker_urls:
            await super()._post_to_webhook(update)
            return
        assert self.webhook is not None
        user = _user_of(update)
        turn = self._posts[user]
        self._posts[user] += 1
        index = self.route(turn) if self.route is not None else turn % len(self.worker_urls)
        await self.post_to(index, update)


def _user_of(update: dict[str, Any]) -> int:
    for key in ("message", "edited_message", "callback_query"):
        if key in update:
            return int(update[key]["from"]["id"])
    raise ValueError("update without a sender")


@dataclass
class Attempt:
    """One answer a player sent, and what the database should hold for it."""

    question_id: str
    update_id: int
    button_value: str | None = None
    text: str | None = None
    skipped: bool = False
    acknowledged: bool = False


@dataclass
class Stats:
    """What happened to the crowd, for the report and the assertions."""

    updates: int = 0
    resyncs: int = 0
    # Resynchronisations that showed the step the player had just answered: the
    # answer never took effect (the bot died holding it) and is sent again.
    redone: int = 0
    # Resynchronisations that showed a step the conversation could not be at.
    wrong_resumes: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)


class Timeout(Exception):
    """No reply in time."""


class Player:
    """One young person, playing the whole survey once, on their own.

    Not a ``tests.support.youngster.Youngster``: that one follows a test's script and
    fails on the first missing reply, while a player picks its answers at random,
    records every update it sent for ``verify``, and survives a killed bot by
    resynchronising with ``/start``.
    """

    def __init__(
        self,
        crowd: Crowd,
        user_id: int,
        *,
        think: tuple[float, float] = (0.2, 1.5),
        reply_timeout: float = 10.0,
    ) -> None:
        self.crowd = crowd
        self.api = crowd.api
        self.survey = crowd.survey
        self.id = user_id
        self.rng = random.Random(user_id * 7919 + crowd.seed)  # noqa: S311 (seeded play)
        self.think = think
        self.reply_timeout = reply_timeout
        self.sent: list[int] = []
        self.attempts: list[Attempt] = []
        self.done = False
        self.opt_in: bool | None = None
        self.source = self.rng.choice(["bolwerk", "quindo", "ajko", None])
        self.ticks = self.rng.sample([o.id for o in self.question("free-time").options], 2)[
            : self.rng.randint(0, 2)
        ]
        self.consented = False
        self.step = -1  # index of the step the player is on (see Crowd.index)
        self.message: SentMessage | None = None
        self.last_open: Question | None = None

    def question(self, question_id: str) -> Question:
        question = self.survey.question(question_id)
        assert question is not None
        return question

    async def send(self, update: Any) -> dict[str, Any]:
        sent: dict[str, Any] = await update
        self.sent.append(sent["update_id"])
        self.crowd.stats.updates += 1
        return sent

    async def play(self) -> None:
        """Take the survey to the end, resynchronising after every silence."""
        prompt = await self.resync(first=True)
        while not self.done:
            await asyncio.sleep(self.rng.uniform(*self.think))
            try:
                prompt = await self.act(prompt)
            except Timeout:
                prompt = await self.resync()

    # -- acting on what the bot shows -----------------------------------------------------

    async def act(self, message: SentMessage) -> SentMessage:
        """Answer the step ``message`` shows; returns the next step's prompt."""
        _, kind = self.crowd.classify(message, self.last_open)
        if kind == "welcome":
            if self.consented and self.attempts and self.attempts[-1].question_id == "opt_in":
                # /start after the end shows the welcome again: the opt-in was stored.
                self.done = True
                return message
            return await self.answer(message, self.api.press(self.id, message, "Ik doe mee"))
        if kind == "opt_in":
            self.opt_in = self.rng.random() < 0.5
            label = self.survey.text(
                "button_opt_in_yes" if self.opt_in else "button_opt_in_no", "nl"
            )
            attempt = Attempt("opt_in", 0)
            return await self.answer(message, self.api.press(self.id, message, label), attempt)
        if kind == "check":
            right = self.survey.text("button_themes_right", "nl")
            return await self.answer(message, self.api.press(self.id, message, right))
        if kind == "pick":
            done = self.survey.text("button_themes_done", "nl")
            return await self.answer(message, self.api.press(self.id, message, done))
        question = self.question(kind[2:])
        return await self.answer_question(question, message)

    async def answer_question(self, question: Question, message: SentMessage) -> SentMessage:
        roll = self.rng.random()
        if question.type == "age_band":
            band = self.rng.choice([b for b in self.survey.age_bands if b.id in self.crowd.adults])
            if roll < 0.3:
                years = self.rng.randint(band.min_age or 13, band.max_age or 25)
                text = f"ik ben {years}"
                attempt = Attempt(question.id, 0, band.id, text)
                return await self.answer(message, self.api.send_text(self.id, text), attempt)
            attempt = Attempt(question.id, 0, band.id)
            press = self.api.press(self.id, message, band.label["nl"])
            return await self.answer(message, press, attempt)
        if question.type == "single_choice":
            option = self.rng.choice(question.options)
            if roll < 0.3:
                text = option.label["nl"].lower()
                attempt = Attempt(question.id, 0, option.id, text)
                return await self.answer(message, self.api.send_text(self.id, text), attempt)
            attempt = Attempt(question.id, 0, option.id)
            press = self.api.press(self.id, message, option.label["nl"])
            return await self.answer(message, press, attempt)
        if question.type == "multi_choice":
            labels = {o.id: o.label["nl"] for o in question.options}
            for tick in self.ticks:
                if f"✅ {labels[tick]}" not in message.labels():
                    await self.tick(message, labels[tick])
            attempt = Attempt(question.id, 0, ",".join(self.ticks) or None, skipped=not self.ticks)
            done = self.survey.text("button_done", "nl")
            return await self.answer(message, self.api.press(self.id, message, done), attempt)
        # An open question: own words mostly, sometimes a button or a skip.
        self.last_open = question
        if roll < 0.15 and question.skippable:
            attempt = Attempt(question.id, 0, skipped=True)
            skip = self.survey.text("button_skip", "nl")
            return await self.answer(message, self.api.press(self.id, message, skip), attempt)
        if roll < 0.3 and question.options:
            option = question.options[0]
            attempt = Attempt(question.id, 0, option.id)
            press = self.api.press(self.id, message, option.label["nl"])
            return await self.answer(message, press, attempt)
        number = len(self.attempts) + 1
        text = f"{self.rng.choice(OPEN_ANSWERS)} (deelnemer {self.id}, poging {number})"
        attempt = Attempt(question.id, 0, text=text)
        return await self.answer(message, self.api.send_text(self.id, text), attempt)

    async def answer(
        self, message: SentMessage, update: Any, attempt: Attempt | None = None
    ) -> SentMessage:
        """Send one update and wait for a prompt of a later step (the acknowledgement)."""
        index, kind = self.crowd.classify(message, self.last_open)
        self.step = index
        started = time.monotonic()
        sent = await self.send(update)
        if attempt is not None:
            attempt.update_id = sent["update_id"]
            self.attempts.append(attempt)
        if kind == "welcome":
            self.consented = True  # as far as the player knows; a resync will tell
        deadline = started + self.reply_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout
            try:
                reply = await self.api.next_message(self.id, remaining)
            except TimeoutError:
                raise Timeout from None
            later, _ = self.crowd.classify(reply, self.last_open)
            if later > index:
                self.crowd.stats.latencies.append(time.monotonic() - started)
                if attempt is not None:
                    attempt.acknowledged = True
                if later == self.crowd.done_index:
                    self.done = True
                self.step = later
                return reply
            # Anything else (an older prompt repeated, "resumed") is not the answer to this.

    async def tick(self, message: SentMessage, label: str) -> None:
        """Tick a multiple-choice option; the bot edits the question in place."""
        started = time.monotonic()
        await self.send(self.api.press(self.id, message, label))
        try:
            await self.api.wait_until(
                lambda: f"✅ {label}" in message.labels(), self.reply_timeout, self.id
            )
        except TimeoutError:
            raise Timeout from None
        self.crowd.stats.latencies.append(time.monotonic() - started)
        await asyncio.sleep(self.rng.uniform(*self.think) / 2)

    # -- resynchronising after a silence ----------------------------------------------------

    async def resync(self, *, first: bool = False) -> SentMessage:
        """Once no earlier update can still be answered, /start and take the step it shows."""
        while True:
            while self.sent:
                # Once settled, always settled: only the rest is asked again.
                self.sent = [u for u in self.sent if not self.api.settled(u)]
                if self.sent:
                    await asyncio.sleep(0.3)
            # Whatever arrived so far is history: /start tells where things stand.
            while self.api.unread(self.id):
                await self.api.next_message(self.id, 0.1)
            if not first:
                self.crowd.stats.resyncs += 1
            code = f" {self.source}" if first and self.source else ""
            await self.send(self.api.send_command(self.id, f"/start{code}"))
            try:
                prompt = await self.first_prompt()
            except Timeout:
                continue
            if not first:
                self.check_resume(prompt)
            return prompt

    async def first_prompt(self) -> SentMessage:
        deadline = time.monotonic() + self.reply_timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout
            try:
                reply = await self.api.next_message(self.id, remaining)
            except TimeoutError:
                raise Timeout from None
            index, _ = self.crowd.classify(reply, self.last_open)
            if index >= 0:
                return reply

    def check_resume(self, prompt: SentMessage) -> None:
        """The conversation must be where the player was, or one answer further."""
        index, kind = self.crowd.classify(prompt, self.last_open)
        if kind == "welcome" and self.consented:
            # Consent lost with the bot, or (after the opt-in) the survey is over.
            if self.attempts and self.attempts[-1].question_id == "opt_in":
                return
            if self.step == 0:
                return
        elif self.step <= index <= self.crowd.next_question_index(self.step):
            if index == self.step:
                self.crowd.stats.redone += 1
            return
        self.crowd.stats.wrong_resumes.append(
            f"{self.id}: was at step {self.step}, /start showed {kind} ({index})"
        )


OPEN_ANSWERS = [
    "te duur en de bus rijdt nie 's avonds",
    "ik heb geen tijd door school",
    "op de training lachten ze met mijn taal",
    "mijn ouders willen het niet",
    "ik ken daar niemand",
    "goedkopere kampen en een busje",
    "ik weet niet waar ik info vind",
]


class Crowd:
    """Many players against one fake Bot API, with the survey to recognise each step."""

    def __init__(self, api: CrowdApi, survey: Survey, *, seed: int = 0) -> None:
        self.api = api
        self.survey = survey
        self.seed = seed
        self.stats = Stats()
        self.players: list[Player] = []
        self.adults = ["13-15", "16-18", "19-21", "22-25"]
        questions = len(survey.questions)
        self.opt_in_index = 1 + 2 * questions
        self.done_index = self.opt_in_index + 1
        self._check = survey.messages["themes_check"]["nl"].split("{")[0]
        self._question_ids = [q.id for q in survey.questions]

    def classify(self, message: SentMessage, last_open: Question | None) -> tuple[int, str]:
        """(step index, step) of a prompt, or (-1, "") for anything that is not one.

        Steps run welcome (0), question i (1 + 2i), its theme step (2 + 2i), opt-in, done.
        """
        text = message.text
        nl = self.survey.messages
        if text == nl["welcome"]["nl"]:
            return 0, "welcome"
        found = _PROGRESS.match(text)
        if found:
            number = int(found[1]) - 1
            return 1 + 2 * number, f"q:{self._question_ids[number]}"
        if last_open is not None and (
            text.startswith(self._check) or text == nl["themes_pick"]["nl"]
        ):
            kind = "check" if text.startswith(self._check) else "pick"
            return 2 + 2 * self._question_ids.index(last_open.id), kind
        if text == nl["thanks"]["nl"]:
            return self.opt_in_index, "opt_in"
        if text in (nl["opt_in_yes"]["nl"], nl["opt_in_no"]["nl"]):
            return self.done_index, "done"
        return -1, ""

    def next_question_index(self, index: int) -> int:
        """The index of the step after the question (or theme step) at ``index``."""
        if index <= 0:
            return 1
        return index + 2 if index % 2 else index + 1

    def add(self, user_id: int, **options: Any) -> Player:
        player = Player(self, user_id, **options)
        self.players.append(player)
        return player


@dataclass
class Verdict:
    """What the database holds compared with what the players were told."""

    participants: int = 0
    answers_sent: int = 0
    acknowledged: int = 0
    stored: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)


def verify(database: Database, players: list[Player], secret: bytes) -> Verdict:
    """Check every player's answers against the database.

    Each acknowledged answer is stored exactly once; each question has exactly
    one answer row (players never send words where a button is expected), equal
    to the player's last attempt at it; every player finished, opt-in stored.
    """
    pseudonyms = Pseudonymizer(secret)
    verdict = Verdict(participants=len(players))
    with database.transaction() as session:
        for player in players:
            pseudonym = pseudonyms.telegram(player.id)
            participant = session.scalars(
                select(Participant).where(Participant.pseudonym == pseudonym)
            ).one_or_none()
            if participant is None:
                verdict.unfinished.append(f"{player.id}: no participant")
                continue
            participations = session.scalars(
                select(Participation).where(Participation.participant_id == participant.id)
            ).all()
            conversation = session.get(Conversation, participant.id)
            rows = session.scalars(
                select(Answer)
                .join(Participation)
                .where(Participation.participant_id == participant.id)
                .order_by(Answer.id)
            ).all()
            verdict.stored += len(rows)
            by_question: dict[str, list[Answer]] = defaultdict(list)
            for row in rows:
                by_question[row.question_id].append(row)
            attempts = [a for a in player.attempts if a.question_id != "opt_in"]
            verdict.answers_sent += len(attempts)
            last: dict[str, Attempt] = {}
            for attempt in attempts:
                last[attempt.question_id] = attempt
                if attempt.acknowledged:
                    verdict.acknowledged += 1
                    matching = [r for r in by_question[attempt.question_id] if _same(r, attempt)]
                    if not matching:
                        verdict.lost.append(f"{player.id}: {attempt}")
                    elif len(matching) > 1:
                        verdict.duplicated.append(f"{player.id}: {attempt}")
            for question_id, stored in by_question.items():
                if len(stored) > 1:
                    verdict.duplicated.append(f"{player.id}: {len(stored)} rows for {question_id}")
                if question_id not in last or not _same(stored[-1], last[question_id]):
                    verdict.unexpected.append(f"{player.id}: stored {question_id} not as sent")
            finished = (
                len(participations) == 1
                and conversation is not None
                and conversation.step == "done"
                and participations[0].finished_at is not None
                and participant.notify_opt_in == bool(player.opt_in)
                and set(by_question) == {q.id for q in player.survey.questions}
            )
            if not finished:
                step = conversation.step if conversation is not None else None
                verdict.unfinished.append(f"{player.id}: at {step}, {len(participations)} runs")
    return verdict


def _same(row: Answer, attempt: Attempt) -> bool:
    """Whether a stored answer is the one attempted (ticked options compare as a set)."""
    ticked = set((row.button_value or "").split(","))
    return (
        ticked == set((attempt.button_value or "").split(","))
        and row.text == attempt.text
        and bool(row.skipped) == attempt.skipped
    )


def crowd_config(folder: Path, model_dir: Path | None = None) -> Path:
    """config.yml with Telegram's outgoing rate limit off (the fake server has none) and
    the NLU models in ``model_dir`` (default: the shared, trained ones)."""
    data = yaml.safe_load((REPO / "config.yml").read_text(encoding="utf-8"))
    data["telegram"]["rate_limit"]["overall_max_rate"] = 0  # 0 switches the limiter off
    nlu = data.setdefault("nlu", {})
    nlu["model_dir"] = str(model_dir or shared_models())
    rasa = nlu.setdefault("rasa", {})
    rasa["pipeline"] = str(REPO / rasa.get("pipeline", "nlu/rasa/config.yml"))
    rasa["executable"] = str(REPO / rasa.get("executable", ".venv-rasa/bin/rasa"))
    path = folder / "config.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
