"""End to end handover: a young person and two youth workers in a staff group.

The real `jeugdstem run` talks to the fake Bot API with a staff group configured
(JEUGDSTEM_STAFF_CHAT_ID) and two workers listed in its config.yml. The young
person asks with /praten; the workers race to claim the card, answer by
replying in the group, and the bot relays words, photos and voices both ways.
Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from storage import Case, CaseMessage, Database
from survey.clock import LOCAL_TIME
from survey.config import Survey
from tests.support.bot_process import BotProcess, bot_environment, frozen_clock
from tests.support.crowd import crowd_config
from tests.support.fake_bot_api import FakeBotApi, Fault, SentMessage
from tests.support.secrets import E2E_SECRET
from tests.support.youngster import Youngster

pytestmark = pytest.mark.e2e

STAFF_CHAT = -1_001_555_000
SARA, YUSUF, OUTSIDER = 9_001, 9_002, 9_999
WORKERS = [
    {"telegram_id": SARA, "name": "Sara, Bolwerk"},
    {"telegram_id": YUSUF, "name": "Yusuf, AjKo"},
]
SUICIDAL = "ik wil niet meer leven, niemand zou me missen"  # alarm for the real detector
SECRET_WORDS = "thuis is het echt moeilijk, bel me op 0470 12 34 56"
# A Saturday at 23:00 in Kortrijk: the shipped hours are closed until Monday 09:00.
SATURDAY_NIGHT = datetime(2026, 12, 12, 23, 0, tzinfo=LOCAL_TIME)


def handover_config(folder: Path, *, always_staffed: bool) -> Path:
    """The shipped config.yml with two workers, on the shared models."""
    path = crowd_config(folder)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["handover"]["workers"] = WORKERS
    if always_staffed:
        data["handover"]["hours"] = []
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


async def start_bot(
    api: FakeBotApi, database_url: str, folder: Path, *, always_staffed: bool = True, **extra: str
) -> BotProcess:
    config = handover_config(folder, always_staffed=always_staffed)
    environment = bot_environment(
        api,
        database_url,
        E2E_SECRET,
        JEUGDSTEM_STAFF_CHAT_ID=str(STAFF_CHAT),
        JEUGDSTEM_CONFIG=str(config),
        **extra,
    )
    process = BotProcess(environment, folder / "bot.log")
    await process.start()
    await api.wait_for_polling()
    return process


@pytest.fixture
async def bot(api: FakeBotApi, database_url: str, tmp_path: Path) -> AsyncIterator[BotProcess]:
    process = await start_bot(api, database_url, tmp_path)
    yield process
    if process.alive:
        assert await process.stop() == 0, process.logs()


async def ask_and_agree(person: Youngster, survey: Survey) -> SentMessage:
    """/start, consent, /praten and Ja, graag: returns the bot's answer to Ja."""
    await person.command("/start")
    await person.tap(survey.text("button_consent_yes", "nl"))
    offer = await person.command("/praten")
    assert offer.text == survey.text("handover_offer", "nl")
    return await person.tap(survey.text("button_handover_yes", "nl"))


async def card_of(api: FakeBotApi) -> SentMessage:
    card = await api.next_message(STAFF_CHAT)
    assert card.text.startswith("Case ")
    return card


async def an_alarm(person: Youngster, api: FakeBotApi) -> list[SentMessage]:
    """Consent, skip the profile, write an alarm: the helplines, the pause and the offer."""
    await person.consent_and_skip_the_profile()
    await api.send_text(person.id, SUICIDAL)
    return await api.next_messages(person.id, 3)


def log_events(process: BotProcess) -> list[dict[str, Any]]:
    return [json.loads(line) for line in process.logs().splitlines() if line.startswith("{")]


def cases_in(db: Database) -> list[Case]:
    with db.transaction() as session:
        return list(session.query(Case).order_by(Case.id))


def messages_in(db: Database) -> list[CaseMessage]:
    with db.transaction() as session:
        return list(session.query(CaseMessage).order_by(CaseMessage.id))


