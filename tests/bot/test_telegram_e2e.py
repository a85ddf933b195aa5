"""End to end: the real `jeugdstem run` process against the fake Bot API server.

Every test here runs on SQLite and on PostgreSQL (see the ``database_url``
fixture), plays young people through the Telegram protocol, and then checks
both what they saw and what ended up in the database.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import String, Text, select, text

from storage import Base, ChatLink, Database, Participant
from storage import repository as repo
from survey.config import Survey
from tests.support.bot_process import (
    BotProcess,
    bot_environment,
    wait_for_port,
    webhook_settings,
    webhook_url,
)
from tests.support.fake_bot_api import FakeBotApi
from tests.support.postgres import free_port
from tests.support.secrets import E2E_SECRET
from tests.support.youngster import Youngster

pytestmark = pytest.mark.e2e


@pytest.fixture
async def bot(api: FakeBotApi, database_url: str, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = BotProcess(bot_environment(api, database_url, E2E_SECRET), tmp_path / "bot.log")
    await process.start()
    await api.wait_for_polling()
    yield process
    if process.alive:
        assert await process.stop() == 0, process.logs()


async def finish_survey(person: Youngster, survey: Survey, *, code: str = "bolwerk") -> None:
    """Walk the whole shipped survey with a mix of buttons and free text."""
    welcome = await person.command(f"/start {code}")
    assert welcome.text == survey.text("welcome", "nl")
    assert "Ik doe mee" in " ".join(welcome.labels())
    age = await person.tap("Ik doe mee")
    assert survey.questions[0].text["nl"] in age.text
    area = await person.tap("16–18")
    # The answered question loses its buttons and shows the choice (the edit and the
    # next question travel side by side, so wait for the edit).
    await person.api.wait_until(lambda: welcome.buttons == [] and age.buttons == [])
    assert "→ 16–18" in age.text
    assert "Waar woon je?" in area.text
    free_time = await person.say("heule")
    await person.api.press(person.id, free_time, "sport")
    await person.api.press(person.id, free_time, "gamen")
    await person.api.wait_until(lambda: "✅ 🎮 gamen" in free_time.labels())
    holds_back = await person.tap("Klaar")
    assert "Wat houdt je tegen?" in holds_back.text
    not_welcome = await person.answer_in_own_words(survey, "te duur en ik heb gin fiets 🚲")
    assert "niet welkom" in not_welcome.text
    would_help = await person.tap("Nee, nooit")
    assert "makkelijker" in would_help.text
    thanks = await person.say("een busje dat 's avonds rijdt")
    assert thanks.text == survey.text("thanks", "nl")
    done = await person.tap("Ja, graag")
    assert done.text == survey.text("opt_in_yes", "nl")


async def test_full_survey_on_telegram_is_stored(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    person = Youngster(api, 5551001)
    await finish_survey(person, survey)

    with db.transaction() as session:
        answers = repo.answers_of(session, person.pseudonym)
        participations = repo.participations_of(session, person.pseudonym)
        participant = repo.find_participant(session, person.pseudonym)
        assert participant is not None
        link = session.get(ChatLink, participant.id)
    stored = [(a.question_id, a.button_value, a.text) for a in answers]
    assert stored == [
        ("age", "16-18", None),
        ("area", "heule", "heule"),
        ("free-time", "sport,gaming", None),
        ("holds-back", None, "te duur en ik heb gin fiets 🚲"),
        ("not-welcome", "never", None),
        ("would-help", None, "een busje dat 's avonds rijdt"),
    ]
    [participation] = participations
    assert (participation.source, participation.age_band, participation.area) == (
        "bolwerk",
        "16-18",
        "heule",
    )
    assert participation.finished_at is not None
    assert participant.notify_opt_in is True
    assert link is not None and link.chat_id == person.id

    # The command menu is published in every language.
    assert set(api.commands) == {None, "nl", "en", "fr"}
    assert [c["command"] for c in api.commands["nl"]] == [
        "start",
        "help",
        "praten",
        "privacy",
        "language",
        "stop",
        "mydata",
        "geenberichten",
        "delete",
    ]


async def test_nothing_identifying_is_stored_or_logged(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    person = Youngster(api, 5551002)
    await finish_survey(person, survey)
    await bot.stop()

    # Only chat_links may hold the Telegram id (to reply); nothing holds names.
    forbidden = ["Lotte", "Vandenberghe", f"lotte_{person.id}", str(person.id)]
    with db.transaction() as session:
        for table in Base.metadata.sorted_tables:
            if table.name == "chat_links":
                continue
            rows = session.execute(select(table)).all()
            for row in rows:
                for value in row:
                    for word in forbidden:
                        assert word not in str(value), f"{word!r} found in {table.name}"
        string_columns = [
            c.name
            for t in Base.metadata.sorted_tables
            for c in t.columns
            if isinstance(c.type, String | Text)
        ]
        assert not {"name", "username", "first_name", "phone"} & set(string_columns)

    logs = bot.logs()
    assert '"update_handled"' in logs and '"participant"' in logs
    for secret_thing in [*forbidden, "gin fiets", "busje", "heule", api.token]:
        assert secret_thing not in logs, f"{secret_thing!r} leaked into the logs"
    for line in logs.splitlines():
        if line.startswith("{"):
            event = json.loads(line)
            assert "text" not in event


async def test_two_participants_interleaved(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    anna, bilal = Youngster(api, 5552001), Youngster(api, 5552002)
    await anna.command("/start quindo")
    await bilal.command("/start ajko")
    await anna.tap("Ik doe mee")
    await bilal.tap("Ik doe mee")
    await bilal.tap("22–25")
    await anna.tap("13–15")
    await anna.tap("Marke")
    await bilal.say("ik woon in bissegem")  # not a button label: kept and explained
    assert bilal.last is not None and bilal.last.text == survey.text("choose_a_button", "nl")
    await bilal.read()  # the area question again
    await bilal.tap("Bissegem")

    with db.transaction() as session:
        a = repo.answers_of(session, anna.pseudonym)
        b = repo.answers_of(session, bilal.pseudonym)
        pa = repo.participations_of(session, anna.pseudonym)
        pb = repo.participations_of(session, bilal.pseudonym)
    assert [(x.question_id, x.button_value) for x in a] == [("age", "13-15"), ("area", "marke")]
    assert [(x.question_id, x.button_value, x.text) for x in b] == [
        ("age", "22-25", None),
        ("area", None, "ik woon in bissegem"),
        ("area", "bissegem", None),
    ]
    assert (pa[0].source, pb[0].source) == ("quindo", "ajko")


@pytest.mark.parametrize("how", ["sigterm", "sigkill"])
async def test_restart_mid_survey_continues_at_the_same_question(
    api: FakeBotApi, database_url: str, db: Database, tmp_path: Path, survey: Survey, how: str
) -> None:
    env = bot_environment(api, database_url, E2E_SECRET)
    first = BotProcess(env, tmp_path / "first.log")
    await first.start()
    await api.wait_for_polling()
    person = Youngster(api, 5553001)
    await person.command("/start")
    await person.tap("Ik doe mee")
    await person.tap("19–21")
    assert person.last is not None and "Waar woon je?" in person.last.text
    if how == "sigterm":
        assert await first.stop() == 0
    else:
        await first.kill()

    second = BotProcess(env, tmp_path / "second.log")
    await second.start()
    try:
        await api.wait_for_polling()
        # The old message's buttons still work after the restart.
        free_time = await person.tap("Rollegem")
        assert "vrije tijd" in free_time.text
        await person.command("/start")
        again = await person.read()
        assert again.text.startswith("(3/6)")
    finally:
        assert await second.stop() == 0
    with db.transaction() as session:
        answers = repo.answers_of(session, person.pseudonym)
    assert [(a.question_id, a.button_value) for a in answers] == [
        ("age", "19-21"),
        ("area", "rollegem"),
    ]


async def test_same_update_delivered_twice_is_stored_once(
    api: FakeBotApi, bot: BotProcess, db: Database
) -> None:
    person = Youngster(api, 5554001)
    await person.command("/start")
    await person.tap("Ik doe mee")
    assert person.last is not None
    press = await api.press(person.id, person.last, "13–15")
    await person.read()
    await api.redeliver(press)
    assert person.last is not None
    await person.tap("Heule")
    await person.tap("Overslaan")
    text = await api.send_text(person.id, "geen tijd door school")
    await person.read()
    await api.redeliver(text)
    await api.redeliver(text)
    assert await api.quiet(person.id) == []
    with db.transaction() as session:
        answers = repo.answers_of(session, person.pseudonym)
    assert [(a.question_id, a.button_value, a.text) for a in answers] == [
        ("age", "13-15", None),
        ("area", "heule", None),
        ("free-time", None, None),
        ("holds-back", None, "geen tijd door school"),
    ]


async def test_non_text_long_messages_and_edits(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    person = Youngster(api, 5555001)
    await person.consent_and_skip_the_profile()
    for send in (api.send_photo, api.send_voice, api.send_sticker):
        await send(person.id)
        ask_text, again = await api.next_messages(person.id, 2)
        assert ask_text.text == survey.text("text_only", "nl")
        assert again.text.startswith("(4/6)")

    long_text = "Het is te duur. " * 700  # 11,200 characters, whole in the database
    first = await api.send_text(person.id, long_text)
    not_welcome = await person.through_theme_step(survey, await person.read())
    assert not_welcome.text.startswith("(5/6)")
    latest = await api.send_text(person.id, "ik voel me daar nie welkom")
    theme_step = await person.read()
    # An edit of an older message is ignored; one of the latest answer updates it.
    await api.edit_text(person.id, first, "old message, edited")
    await api.edit_text(person.id, latest, "ik voel me daar niet welkom, want ik ken niemand")
    would_help = await person.through_theme_step(survey, theme_step)
    assert would_help.text.startswith("(6/6)")
    await api.send_text(person.id, "meer info op insta")
    thanks = await person.read()
    assert thanks.text == survey.text("thanks", "nl")
    assert all(len(m.text) <= 4096 for m in api.sent[person.id])

    with db.transaction() as session:
        answers = repo.answers_of(session, person.pseudonym)
    by_question = {a.question_id: a for a in answers}
    assert by_question["holds-back"].text == long_text
    assert by_question["holds-back"].edited_at is None
    assert by_question["not-welcome"].text == "ik voel me daar niet welkom, want ik ken niemand"
    assert by_question["not-welcome"].edited_at is not None


async def test_stale_and_forged_buttons_change_nothing(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    person = Youngster(api, 5556001)
    await person.command("/start")
    age_question = await person.tap("Ik doe mee")
    await person.tap("16–18")
    # Tapping the age question's button again, from the keyboard as first sent.
    stale = await api.press(person.id, age_question, "13–15", as_first_sent=True)
    assert await api.answer_to(stale) == survey.text("stale_button", "nl")
    forged = await api.press_data(person.id, age_question, "a|age|22-25|AAAAAAAA")
    assert await api.answer_to(forged) == survey.text("invalid_button", "nl")
    garbage = await api.press_data(person.id, age_question, "💥" * 10)
    assert await api.answer_to(garbage) == survey.text("invalid_button", "nl")
    assert await api.quiet(person.id) == []

    with db.transaction() as session:
        answers = repo.answers_of(session, person.pseudonym)
        [participation] = repo.participations_of(session, person.pseudonym)
    assert [(a.question_id, a.button_value) for a in answers] == [("age", "16-18")]
    assert participation.age_band == "16-18"


async def test_commands_decline_language_stop_and_delete(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    person = Youngster(api, 5557001)
    assert (await person.command("/help")).text == survey.text("help", "nl")
    assert (await person.command("/privacy")).text == survey.text("privacy", "nl")
    await person.command("/start poster-station")
    declined = await person.tap("Liever niet")
    assert declined.text == survey.text("declined", "nl")
    with db.transaction() as session:
        assert session.scalar(select(Participant.id)) is None

    welcome = await person.command("/start")
    await api.press(person.id, welcome, "Français")
    await api.wait_until(lambda: welcome.text == survey.text("welcome", "fr"))
    person.last = welcome
    question = await person.tap("Je participe")
    assert survey.questions[0].text["fr"] in question.text
    assert (await person.command("/stop")).text == survey.text("paused", "fr")
    reminder = await person.say("allo?")
    assert reminder.text == survey.text("paused_reminder", "fr")
    resumed = await person.tap("Continuer")
    assert resumed.text == survey.text("resumed", "fr")
    await person.read()
    await person.command("/language")
    changed = await person.tap("Nederlands")
    assert changed.text == survey.text("language_changed", "nl")
    await person.read()
    assert (await person.command("/nonsense")).text == survey.text("unknown_command", "nl")

    await person.command("/delete")
    deleted = await person.tap("Ja, wis alles")
    assert deleted.text == survey.text("deleted", "nl")
    with db.transaction() as session:
        for table in Base.metadata.sorted_tables:
            assert session.execute(select(table)).first() is None, table.name


async def test_webhook_mode_with_secret_token(
    api: FakeBotApi, database_url: str, db: Database, tmp_path: Path, survey: Survey
) -> None:
    port = free_port()
    url = webhook_url(port)
    env = bot_environment(api, database_url, E2E_SECRET, **webhook_settings(port, "s3cr3t-token"))
    process = BotProcess(env, tmp_path / "webhook.log", "run", "--webhook")
    await process.start()
    try:
        await api.wait_until(lambda: api.webhook is not None, timeout=60)
        assert api.webhook is not None
        assert api.webhook["url"] == url
        assert api.webhook["secret_token"] == "s3cr3t-token"
        await wait_for_port(port)

        person = Youngster(api, 5558001)
        welcome = await person.command("/start de-stroom")
        assert welcome.text == survey.text("welcome", "nl")
        await person.tap("Ik doe mee")
        press = await api.press(person.id, person.last, "22–25") if person.last else None
        assert press is not None
        await person.read()
        await api.redeliver(press)  # the same POST replayed

        update: dict[str, Any] = {"update_id": 1, "message": {"message_id": 1}}
        async with aiohttp.ClientSession() as session:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with session.post(url, json=update, headers=headers) as response:
                    assert response.status == 403
    finally:
        assert await process.stop() == 0, process.logs()
    with db.transaction() as session:
        answers = repo.answers_of(session, person.pseudonym)
        [participation] = repo.participations_of(session, person.pseudonym)
    assert [(a.question_id, a.button_value) for a in answers] == [("age", "22-25")]
    assert participation.source == "de-stroom"


async def test_a_failing_database_gets_an_apology_and_a_clean_log(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    person = Youngster(api, 5559001)
    await person.consent_and_skip_the_profile()
    # Break the database under the running bot: storing the next answer must fail.
    with db.transaction() as session:
        session.execute(text("DROP TABLE answers"))
    apology = await person.say("mijn geheim: ik heb geen geld voor de chiro")
    assert apology.text == survey.text("something_went_wrong", "nl")
    await bot.stop()
    logs = bot.logs()
    assert '"update_failed"' in logs
    assert "geheim" not in logs and "chiro" not in logs
