"""End to end safeguarding: the two distress tiers, the age gate and staff alerts.

The real `jeugdstem run`, with the real distress detector, talks to the fake Bot API
server with a staff chat configured (JEUGDSTEM_STAFF_CHAT_ID). Alarm: the helplines at
once, the questions paused and staff alerted. Concern: first "Gaat het met je?".
Helplines depend on the hour: most tests compute what is open from the real clock, the
last ones run the bot under libfaketime (scripts/ensure-faketime.sh). Runs on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage import Base, Database
from storage import repository as repo
from survey.clock import LOCAL_TIME
from survey.config import Survey
from survey.helplines import Helpline
from tests.support.bot_process import BotProcess, bot_environment, frozen_clock
from tests.support.fake_bot_api import FakeBotApi, SentMessage
from tests.support.secrets import E2E_SECRET
from tests.support.youngster import Youngster

pytestmark = pytest.mark.e2e

STAFF_CHAT = -1_001_234_567

# What the real detector makes of each (python -c "from nlu.distress import ...").
SUICIDAL = "ik wil niet meer leven, niemand zou me missen"  # alarm: suicide
ABUSE_WITH_PHONE = "mijn vader slaat me, bel me op 0470 12 34 56"  # alarm: domestic_violence
ABUSE_WITH_NAME = "Ik ben Lotte Vandenberghe, mijn vader slaat me. Bel me op 0470 12 34 56"
VAGUE = "ik ben het allemaal zo beu, niks lukt nog"  # concern: suicide
FRIEND = "ik ben bang dat mijn vriendin zichzelf iets aandoet"  # concern: friend
TURKISH = "kendimi öldürmek istiyorum"  # alarm: suicide, in a language the bot doesn't speak
NOT_AN_AGE = "de bus rijdt nie meer na 8u"  # no distress, and no age either

# The support lines that fit a risk, lines for that very risk first, then config order.
# The bot puts the Dutch-speaking ones first and, among those, the open ones.
SUICIDE_LINES = ("zelfmoordlijn", "cps", "awel", "ecoute-enfants", "tele-onthaal")
ABUSE_LINES = ("1712", "awel", "ecoute-enfants", "tele-onthaal")
FRIEND_LINES = ("zelfmoordlijn", "cps", "1712", "awel", "ecoute-enfants", "tele-onthaal")
EMERGENCY = ("112", "101")

# A Monday in December (Europe/Brussels is UTC+1 then).
MONDAY_3AM = datetime(2026, 12, 7, 3, 0, tzinfo=LOCAL_TIME)
MONDAY_10AM = datetime(2026, 12, 7, 10, 0, tzinfo=LOCAL_TIME)


# -- helpers ------------------------------------------------------------------------------


def helpline(survey: Survey, line_id: str) -> Helpline:
    return next(line for line in survey.helplines if line.id == line_id)


def bullet(survey: Survey, line_id: str, language: str, moment: datetime) -> str:
    """One helpline as the bot lists it; a closed one with its opening hours."""
    line = helpline(survey, line_id)
    text = f"• {line.name}: {line.contact[language]}"
    if line.open_at(moment):
        return text
    return text + " " + survey.text("helpline_closed", language, hours=line.hours_text[language])


def ranked(survey: Survey, support: Sequence[str], moment: datetime, limit: int = 4) -> list[str]:
    """Dutch-speaking lines first, open ones before closed ones, else in the given order.

    Each list above holds a Dutch line open day and night, so it is always among these.
    """
    lines = [helpline(survey, line_id) for line_id in support]
    lines.sort(key=lambda line: ("nl" not in line.speaks, not line.open_at(moment)))
    return [line.id for line in lines[:limit]]


def helplines_text(
    survey: Survey,
    intro: str,
    support: Sequence[str],
    moment: datetime,
    *,
    languages: Sequence[str] = ("nl",),
    emergency_first: bool = False,
) -> str:
    """The helpline reply for a Dutch-speaking young person at ``moment``."""
    chosen = ranked(survey, support, moment)
    order = [*EMERGENCY, *chosen] if emergency_first else [*chosen, *EMERGENCY]
    return "\n\n".join(
        "\n".join([survey.text(intro, lang), *(bullet(survey, i, lang, moment) for i in order)])
        for lang in languages
    )


def assert_helplines(
    message: SentMessage,
    survey: Survey,
    intro: str,
    support: Sequence[str],
    since: datetime,
    **options: Any,
) -> None:
    """The reply lists the helplines as of some moment between ``since`` and now."""
    at_start = helplines_text(survey, intro, support, since, **options)
    at_end = helplines_text(survey, intro, support, datetime.now(UTC), **options)
    if at_start == at_end:
        assert message.text == at_start
    else:  # a line opened or closed meanwhile
        assert message.text in (at_start, at_end)
    assert message.buttons == []


def assert_paused(message: SentMessage, survey: Survey) -> None:
    """The second reply to an alarm in the survey: the questions wait for one button."""
    assert message.text == survey.text("distress_paused", "nl")
    assert message.labels() == [survey.text("button_resume", "nl")]


def short(person: Youngster) -> str:
    """The short pseudonym staff see."""
    return person.pseudonym[:12]


def assert_anonymous(alert: SentMessage, person: Youngster) -> None:
    """A staff alert names the short pseudonym only: no Telegram id, name or username."""
    assert f"Deelnemer {short(person)}," in alert.text
    assert person.pseudonym not in alert.text
    for identifying in (str(person.id), "Lotte", "Vandenberghe", f"lotte_{person.id}"):
        assert identifying not in alert.text


def typed_answers(db: Database, person: Youngster) -> list[tuple[str, str, bool | None]]:
    """(question, text, distress) of every answer with words in it."""
    with db.transaction() as session:
        answers = repo.answers_of(session, person.pseudonym)
    return [(a.question_id, a.text, a.distress) for a in answers if a.text is not None]


def nothing_stored(db: Database) -> bool:
    with db.transaction() as session:
        return all(session.execute(select(t)).first() is None for t in Base.metadata.sorted_tables)


def handled_distress(logs: str) -> list[str | None]:
    """The ``distress`` field of every update_handled log line, in order."""
    events = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    return [e["distress"] for e in events if e.get("event") == "update_handled"]


async def start_bot(api: FakeBotApi, database_url: str, log: Path, **extra: str) -> BotProcess:
    """The bot with a staff chat for distress alerts."""
    environment = bot_environment(
        api, database_url, E2E_SECRET, JEUGDSTEM_STAFF_CHAT_ID=str(STAFF_CHAT), **extra
    )
    process = BotProcess(environment, log)
    await process.start()
    await api.wait_for_polling()
    return process


@pytest.fixture
async def bot(api: FakeBotApi, database_url: str, tmp_path: Path) -> AsyncIterator[BotProcess]:
    """The bot with a staff chat, on the real clock."""
    process = await start_bot(api, database_url, tmp_path / "bot.log")
    yield process
    if process.alive:
        assert await process.stop() == 0, process.logs()


async def at_age_question(person: Youngster, survey: Survey) -> SentMessage:
    """Start and consent: the age question, the first after consent."""
    await person.command("/start")
    age = await person.tap(survey.text("button_consent_yes", "nl"))
    assert age.text == f"(1/6) {survey.questions[0].text['nl']}"
    return age


# -- alarm --------------------------------------------------------------------------------


async def test_alarm_mid_survey_gives_helplines_pauses_and_alerts_staff(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """Alarm at an open question: helplines, a pause until Verder doen, a staff alert."""
    person = Youngster(api, 7_300_101)
    at_open_question = await person.consent_and_skip_the_profile()
    assert at_open_question.text.startswith("(4/6)")

    since = datetime.now(UTC)
    await api.send_text(person.id, SUICIDAL)
    helplines, paused = await api.next_messages(person.id, 2)
    assert_helplines(helplines, survey, "distress_alarm", SUICIDE_LINES, since)
    assert helplines.text.splitlines()[-2:] == [
        bullet(survey, "112", "nl", since),
        bullet(survey, "101", "nl", since),
    ]
    assert_paused(paused, survey)
    assert await api.quiet(person.id) == []  # no next question while paused

    alert = await api.next_message(STAFF_CHAT)
    assert_anonymous(alert, person)
    assert "(suicide)" in alert.text
    assert f"«{SUICIDAL}»" in alert.text  # nothing to redact in it
    assert typed_answers(db, person) == [("holds-back", SUICIDAL, True)]

    resumed = await person.tap(survey.text("button_resume", "nl"), paused)
    assert resumed.text == survey.text("resumed", "nl")
    assert (await person.read()).text.startswith("(5/6)")
    assert await api.quiet(STAFF_CHAT) == []  # one alert per message


async def test_alarm_before_consent_stores_nothing(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """Alarm as a first message: helplines, 'tik /start' later, an alert, and no row at all."""
    person = Youngster(api, 7_300_201)
    since = datetime.now(UTC)
    await api.send_text(person.id, ABUSE_WITH_PHONE)
    helplines, later = await api.next_messages(person.id, 2)
    assert_helplines(helplines, survey, "distress_not_your_fault", ABUSE_LINES, since)
    assert later.text == survey.text("distress_later", "nl")
    assert later.buttons == []
    assert await api.quiet(person.id) == []

    alert = await api.next_message(STAFF_CHAT)
    assert_anonymous(alert, person)
    assert "(domestic_violence, abuse)" in alert.text
    assert "«mijn vader slaat me, bel me op [telefoon]»" in alert.text
    assert "0470" not in alert.text and "12 34 56" not in alert.text
    assert nothing_stored(db)

    welcome = await person.command("/start")
    assert welcome.text == survey.text("welcome", "nl")


async def test_alarm_while_paused_gives_helplines_and_keeps_the_pause(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """After /stop an alarm still gets helplines and an alert; Verder doen goes back."""
    person = Youngster(api, 7_300_301)
    at_open_question = await person.consent_and_skip_the_profile()
    assert (await person.command("/stop")).text == survey.text("paused", "nl")

    since = datetime.now(UTC)
    await api.send_text(person.id, SUICIDAL)
    helplines, paused = await api.next_messages(person.id, 2)
    assert_helplines(helplines, survey, "distress_alarm", SUICIDE_LINES, since)
    assert_paused(paused, survey)
    assert await api.quiet(person.id) == []

    alert = await api.next_message(STAFF_CHAT)
    assert_anonymous(alert, person)
    assert f"«{SUICIDAL}»" in alert.text
    # On pause a message is no answer (paused_reminder: "niet bewaard").
    assert typed_answers(db, person) == []

    resumed = await person.tap(survey.text("button_resume", "nl"), paused)
    assert resumed.text == survey.text("resumed", "nl")
    assert (await person.read()).text == at_open_question.text


async def test_alarm_typed_at_a_button_question_is_kept_and_pauses(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """Typed at the age or area question: kept without a choice, helplines, that question again."""
    at_age, at_area = Youngster(api, 7_300_401), Youngster(api, 7_300_402)
    age = await at_age_question(at_age, survey)
    await at_area.command("/start")
    await at_area.tap(survey.text("button_consent_yes", "nl"))
    area = await at_area.tap(survey.text("button_skip", "nl"))
    assert area.text.startswith("(2/6)")

    for person, text, intro, support, question in (
        (at_age, ABUSE_WITH_PHONE, "distress_not_your_fault", ABUSE_LINES, age),
        (at_area, SUICIDAL, "distress_alarm", SUICIDE_LINES, area),
    ):
        since = datetime.now(UTC)
        await api.send_text(person.id, text)
        helplines, paused = await api.next_messages(person.id, 2)
        assert_helplines(helplines, survey, intro, support, since)
        assert_paused(paused, survey)
        assert await api.quiet(person.id) == []  # no choose_a_button, no question
        alert = await api.next_message(STAFF_CHAT)
        assert_anonymous(alert, person)

        resumed = await person.tap(survey.text("button_resume", "nl"), paused)
        assert resumed.text == survey.text("resumed", "nl")
        again = await person.read()
        assert (again.text, again.labels()) == (question.text, question.labels())

    assert typed_answers(db, at_age) == [("age", ABUSE_WITH_PHONE, True)]
    assert typed_answers(db, at_area) == [("area", SUICIDAL, True)]
    with db.transaction() as session:
        answers = repo.answers_of(session, at_age.pseudonym)
        [participation] = repo.participations_of(session, at_age.pseudonym)
    assert [a.button_value for a in answers] == [None]
    assert participation.age_band is None


# -- concern ------------------------------------------------------------------------------


async def test_concern_then_talk_gives_helplines_and_alerts_staff_without_text(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """Concern: 'Gaat het met je?'; 'Ik wil met iemand praten' brings helplines and an alert."""
    person = Youngster(api, 7_300_501)
    await person.consent_and_skip_the_profile()

    check_in = await person.say(VAGUE)
    assert check_in.text == survey.text("distress_check_in", "nl")
    assert check_in.labels() == [
        survey.text("button_talk", "nl"),
        survey.text("button_go_on", "nl"),
    ]
    assert await api.quiet(person.id) == []
    assert await api.quiet(STAFF_CHAT) == []  # a concern alone alerts nobody
    assert typed_answers(db, person) == [("holds-back", VAGUE, True)]

    since = datetime.now(UTC)
    await api.press(person.id, check_in, survey.text("button_talk", "nl"))
    helplines, paused = await api.next_messages(person.id, 2)
    assert_helplines(helplines, survey, "distress_alarm", SUICIDE_LINES, since)
    assert_paused(paused, survey)
    await api.wait_until(lambda: check_in.buttons == [], chat_id=person.id)
    assert check_in.text == survey.text("distress_check_in", "nl")

    alert = await api.next_message(STAFF_CHAT)
    assert_anonymous(alert, person)
    assert "«Ik wil met iemand praten»" in alert.text
    assert "Bericht" not in alert.text and "beu" not in alert.text and "lukt" not in alert.text

    resumed = await person.tap(survey.text("button_resume", "nl"), paused)
    assert resumed.text == survey.text("resumed", "nl")
    assert (await person.read()).text.startswith("(5/6)")


async def test_concern_then_go_on_continues_without_an_alert(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """'Het gaat wel, verder': welcome back and the next question; staff hear nothing."""
    person = Youngster(api, 7_300_601)
    await person.consent_and_skip_the_profile()
    check_in = await person.say(VAGUE)
    assert check_in.text == survey.text("distress_check_in", "nl")

    resumed = await person.tap(survey.text("button_go_on", "nl"))
    assert resumed.text == survey.text("resumed", "nl")
    next_question = await person.read()
    assert next_question.text.startswith("(5/6)")
    assert await api.quiet(person.id) == []
    assert await api.quiet(STAFF_CHAT) == []
    assert typed_answers(db, person) == [("holds-back", VAGUE, True)]

    assert await bot.stop() == 0
    assert handled_distress(bot.logs())[-2:] == ["concern", None]


async def test_concern_before_consent_offers_talk_then_the_welcome(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """Before consent: 'Gaat het met je?' with the talk button only, then the welcome."""
    person = Youngster(api, 7_300_701)
    await api.send_text(person.id, VAGUE)
    check_in, welcome = await api.next_messages(person.id, 2)
    assert check_in.text == survey.text("distress_check_in", "nl")
    assert check_in.labels() == [survey.text("button_talk", "nl")]
    assert welcome.text == survey.text("welcome", "nl")

    since = datetime.now(UTC)
    await api.press(person.id, check_in, survey.text("button_talk", "nl"))
    helplines, later = await api.next_messages(person.id, 2)
    assert_helplines(helplines, survey, "distress_alarm", SUICIDE_LINES, since)
    assert later.text == survey.text("distress_later", "nl")
    alert = await api.next_message(STAFF_CHAT)
    assert_anonymous(alert, person)
    assert "«Ik wil met iemand praten»" in alert.text and "beu" not in alert.text
    assert nothing_stored(db)


async def test_worry_about_a_friend_gets_advice_and_helplines_without_an_alert(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """A friend's trouble: how to help and the lines, no 'are you okay?', no staff alert."""
    person = Youngster(api, 7_300_801)
    await person.consent_and_skip_the_profile()
    since = datetime.now(UTC)
    await api.send_text(person.id, FRIEND)
    helplines, paused = await api.next_messages(person.id, 2)
    assert_helplines(helplines, survey, "distress_friend", FRIEND_LINES, since)
    assert_paused(paused, survey)
    assert await api.quiet(STAFF_CHAT) == []
    assert typed_answers(db, person) == [("holds-back", FRIEND, True)]


