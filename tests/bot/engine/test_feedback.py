""" "Jullie zeiden, wij deden" in the conversation: reactions, saying more, held feedback.

The theme backend is scripted (``ScriptedThemes``, a test double named as such); the
distress detector is the real one, since words said about feedback are checked like
any answer. The feedback is built here, so each test says what staff wrote.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.engine import Response, SurveyEngine
from bot.engine.feedback import FeedbackSubject
from nlu.distress import DistressDetector
from nlu.service import Analyser
from privacy.identity import CallbackCodec
from storage import Answer, Database, FeedbackReaction
from storage import outbox as outbox_rows
from storage.models import OutboxKind, OutboxMessage, OutboxStatus
from survey.config import Survey
from survey.feedback import FeedbackFile, FeedbackStatus
from tests.support.chat import Chat, advance_to, consent, participant, t
from tests.support.clock import Clock
from tests.support.themes import ScriptedThemes

TODAY = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
ALARM = "ik wil niet meer leven, niemand zou me missen"


def feedback_file(status: str = "gedaan") -> FeedbackFile:
    return FeedbackFile.model_validate(
        {
            "themes": {
                "transport": {
                    "status": status,
                    "partner": "De Stroate",
                    "message": {
                        lang: f"Er rijdt een avondbus ({lang})." for lang in ("nl", "en", "fr")
                    },
                }
            }
        }
    )


@pytest.fixture
def engine(survey: Survey, database: Database, codec: CallbackCodec) -> SurveyEngine:
    analyser = Analyser(ScriptedThemes(survey), DistressDetector.default(), 1.0)
    return SurveyEngine(survey, database, codec, analyser, Clock(TODAY), feedback=feedback_file())


def feedback_message(engine: SurveyEngine) -> Response:
    """The message `jeugdstem feedback send transport` delivers, as a response to press in."""
    item = engine.feedback.of("transport")
    assert item is not None
    return Response([engine.feedback_messages.message("transport", item, "nl")])


@pytest.fixture
def walker(survey: Survey, database: Database, codec: CallbackCodec) -> SurveyEngine:
    """The same survey without NLU, to walk through the questions with placeholder answers
    (the real distress check would take some of those for a worry)."""
    return SurveyEngine(survey, database, codec, None, Clock(TODAY), feedback=feedback_file())


async def finished(walker: SurveyEngine, survey: Survey) -> None:
    """Through the first round, opted in."""
    chat = Chat(walker)
    await consent(chat, survey)
    await advance_to(chat, survey, "opt_in")
    await chat.press(t(survey, "button_opt_in_yes"))


async def hold_feedback(database: Database, status: FeedbackStatus) -> None:
    """Feedback on transport at this status, held (waiting) until the participant's round ends."""
    person = await participant(database)
    assert person is not None
    subject = str(FeedbackSubject("transport", status))
    with database.transaction() as session:
        outbox_rows.enqueue(session, OutboxKind.FEEDBACK, subject, [(person.id, TODAY)])
        session.execute(select(OutboxMessage)).scalar_one().status = OutboxStatus.WAITING


def held_status(database: Database) -> str:
    with database.transaction() as session:
        return session.execute(select(OutboxMessage.status)).scalar_one()


def reactions(database: Database) -> list[tuple[str, str, str]]:
    with database.transaction() as session:
        rows = session.execute(select(FeedbackReaction)).scalars()
        return [(row.theme, row.status, row.reaction) for row in rows]


def test_the_message_says_what_they_said_what_was_done_and_by_whom(
    engine: SurveyEngine, survey: Survey
) -> None:
    [reply] = feedback_message(engine).replies

    theme = survey.theme("transport")
    assert theme is not None
    assert reply.text.split("\n\n") == [
        t(survey, "feedback_you_said", barrier=theme.words["nl"]),
        t(survey, "feedback_status_done"),
        "Er rijdt een avondbus (nl).",
        t(survey, "feedback_partner", partner="De Stroate"),
    ]
    assert [b.label for row in reply.buttons for b in row] == [
        t(survey, key)
        for key in (
            "button_feedback_helps",
            "button_feedback_not",
            "button_feedback_more",
            "button_no_more_messages",
        )
    ]


async def test_a_reaction_is_stored_and_a_second_tap_replaces_it(
    engine: SurveyEngine, walker: SurveyEngine, survey: Survey, database: Database
) -> None:
    await finished(walker, survey)
    chat = Chat(engine)
    message = feedback_message(engine)

    helps = await chat.press(t(survey, "button_feedback_helps"), message)
    assert helps.notice == t(survey, "feedback_noted")
    assert reactions(database) == [("transport", "done", "helps")]

    await chat.press(t(survey, "button_feedback_not"), message)
    assert reactions(database) == [("transport", "done", "not")]


async def test_saying_more_stores_their_words_as_an_answer(
    engine: SurveyEngine, walker: SurveyEngine, survey: Survey, database: Database
) -> None:
    await finished(walker, survey)
    chat = Chat(engine)

    asked = await chat.press(t(survey, "button_feedback_more"), feedback_message(engine))
    assert [r.text for r in asked.replies] == [t(survey, "feedback_say_more")]
    assert asked.step == "more:transport"
    thanks = await chat.text("de bus stopt nog altijd om acht uur")

    assert [r.text for r in thanks.replies] == [t(survey, "feedback_said_more")]
    assert thanks.step == "done"
    with database.transaction() as session:
        last = session.execute(select(Answer).order_by(Answer.id.desc())).scalars().first()
        assert last is not None
        assert (last.question_id, last.text) == (
            "fb-transport",
            "de bus stopt nog altijd om acht uur",
        )
    assert reactions(database) == [("transport", "done", "more")]


async def test_words_said_about_feedback_are_checked_for_distress(
    engine: SurveyEngine, walker: SurveyEngine, survey: Survey, database: Database
) -> None:
    await finished(walker, survey)
    chat = Chat(engine)
    await chat.press(t(survey, "button_feedback_more"), feedback_message(engine))

    answered = await chat.text(ALARM)

    assert answered.distress_level == "alarm"
    assert "112" in answered.replies[0].text  # the helplines come first
    with database.transaction() as session:
        last = session.execute(select(Answer).order_by(Answer.id.desc())).scalars().first()
        assert last is not None and last.distress


async def test_feedback_held_for_the_end_of_a_round_comes_with_it(
    walker: SurveyEngine, survey: Survey, database: Database
) -> None:
    chat = Chat(walker)
    await consent(chat, survey)
    await hold_feedback(database, FeedbackStatus.DONE)
    await advance_to(chat, survey, "opt_in")

    done = await chat.press(t(survey, "button_opt_in_yes"))

    assert done.replies[-1] == feedback_message(walker).replies[0]
    assert held_status(database) == OutboxStatus.SENT


async def test_held_feedback_whose_status_changed_since_is_not_sent(
    walker: SurveyEngine, survey: Survey, database: Database
) -> None:
    # Queued while the status was "op de agenda"; staff have since written "gedaan".
    chat = Chat(walker)
    await consent(chat, survey)
    await hold_feedback(database, FeedbackStatus.ON_THE_AGENDA)
    await advance_to(chat, survey, "opt_in")

    done = await chat.press(t(survey, "button_opt_in_yes"))

    assert [r.text for r in done.replies] == [t(survey, "opt_in_yes")]
    assert held_status(database) == OutboxStatus.CANCELLED
