"""One young person on Telegram, played by a test or a benchmark through the fake Bot API.

``Youngster`` follows a script: each call sends one update and reads the bot's
reply. ``tests/support/crowd.py``'s ``Player`` is the other simulated
participant: it decides for itself, at random, and resynchronises after a
silence, which a scripted walk must not do (see its docstring).
"""

from __future__ import annotations

from privacy.identity import Pseudonymizer
from survey.config import Survey
from tests.support.fake_bot_api import FakeBotApi, SentMessage
from tests.support.secrets import E2E_SECRET

PSEUDONYMS = Pseudonymizer(E2E_SECRET.encode())


class Youngster:
    """One young person on Telegram, as the fake server lets a test play them."""

    def __init__(self, api: FakeBotApi, user_id: int, *, reply_timeout: float = 15.0) -> None:
        self.api = api
        self.id = user_id
        self.reply_timeout = reply_timeout
        self.last: SentMessage | None = None

    @property
    def pseudonym(self) -> str:
        """The pseudonym of a bot process started with ``E2E_SECRET``."""
        return PSEUDONYMS.telegram(self.id)

    async def read(self) -> SentMessage:
        self.last = await self.api.next_message(self.id, self.reply_timeout)
        return self.last

    async def command(self, text: str) -> SentMessage:
        await self.api.send_command(self.id, text)
        return await self.read()

    async def say(self, text: str) -> SentMessage:
        await self.api.send_text(self.id, text)
        return await self.read()

    async def tap(self, label: str, message: SentMessage | None = None) -> SentMessage:
        """Tap a button of ``message`` (by default the last one read) and read the reply."""
        shown = message if message is not None else self.last
        assert shown is not None
        await self.api.press(self.id, shown, label)
        return await self.read()

    async def tick(self, label: str, message: SentMessage | None = None) -> None:
        """Tick an option of a multiple-choice question: the bot edits it, sends nothing new."""
        shown = message if message is not None else self.last
        assert shown is not None
        edits = shown.edits
        await self.api.press(self.id, shown, label)
        await self.api.wait_until(lambda: shown.edits > edits, self.reply_timeout, self.id)

    async def answer_in_own_words(self, survey: Survey, text: str) -> SentMessage:
        """Answer an open question and get through the theme step if the bot asks one."""
        return await self.through_theme_step(survey, await self.say(text))

    async def through_theme_step(self, survey: Survey, reply: SentMessage) -> SentMessage:
        """Confirm (Klopt) or close (Klaar) the theme step if ``reply`` is one; else ``reply``."""
        self.last = reply
        check = survey.messages["themes_check"]["nl"].split("{")[0]
        if reply.text.startswith(check):
            assert reply.labels() == [
                survey.text("button_themes_right", "nl"),
                survey.text("button_themes_wrong", "nl"),
            ]
            return await self.tap(survey.text("button_themes_right", "nl"))
        if reply.text == survey.text("themes_pick", "nl"):
            assert survey.text("button_themes_done", "nl") in reply.labels()
            return await self.tap(survey.text("button_themes_done", "nl"))
        return reply

    async def consent_and_skip_the_profile(self) -> SentMessage:
        """Start, consent and skip age, area and free time: the first open question."""
        await self.command("/start")
        await self.tap("Ik doe mee")
        for _ in range(3):
            await self.tap("Overslaan")
        assert self.last is not None
        return self.last