# -- a language the bot does not speak -----------------------------------------------------


async def test_a_language_the_bot_does_not_speak_gets_112_first_in_dutch_and_english(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """Turkish: one reply, a Dutch and an English block, each with 112 as its first line."""
    person = Youngster(api, 7_300_901)
    await person.consent_and_skip_the_profile()
    since = datetime.now(UTC)
    await api.send_text(person.id, TURKISH)
    helplines, paused = await api.next_messages(person.id, 2)
    assert_helplines(
        helplines,
        survey,
        "distress_alarm",
        SUICIDE_LINES,
        since,
        languages=("nl", "en"),
        emergency_first=True,
    )
    dutch, english = helplines.text.split("\n\n")
    assert dutch.splitlines()[:2] == [
        survey.text("distress_alarm", "nl"),
        bullet(survey, "112", "nl", since),
    ]
    assert english.splitlines()[:2] == [
        survey.text("distress_alarm", "en"),
        bullet(survey, "112", "en", since),
    ]
    assert_paused(paused, survey)
    alert = await api.next_message(STAFF_CHAT)
    assert_anonymous(alert, person)
    assert f"«{TURKISH}»" in alert.text
    assert typed_answers(db, person) == [("holds-back", TURKISH, True)]


# -- the age gate -------------------------------------------------------------------------


async def test_a_sentence_with_a_time_is_no_age(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """'na 8u' is not '8 years': kept as words, a button asked for, the survey goes on."""
    person = Youngster(api, 7_301_001)
    age = await at_age_question(person, survey)

    choose = await person.say(NOT_AN_AGE)
    assert choose.text == survey.text("choose_a_button", "nl")
    again = await person.read()
    assert (again.text, again.labels()) == (age.text, age.labels())
    assert await api.quiet(person.id) == []
    with db.transaction() as session:
        answers = repo.answers_of(session, person.pseudonym)
        stored = [(a.question_id, a.text, a.button_value, a.distress) for a in answers]
    assert stored == [("age", NOT_AN_AGE, None, False)]

    area = await person.tap("16–18", again)
    assert area.text.startswith("(2/6)")
    assert await api.quiet(STAFF_CHAT) == []


async def test_too_young_by_button_and_confirmed_erases_everything(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """'jonger dan 13' asks once more; 'Ja, dat klopt' thanks them and keeps no row."""
    person = Youngster(api, 7_301_101)
    await at_age_question(person, survey)
    assert not nothing_stored(db)

    confirm = await person.tap("jonger dan 13")
    assert confirm.text == survey.text("age_gate_confirm", "nl", minimum_age=13)
    yes, no = survey.text("button_age_young_yes", "nl"), survey.text("button_age_young_no", "nl")
    assert confirm.labels() == [yes, no]

    gate = await person.tap(yes)
    assert gate.text == survey.text("age_gate", "nl", minimum_age=13)
    await api.wait_until(lambda: confirm.buttons == [], chat_id=person.id)
    assert confirm.text == f"{survey.text('age_gate_confirm', 'nl', minimum_age=13)}\n→ {yes}"
    assert await api.quiet(person.id) == []
    assert nothing_stored(db)


async def test_too_young_typed_then_a_mistake_asks_the_age_again(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """Typed 'ik ben 11' asks once more; 'Nee, foutje' asks the age again, and it goes on."""
    person = Youngster(api, 7_301_201)
    age = await at_age_question(person, survey)

    confirm = await person.say("ik ben 11")
    assert confirm.text == survey.text("age_gate_confirm", "nl", minimum_age=13)
    no = survey.text("button_age_young_no", "nl")
    again = await person.tap(no)
    assert (again.text, again.labels()) == (age.text, age.labels())

    area = await person.tap("13–15")
    assert area.text.startswith("(2/6)")
    with db.transaction() as session:
        answers = repo.answers_of(session, person.pseudonym)
        [participation] = repo.participations_of(session, person.pseudonym)
    assert [(a.question_id, a.text, a.button_value) for a in answers] == [("age", None, "13-15")]
    assert participation.age_band == "13-15"


async def test_too_young_typed_and_confirmed_erases_what_was_given(
    api: FakeBotApi, bot: BotProcess, db: Database, survey: Survey
) -> None:
    """Words already kept at the age question are erased too when 'ik ben 11' is confirmed."""
    person = Youngster(api, 7_301_301)
    await at_age_question(person, survey)
    await api.send_text(person.id, NOT_AN_AGE)
    await api.next_messages(person.id, 2)
    assert typed_answers(db, person) == [("age", NOT_AN_AGE, False)]

    confirm = await person.say("ik ben 11")
    assert confirm.text == survey.text("age_gate_confirm", "nl", minimum_age=13)
    gate = await person.tap(survey.text("button_age_young_yes", "nl"))
    assert gate.text == survey.text("age_gate", "nl", minimum_age=13)
    assert nothing_stored(db)


# -- helplines by the hour (frozen clock) ---------------------------------------------------


async def test_at_night_closed_lines_say_when_they_open(
    api: FakeBotApi, database_url: str, tmp_path: Path, survey: Survey
) -> None:
    """Monday 03:00: Awel, 1712 and Écoute-Enfants are closed and show their hours."""
    bot = await start_bot(api, database_url, tmp_path / "bot.log", **frozen_clock(MONDAY_3AM))
    try:
        person = Youngster(api, 7_301_401)
        await api.send_text(person.id, ABUSE_WITH_PHONE)
        helplines, _ = await api.next_messages(person.id, 2)
    finally:
        assert await bot.stop() == 0, bot.logs()
    assert helplines.text == "\n".join(
        [
            survey.text("distress_not_your_fault", "nl"),
            "• Tele-Onthaal: bel 106 of chat op tele-onthaal.be",
            "• 1712: bel gratis 1712 over geweld, misbruik of kindermishandeling"
            " (ook chat op 1712.be) – nu gesloten, open werkdagen 9–17u",
            "• Awel: bel 102 of chat op awel.be (gratis, anoniem) – nu gesloten, open ma–za 16–22u",
            "• Écoute-Enfants: bel 103 (in het Frans) – nu gesloten, open elke dag 10–24u",
            "• 112: in nood of gevaar: bel 112",
            "• 101: politie: bel 101",
        ]
    )


async def test_on_a_weekday_morning_1712_comes_first_for_abuse(
    api: FakeBotApi, database_url: str, tmp_path: Path, survey: Survey
) -> None:
    """Monday 10:00: 1712 is open and first for abuse; only Awel is closed."""
    bot = await start_bot(api, database_url, tmp_path / "bot.log", **frozen_clock(MONDAY_10AM))
    try:
        person = Youngster(api, 7_301_501)
        await api.send_text(person.id, ABUSE_WITH_PHONE)
        helplines, _ = await api.next_messages(person.id, 2)
    finally:
        assert await bot.stop() == 0, bot.logs()
    assert helplines.text == "\n".join(
        [
            survey.text("distress_not_your_fault", "nl"),
            "• 1712: bel gratis 1712 over geweld, misbruik of kindermishandeling"
            " (ook chat op 1712.be)",
            "• Tele-Onthaal: bel 106 of chat op tele-onthaal.be",
            "• Awel: bel 102 of chat op awel.be (gratis, anoniem) – nu gesloten, open ma–za 16–22u",
            "• Écoute-Enfants: bel 103 (in het Frans)",
            "• 112: in nood of gevaar: bel 112",
            "• 101: politie: bel 101",
        ]
    )


# -- what staff and the logs get ----------------------------------------------------------


async def test_staff_alerts_and_logs_hold_no_identity_and_no_words(
    api: FakeBotApi, bot: BotProcess, survey: Survey
) -> None:
    """Alerts carry the redacted text or none; the logs only the distress level."""
    person = Youngster(api, 7_301_601)
    await person.consent_and_skip_the_profile()

    await api.send_text(person.id, ABUSE_WITH_NAME)
    _, paused = await api.next_messages(person.id, 2)
    alarm = await api.next_message(STAFF_CHAT)
    assert_anonymous(alarm, person)
    assert "«Ik ben [naam], mijn vader slaat me. Bel me op [telefoon]»" in alarm.text
    await person.tap(survey.text("button_resume", "nl"), paused)
    await person.read()

    await person.say(VAGUE)
    await person.tap(survey.text("button_talk", "nl"))
    await api.next_messages(person.id, 1)
    talk = await api.next_message(STAFF_CHAT)
    assert_anonymous(talk, person)
    assert "«Ik wil met iemand praten»" in talk.text
    assert "beu" not in talk.text and "lukt" not in talk.text
    assert await api.quiet(STAFF_CHAT) == []

    assert await bot.stop() == 0
    logs = bot.logs()
    # /start, consent, three skips; the alarm; Verder doen; the concern; the talk button.
    assert handled_distress(logs) == [None] * 5 + ["alarm", None, "concern", None]
    for secret in (
        str(person.id),
        person.pseudonym,
        "Lotte",
        "Vandenberghe",
        "slaat",
        "vader",
        "0470",
        "12 34 56",
        "beu",
        "lukt",
    ):
        assert secret not in logs, f"{secret!r} leaked into the logs"


# -- flood control ------------------------------------------------------------------------


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