async def test_a_claim_race_then_words_and_photos_both_ways_then_stop(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    person = Youngster(api, 7_600_101)
    opened = await ask_and_agree(person, survey)
    assert opened.text == survey.text("handover_opened", "nl")
    card = await card_of(api)
    assert person.pseudonym[:12] in card.text
    for identifying in (str(person.id), "Lotte", "Vandenberghe", f"lotte_{person.id}"):
        assert identifying not in card.text

    # Before anyone claims: the group reads the redacted words only.
    await api.send_text(person.id, SECRET_WORDS)
    assert (await person.read()).text == survey.text("handover_waiting", "nl")
    early = await api.next_message(STAFF_CHAT)
    assert "thuis is het echt moeilijk" in early.text and "0470" not in early.text
    assert early.reply_to == card.message_id

    # Two workers tap "Ik neem dit op" at the same moment: exactly one gets the case.
    presses = [
        api.callback_query(worker, card, card.button("Ik neem dit op")["callback_data"])
        for worker in (SARA, YUSUF)
    ]
    await asyncio.gather(*(api.deliver({"callback_query": q}) for q in presses))
    answers = [await api.answer_to({"callback_query": q}) for q in presses]
    assert sorted(a or "" for a in answers) in (
        ["De case is voor jou.", "Sara, Bolwerk heeft deze case al."],
        ["De case is voor jou.", "Yusuf, AjKo heeft deze case al."],
    )
    winner = SARA if answers[0] == "De case is voor jou." else YUSUF
    shown = "Sara (Bolwerk)" if winner == SARA else "Yusuf (AjKo)"
    loser = YUSUF if winner == SARA else SARA
    claimed = await person.read()
    assert claimed.text == survey.text("handover_claimed", "nl", worker=shown)
    await api.wait_until(lambda: "Opgenomen door" in card.text, chat_id=STAFF_CHAT)
    assert card.labels() == ["Afsluiten"]
    thread = await api.next_message(STAFF_CHAT)  # the full words, now that someone has it
    assert "0470 12 34 56" in thread.text and thread.reply_to == card.message_id

    # Words both ways.
    await api.send_text(person.id, "ben je daar?")
    relayed = await api.next_message(STAFF_CHAT)
    assert relayed.text.endswith(": ben je daar?") and relayed.reply_to == card.message_id
    await api.group_text(STAFF_CHAT, winner, "Ja, ik ben er. Vertel maar.", reply_to=relayed)
    assert (await person.read()).text == f"{shown}: Ja, ik ben er. Vertel maar."

    # Someone who is not a worker, and the worker who lost the race, reach nobody.
    await api.group_text(STAFF_CHAT, OUTSIDER, "hallo jongere", reply_to=relayed)
    await api.group_text(STAFF_CHAT, loser, "ik neem over", reply_to=relayed)
    not_yours = await api.next_message(STAFF_CHAT)
    assert "heeft deze case" in not_yours.text
    assert await api.quiet(person.id) == []
    assert await api.quiet(STAFF_CHAT) == []  # the outsider is not answered at all

    # A photo and a voice message of the young person, a photo of the worker.
    await api.send_photo(person.id)
    photo = await api.next_message(STAFF_CHAT)
    assert photo.media == "photo" and photo.reply_to == card.message_id
    await api.send_voice(person.id)
    assert (await api.next_message(STAFF_CHAT)).media == "voice"
    await api.group_photo(STAFF_CHAT, winner, reply_to=photo)
    assert (await person.read()).media == "photo"

    # /stop ends it kindly; the card says so; a late reply is explained to the worker.
    stopped = await person.command("/stop")
    assert stopped.text == survey.text("handover_closed_by_young", "nl")
    resume = await person.read()
    assert resume.labels() == [survey.text("button_resume", "nl")]
    await api.wait_until(lambda: "Afgesloten door de jongere" in card.text, chat_id=STAFF_CHAT)
    await api.next_message(STAFF_CHAT)  # "De jongere sloot het gesprek af"
    await api.group_text(STAFF_CHAT, winner, "nog één ding", reply_to=relayed)
    late = await api.next_message(STAFF_CHAT)
    assert late.text == "Deze case is afgesloten: je bericht is niet doorgestuurd."
    assert await api.quiet(person.id) == []

    (case,) = cases_in(db)
    assert case.worker_id == winner and case.closed_by == "young"
    assert case.first_answer_at is not None
    kinds = [(m.sender, m.media) for m in messages_in(db)]
    assert kinds == [
        ("young", None),
        ("young", None),
        ("worker", None),
        ("young", "photo"),
        ("young", "voice"),
        ("worker", "photo"),
    ]
    # Logs carry case ids and counts, never the words of either side.
    logs = bot.logs()
    for words in (SECRET_WORDS, "ben je daar", "Vertel maar", "nog één ding"):
        assert words not in logs
    assert any(e.get("case") == case.id for e in log_events(bot))


async def test_out_of_hours_the_young_person_hears_it_at_once(
    api: FakeBotApi, database_url: str, survey: Survey, tmp_path: Path, db: Database
) -> None:
    bot = await start_bot(
        api, database_url, tmp_path, always_staffed=False, **frozen_clock(SATURDAY_NIGHT)
    )
    try:
        person = Youngster(api, 7_600_201)
        opened = await ask_and_agree(person, survey)
        assert "op maandag om 09:00" in opened.text
        for line in ("1813", "106", "112"):
            assert line in opened.text
        card = await card_of(api)
        assert "(buiten de uren)" in card.text
        (case,) = cases_in(db)
        assert case.out_of_hours
    finally:
        assert await bot.stop() == 0, bot.logs()


async def test_a_restart_mid_case_loses_nothing_and_relays_nothing_twice(
    api: FakeBotApi, database_url: str, survey: Survey, tmp_path: Path, db: Database
) -> None:
    bot = await start_bot(api, database_url, tmp_path)
    person = Youngster(api, 7_600_301)
    await ask_and_agree(person, survey)
    card = await card_of(api)
    await api.press(SARA, card, "Ik neem dit op")
    await person.read()  # "Sara (Bolwerk) is er voor je"
    await api.send_text(person.id, "eerste")
    first = await api.next_message(STAFF_CHAT)
    assert first.text.endswith(": eerste")
    assert await bot.stop() == 0, bot.logs()

    bot = await start_bot(api, database_url, tmp_path)
    try:
        await api.send_text(person.id, "tweede")
        second = await api.next_message(STAFF_CHAT)
        assert second.text.endswith(": tweede") and second.reply_to == card.message_id
        await api.group_text(STAFF_CHAT, SARA, "ik lees mee", reply_to=first)
        assert (await person.read()).text == "Sara (Bolwerk): ik lees mee"
        assert await api.quiet(STAFF_CHAT) == []
        texts = [m.text for m in messages_in(db)]
        assert texts == ["eerste", "tweede", "ik lees mee"]
        # The longest message Telegram allows, plus the pseudonym: two pieces, none lost.
        longest = "woorden " * 512
        await api.send_text(person.id, longest.strip())
        head, tail = await api.next_messages(STAFF_CHAT, 2)
        assert (head.text + " " + tail.text).endswith(longest.strip())
    finally:
        assert await bot.stop() == 0, bot.logs()


async def test_delete_during_a_case_erases_it_and_the_card_says_so(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    person = Youngster(api, 7_600_401)
    await ask_and_agree(person, survey)
    card = await card_of(api)
    await api.send_text(person.id, "iets wat ik liever kwijt ben")
    await person.read()
    await api.next_message(STAFF_CHAT)
    confirm = await person.command("/delete")
    deleted = await person.tap(survey.text("button_delete_yes", "nl"), confirm)
    assert deleted.text == survey.text("deleted", "nl")
    await api.wait_until(lambda: "wiste" in card.text, chat_id=STAFF_CHAT)
    assert card.labels() == []
    assert cases_in(db) == [] and messages_in(db) == []
    await api.group_text(STAFF_CHAT, SARA, "hallo?", reply_to=card)
    gone = await api.next_message(STAFF_CHAT)
    assert gone.text == "Dit bericht hoort bij geen case."


async def test_a_staff_group_the_bot_cannot_write_to_still_leaves_the_helplines(
    api: FakeBotApi, bot: BotProcess, survey: Survey
) -> None:
    api.block(STAFF_CHAT)
    person = Youngster(api, 7_600_501)
    helplines, paused, offer = await an_alarm(person, api)
    assert paused.labels() == [survey.text("button_resume", "nl")]
    assert "112" in helplines.text
    assert offer.text == survey.text("handover_offer", "nl")
    opened = await person.tap(survey.text("button_handover_yes", "nl"), offer)
    assert opened.text == survey.text("handover_opened", "nl")
    for _ in range(150):  # the log line follows the young person's reply by a moment
        events = [e for e in log_events(bot) if e.get("event") == "staff_chat_failed"]
        if events:
            break
        await asyncio.sleep(0.1)
    assert events and events[0]["error"] == "Forbidden"


# These two wait for the bot's periodic check (ESCALATION_CHECK_SECONDS, about 40 s a run):
# SQLite only. The conditional UPDATEs behind them run on PostgreSQL too, in
# tests/bot/engine/test_handover.py.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_an_unclaimed_alarm_case_gets_a_new_card_when_the_shift_starts(
    api: FakeBotApi, database_url: str, survey: Survey, tmp_path: Path
) -> None:
    """Opened at 08:59 on a Monday, out of hours; at 09:00 the shift starts and the
    bot puts the case before it again (the check runs every ESCALATION_CHECK_SECONDS)."""
    just_before = datetime(2026, 12, 14, 8, 59, 35, tzinfo=LOCAL_TIME)
    bot = await start_bot(
        api, database_url, tmp_path, always_staffed=False, **frozen_clock(just_before)
    )
    try:
        person = Youngster(api, 7_600_601)
        *_, offer = await an_alarm(person, api)
        opened = await person.tap(survey.text("button_handover_yes", "nl"), offer)
        assert "op maandag om 09:00" in opened.text
        alert = await api.next_message(STAFF_CHAT)
        assert alert.text.startswith("⚠️")
        card = await card_of(api)
        assert "(buiten de uren)" in card.text
        again = await api.next_message(STAFF_CHAT, timeout=60)
        assert again.text.startswith("⏰ Nog niet opgenomen")
        assert again.reply_to == card.message_id
        assert again.labels() == ["Ik neem dit op", "Afsluiten"]
        await api.press(SARA, again, "Ik neem dit op")
        assert (await person.read()).text == survey.text(
            "handover_claimed", "nl", worker="Sara (Bolwerk)"
        )
    finally:
        assert await bot.stop() == 0, bot.logs()


async def test_workers_without_a_staff_group_are_warned_about_and_helplines_still_come(
    api: FakeBotApi, database_url: str, survey: Survey, tmp_path: Path
) -> None:
    config = handover_config(tmp_path, always_staffed=True)
    environment = bot_environment(api, database_url, E2E_SECRET, JEUGDSTEM_CONFIG=str(config))
    bot = BotProcess(environment, tmp_path / "bot.log")
    await bot.start()
    await api.wait_for_polling()
    try:
        person = Youngster(api, 7_600_701)
        await person.command("/start")
        await person.tap(survey.text("button_consent_yes", "nl"))
        helplines = await person.command("/praten")
        assert "112" in helplines.text  # nobody could answer: no offer, the lines at once
        events = {e.get("event"): e for e in log_events(bot)}
        assert events["handover_without_staff_chat"]["workers"] == 2
        assert "helplines_unchecked" in events
    finally:
        assert await bot.stop() == 0, bot.logs()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_message_the_staff_group_missed_is_relayed_late_once(
    api: FakeBotApi, bot: BotProcess, survey: Survey
) -> None:
    """Telegram fails every try of one relay (5xx four times): the message is stored,
    and the periodic check relays it within a minute, once."""
    person = Youngster(api, 7_600_801)
    await ask_and_agree(person, survey)
    card = await card_of(api)
    await api.press(SARA, card, "Ik neem dit op")
    await person.read()
    api.plan_faults("sendMessage", *[Fault.server_error()] * 4, chat_id=STAFF_CHAT)
    await api.send_text(person.id, "komt dit aan?")
    late = await api.next_message(STAFF_CHAT, timeout=60)
    assert late.text.endswith(": komt dit aan?") and late.reply_to == card.message_id
    assert api.planned_faults("sendMessage", STAFF_CHAT) == 0
    assert await api.quiet(STAFF_CHAT, seconds=21) == []  # not on the next check either
    events = [e.get("event") for e in log_events(bot)]
    assert "staff_chat_failed" in events and "case_messages_relayed_late" in events
