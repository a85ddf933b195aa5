"""The two tiers of the distress response, and helplines by the hour (bot/engine/safeguarding.py).

The distress check is scripted (``ScriptedDistress``, a test double) so each test
knows its tier; the real detector drives tests/bot/test_engine_themes.py and the
end-to-end tests in tests/bot/test_safeguarding_e2e.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine import Response, Start, SurveyEngine
from nlu.risk import DistressLevel, RiskKind
from nlu.service import Analyser
from privacy.identity import CallbackCodec
from storage import Database
from survey.config import Survey
from tests.support.chat import (
    Chat,
    advance_to,
    assert_all_tables_empty,
    assert_prompt,
    button_labels,
    consent,
    conversation,
    open_answers,
    t,
)
from tests.support.clock import Clock
from tests.support.distress import ScriptedDistress
from tests.support.themes import ScriptedThemes

# Kortrijk is UTC+1 in winter: 03:00 local on a Monday night, 10:00 on a Tuesday morning.
NIGHT = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
WEEKDAY_MORNING = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
ALARM = "ik heb alles geregeld voor vannacht"
CONCERN = "het is allemaal zo zwaar de laatste tijd"
FRIEND = "mijn beste vriendin zegt dat ze er een einde aan wil maken"
ABUSE = "mijn stiefvader slaat me"
FOREIGN = "kendimi öldürmek istiyorum"


@pytest.fixture
def distress() -> ScriptedDistress:
    scripted = ScriptedDistress()
    scripted.says(ALARM, DistressLevel.ALARM, RiskKind.SUICIDE)
    scripted.says(CONCERN, DistressLevel.CONCERN, RiskKind.SUICIDE)
    scripted.says(FRIEND, DistressLevel.CONCERN, RiskKind.FRIEND, RiskKind.SUICIDE)
    scripted.says(ABUSE, DistressLevel.ALARM, RiskKind.ABUSE)
    scripted.says(FOREIGN, DistressLevel.ALARM, RiskKind.SUICIDE, language="tr")
    return scripted


@pytest.fixture
def clock() -> Clock:
    return Clock(NIGHT)


@pytest.fixture
def engine(
    survey: Survey,
    database: Database,
    codec: CallbackCodec,
    distress: ScriptedDistress,
    clock: Clock,
) -> SurveyEngine:
    analyser = Analyser(ScriptedThemes(survey), distress, survey.nlu.timeout_seconds)
    return SurveyEngine(survey, database, codec, analyser, clock=clock)


async def at_holds_back(chat: Chat, survey: Survey) -> None:
    await consent(chat, survey)
    await advance_to(chat, survey, "q:holds-back")


def bullets(response: Response, index: int = 0) -> list[str]:
    """The helpline lines of a reply, in order."""
    return [line for line in response.replies[index].text.splitlines() if line.startswith("• ")]


# -- alarm ---------------------------------------------------------------------------------


async def test_an_alarm_mid_survey_gives_helplines_alerts_staff_and_pauses(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await at_holds_back(chat, survey)
    response = await chat.text(ALARM)
    assert response.distress_level is DistressLevel.ALARM
    assert response.alert_staff
    assert response.replies[0].text.startswith(t(survey, "distress_alarm"))
    assert response.replies[1].text == t(survey, "distress_paused")
    # No next question: the survey waits until the young person taps to go on.
    assert button_labels(response) == [t(survey, "button_resume")]
    [stored] = await open_answers(database, "holds-back")
    assert stored.distress is True
    state = await conversation(database)
    assert state.paused and state.step == "q:not-welcome"

    resumed = await chat.press(t(survey, "button_resume"), response)
    assert resumed.replies[0].text == t(survey, "resumed")
    assert_prompt(survey, resumed.replies[1], "not-welcome")


async def test_an_alarm_before_consent_gives_helplines_and_stores_nothing(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    response = await Chat(engine).text(ALARM)
    assert response.alert_staff
    assert response.replies[0].text.startswith(t(survey, "distress_alarm"))
    assert response.replies[1].text == t(survey, "distress_later")
    await assert_all_tables_empty(database)


async def test_an_alarm_inside_a_button_step_keeps_the_words_and_pauses(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)  # at the age question: buttons expected
    response = await chat.text(ABUSE)
    assert response.replies[0].text.startswith(t(survey, "distress_not_your_fault"))
    assert any("1712" in line for line in bullets(response))
    [stored] = await open_answers(database, "age")
    assert stored.distress is True
    state = await conversation(database)
    assert state.paused and state.step == "q:age"


async def test_an_alarm_while_paused_still_gives_the_helplines(
    engine: SurveyEngine, survey: Survey
) -> None:
    chat = Chat(engine)
    await at_holds_back(chat, survey)
    await chat.command("stop")
    response = await chat.text(ALARM)
    assert response.alert_staff
    assert response.replies[0].text.startswith(t(survey, "distress_alarm"))
    assert button_labels(response) == [t(survey, "button_resume")]


# -- concern -------------------------------------------------------------------------------


async def test_a_concern_asks_first_and_talk_gives_the_helplines(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    chat = Chat(engine)
    await at_holds_back(chat, survey)
    check_in = await chat.text(CONCERN)
    assert check_in.distress_level is DistressLevel.CONCERN
    assert not check_in.alert_staff
    assert [r.text for r in check_in.replies] == [t(survey, "distress_check_in")]
    assert button_labels(check_in) == [t(survey, "button_talk"), t(survey, "button_go_on")]
    [stored] = await open_answers(database, "holds-back")
    assert stored.distress is True

    talk = await chat.press(t(survey, "button_talk"), check_in)
    assert talk.alert_staff
    assert talk.replies[0].text.startswith(t(survey, "distress_alarm"))
    assert any("1813" in line for line in bullets(talk))
    assert button_labels(talk)[0] == t(survey, "button_resume")


@pytest.mark.parametrize("typed", ["ik wil met iemand praten", "I want to talk to someone!"])
async def test_typing_the_talk_button_is_the_same_as_tapping_it(
    engine: SurveyEngine, database: Database, survey: Survey, typed: str
) -> None:
    chat = Chat(engine)
    await at_holds_back(chat, survey)
    response = await chat.text(typed)
    assert response.alert_staff
    assert response.replies[0].text.startswith(t(survey, "distress_alarm"))
    assert response.replies[1].text == t(survey, "distress_paused")
    assert await open_answers(database, "holds-back") == []  # a request, not an answer


async def test_a_concern_and_go_on_carries_on_with_the_survey(
    engine: SurveyEngine, survey: Survey
) -> None:
    chat = Chat(engine)
    await at_holds_back(chat, survey)
    check_in = await chat.text(CONCERN)
    going_on = await chat.press(t(survey, "button_go_on"), check_in)
    assert not going_on.alert_staff
    assert_prompt(survey, going_on.replies[-1], "not-welcome")


async def test_a_concern_before_consent_offers_talk_then_the_welcome(
    engine: SurveyEngine, database: Database, survey: Survey
) -> None:
    check_in = await Chat(engine).text(CONCERN)
    assert check_in.replies[0].text == t(survey, "distress_check_in")
    assert check_in.replies[1].text == t(survey, "welcome")
    assert t(survey, "button_talk") in button_labels(check_in)
    assert t(survey, "button_go_on") not in button_labels(check_in)
    await assert_all_tables_empty(database)


async def test_worry_about_a_friend_gets_advice_and_helplines(
    engine: SurveyEngine, survey: Survey
) -> None:
    chat = Chat(engine)
    await at_holds_back(chat, survey)
    response = await chat.text(FRIEND)
    assert response.replies[0].text.startswith(t(survey, "distress_friend"))
    assert any("1813" in line for line in bullets(response))
    assert not response.alert_staff  # a concern about someone else


# -- helplines by the hour and by language -------------------------------------------------


async def test_at_night_the_open_lines_come_first_and_closed_ones_say_when(
    engine: SurveyEngine, survey: Survey
) -> None:
    chat = Chat(engine)
    await at_holds_back(chat, survey)
    lines = bullets(await chat.text(ALARM))
    closed = t(survey, "helpline_closed", hours="").split("{")[0][:8]
    assert lines[0].startswith("• Zelfmoordlijn 1813")  # for this risk, open day and night
    awel = next(line for line in lines if line.startswith("• Awel"))
    assert closed in awel  # Awel is closed at 03:00
    assert lines[-2:] == [
        f"• 112: {survey.helplines[-2].contact['nl']}",
        f"• 101: {survey.helplines[-1].contact['nl']}",
    ]


async def test_in_the_morning_an_abuse_line_is_open_and_named_first(
    engine: SurveyEngine, survey: Survey, clock: Clock
) -> None:
    clock.moment = WEEKDAY_MORNING
    chat = Chat(engine)
    await at_holds_back(chat, survey)
    lines = bullets(await chat.text(ABUSE))
    assert lines[0].startswith("• 1712")
    assert "9–17u" not in lines[0]  # open: its hours are not shown
    clock.moment = NIGHT
    await chat.send(Start())  # carry on after the pause
    night = bullets(await chat.text(ABUSE))
    assert not night[0].startswith("• 1712")
    assert any(line.startswith("• 1712") and "9–17u" in line for line in night)


async def test_a_language_we_do_not_speak_gets_112_first_in_dutch_and_english(
    engine: SurveyEngine, survey: Survey
) -> None:
    chat = Chat(engine)
    await at_holds_back(chat, survey)
    response = await chat.text(FOREIGN)
    dutch, english = response.replies[0].text.split("\n\n")
    assert dutch.startswith(t(survey, "distress_alarm"))
    assert english.startswith(t(survey, "distress_alarm", "en"))
    assert dutch.splitlines()[1].startswith("• 112")
    assert english.splitlines()[1].startswith("• 112")
    assert response.alert_staff


async def test_a_start_after_an_alarm_resumes(engine: SurveyEngine, survey: Survey) -> None:
    chat = Chat(engine)
    await at_holds_back(chat, survey)
    await chat.text(ALARM)
    response = await chat.send(Start())
    assert_prompt(survey, response.replies[-1], "not-welcome")
