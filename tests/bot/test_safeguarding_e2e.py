"""End to end safeguarding: helplines, staff alerts and flood control in the real bot process.

The real `jeugdstem run` talks to the fake Bot API server with a staff chat
configured (JEUGDSTEM_STAFF_CHAT_ID). Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Database
from storage import repository as repo
from survey.config import Survey
from tests.support.bot_process import BotProcess, bot_environment
from tests.support.fake_bot_api import FakeBotApi
from tests.support.secrets import E2E_SECRET
from tests.support.youngster import Youngster

pytestmark = pytest.mark.e2e

STAFF_CHAT = -1_001_234_567
SELF_HARM = "ik wil niet meer leven, niemand zou me missen"
ABUSE_WITH_PHONE = "mijn vader slaat me, bel me op 0470 12 34 56"


@pytest.fixture
async def bot(api: FakeBotApi, database_url: str, tmp_path: Path) -> AsyncIterator[BotProcess]:
    """The bot with a staff chat for distress alerts."""
    environment = bot_environment(
        api, database_url, E2E_SECRET, JEUGDSTEM_STAFF_CHAT_ID=str(STAFF_CHAT)
    )
    process = BotProcess(environment, tmp_path / "bot.log")
    await process.start()
    await api.wait_for_polling()
    yield process
    if process.alive:
        assert await process.stop() == 0, process.logs()


async def test_distress_gets_helplines_first_and_alerts_staff_without_identity(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """Helplines come first; staff see the short pseudonym and redacted text, never the id."""
    person = Youngster(api, 7_300_001)
    at_open_question = await person.consent_and_skip_the_profile()
    assert at_open_question.text.startswith("(4/6)")

    await api.send_text(person.id, SELF_HARM)
    helplines, next_question = await api.next_messages(person.id, 2)
    assert helplines.text == survey.text("distress_self_harm", "nl")
    assert "102" in helplines.text and "1813" in helplines.text
    assert next_question.text.startswith("(5/6)")  # no theme quiz after distress

    alert = await api.next_message(STAFF_CHAT)
    assert person.pseudonym[:12] in alert.text
    assert person.pseudonym not in alert.text  # the short form only
    assert str(person.id) not in alert.text
    assert "Lotte" not in alert.text and f"lotte_{person.id}" not in alert.text
    assert "self_harm" in alert.text
    assert SELF_HARM in alert.text  # nothing to redact in it

    await api.send_text(person.id, ABUSE_WITH_PHONE)
    helplines, _ = await api.next_messages(person.id, 2)
    assert helplines.text == survey.text("distress_abuse", "nl")
    alert = await api.next_message(STAFF_CHAT)
    assert "[telefoon]" in alert.text
    assert "0470" not in alert.text and "12 34 56" not in alert.text
    assert "mijn vader slaat me" in alert.text
    assert person.pseudonym[:12] in alert.text and str(person.id) not in alert.text
    assert await api.quiet(STAFF_CHAT) == []  # one alert per message

    with db.transaction() as session:
        answers = repo.answers_of(session, person.pseudonym)
    stored = [(a.question_id, a.text, a.distress) for a in answers if a.text is not None]
    assert stored == [("holds-back", SELF_HARM, True), ("not-welcome", ABUSE_WITH_PHONE, True)]

    assert await bot.stop() == 0
    logs = bot.logs()
    assert '"distress": true' in logs
    for secret in (
        str(person.id),
        "niet meer leven",
        "missen",
        "slaat",
        "0470",
        "12 34 56",
        "Lotte",
    ):
        assert secret not in logs, f"{secret!r} leaked into the logs"


async def test_a_flood_is_slowed_down_once_and_every_text_is_still_handled(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """25 quick texts: one slow_down, 25 replies, 25 stored; someone else is not held up."""
    anna, bilal = Youngster(api, 7_300_011), Youngster(api, 7_300_012)
    await anna.consent_and_skip_the_profile()
    await anna.tap("Niks, ik doe wat ik wil")
    would_help = await anna.tap("Nee, nooit")
    assert would_help.text.startswith("(6/6)")

    words = [f"idee {n}: meer plekken om te chillen" for n in range(1, 26)]
    for text in words:
        await api.send_text(anna.id, text)
    await api.send_command(bilal.id, "/start")
    bilal_welcome = await bilal.read()
    assert bilal_welcome.text == survey.text("welcome", "nl")

    received = await api.next_messages(anna.id, len(words) + 1, timeout=60)
    slow_down = survey.text("slow_down", "nl")
    thanks = survey.text("thanks", "nl")
    assert [m.text for m in received].count(slow_down) == 1
    assert [m.text for m in received if m.text != slow_down] == [thanks] * len(words)
    assert await api.quiet(anna.id, 1.0) == []
    # Bilal was answered while Anna's backlog was still being paced.
    assert bilal_welcome.sent_at < received[-1].sent_at
    assert api.sent[STAFF_CHAT] == []

    with db.transaction() as session:
        answers = repo.answers_of(session, anna.pseudonym)
    kept = [(a.question_id, a.text) for a in answers if a.text is not None]
    assert kept == [("would-help", words[0]), *[("extra", text) for text in words[1:]]]

    assert await bot.stop() == 0
    logs = bot.logs()
    assert "plekken om te chillen" not in logs
    assert str(anna.id) not in logs and str(bilal.id) not in logs
