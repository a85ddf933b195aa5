"""End to end offers: the real `jeugdstem run` with an offers.yml, over the fake Bot API.

A young person confirms a barrier and gets the offer that answers it (never the
one whose dates have passed), taps Interessant (stored), and is not shown it
again. Another, who wrote an alarm earlier in the round, is offered nothing.
Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from storage import Database, OfferShown, Participant
from survey.config import Survey
from tests.support.bot_process import BotProcess, bot_environment
from tests.support.crowd import crowd_config
from tests.support.fake_bot_api import FakeBotApi, SentMessage
from tests.support.secrets import E2E_SECRET
from tests.support.youngster import Youngster

pytestmark = pytest.mark.e2e

TOO_EXPENSIVE = "het lidgeld is veel te duur, mijn ouders kunnen dat niet betalen"
ALARM = "ik wil niet meer leven, niemand zou me missen"


def offer(offer_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": offer_id,
        "title": {"nl": f"Titel {offer_id}", "en": f"Title {offer_id}", "fr": f"Titre {offer_id}"},
        "partner": "Bolwerk",
        "text": {"nl": "Kom eens langs.", "en": "Come along.", "fr": "Passe nous voir."},
        "themes": ["cost"],
        "link": f"https://example.org/{offer_id}",
        **extra,
    }


OFFERS = {
    "offers": [
        offer("kansentarief"),
        offer("voorbij", ends="2020-06-30"),  # long over: never shown
        offer("nog-voorbeeld", themes=["space"], example=True),  # the start-up warns
    ]
}


@pytest.fixture
async def bot(api: FakeBotApi, database_url: str, tmp_path: Path) -> AsyncIterator[BotProcess]:
    config = crowd_config(tmp_path)
    (tmp_path / "offers.yml").write_text(yaml.safe_dump(OFFERS), encoding="utf-8")
    environment = bot_environment(api, database_url, E2E_SECRET, JEUGDSTEM_CONFIG=str(config))
    process = BotProcess(environment, tmp_path / "bot.log")
    await process.start()
    await api.wait_for_polling()
    yield process
    assert await process.stop() == 0, process.logs()


async def confirm_cost(person: Youngster, survey: Survey, reply: SentMessage) -> SentMessage:
    """Get through the theme step with cost among the themes; the bot's next message."""
    if reply.text == survey.text("themes_pick", "nl"):
        cost = survey.theme("cost")
        assert cost is not None
        await person.tick(cost.words["nl"], reply)
        return await person.tap(survey.text("button_themes_done", "nl"), reply)
    assert reply.text.startswith(survey.messages["themes_check"]["nl"].split("{")[0]), reply.text
    return await person.tap(survey.text("button_themes_right", "nl"), reply)


def rows_of(db: Database, pseudonym: str) -> list[tuple[str, list[str], bool]]:
    with db.transaction() as session:
        query = (
            select(OfferShown)
            .join(Participant, Participant.id == OfferShown.participant_id)
            .where(Participant.pseudonym == pseudonym)
        )
        return [(r.offer_id, r.themes, r.tapped_at is not None) for r in session.scalars(query)]


async def test_an_offer_after_a_confirmed_barrier_tapped_once_and_never_again(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    person = Youngster(api, 71_001)
    await person.consent_and_skip_the_profile()
    theme_step = await person.say(TOO_EXPENSIVE)

    offers = await confirm_cost(person, survey, theme_step)
    assert offers.text.startswith(survey.text("offers_intro", "nl"))
    assert "Titel kansentarief (Bolwerk)" in offers.text
    assert "https://example.org/kansentarief" in offers.text
    assert "voorbij" not in offers.text
    assert offers.labels() == [
        survey.text("button_offer", "nl", title="Titel kansentarief"),
    ]
    next_question = await person.read()
    assert "(5/6)" in next_question.text

    tap = await api.press(person.id, offers, "Interessant")
    assert await api.answer_to(tap) == survey.text("offer_tapped", "nl")
    assert rows_of(db, person.pseudonym) == [("kansentarief", ["cost"], True)]

    # The same barrier at the next question: no offer again, straight to the next question.
    after = await confirm_cost(person, survey, await person.say(TOO_EXPENSIVE))
    assert not after.text.startswith(survey.text("offers_intro", "nl"))
    assert "(6/6)" in after.text
    assert await api.quiet(person.id) == []
    assert len(rows_of(db, person.pseudonym)) == 1

    # The example left in offers.yml was named at start-up; no young person's words in the log.
    events = [json.loads(line) for line in bot.logs().splitlines() if line.startswith("{")]
    assert any(e.get("event") == "offers_are_examples" and e["examples"] == 1 for e in events)
    assert TOO_EXPENSIVE not in bot.logs()


async def test_no_offer_after_an_alarm_in_the_same_round(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    person = Youngster(api, 71_002)
    await person.consent_and_skip_the_profile()
    await api.send_text(person.id, ALARM)
    helplines, paused = await api.next_messages(person.id, 2)
    assert "112" in helplines.text
    assert survey.text("button_resume", "nl") in paused.labels()
    await api.press(person.id, paused, survey.text("button_resume", "nl"))
    await api.next_messages(person.id, 2)  # "Welkom terug" and the question again

    # The open question was answered by the alarm; the next one names cost.
    after = await confirm_cost(person, survey, await person.say(TOO_EXPENSIVE))
    assert not after.text.startswith(survey.text("offers_intro", "nl"))
    assert await api.quiet(person.id) == []
    assert rows_of(db, person.pseudonym) == []
