"""Follow-up rounds in the conversation: joining, the profile carried over, opting out.

The survey is the shipped config.yml (first round ``start``, follow-up ``opvolging``
open 2026-12-01 to 2027-06-30); the clock is frozen inside or after that window.
No NLU: answers are stored unclassified, so no theme step comes between questions.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from bot.engine import Command, Response, Start, SurveyEngine
from privacy.identity import CallbackCodec
from storage import Conversation, Database, OutboxMessage
from storage import outbox as outbox_rows
from storage.models import OutboxKind, OutboxStatus
from survey.config import StartCode, Survey
from tests.support.chat import (
    Chat,
    advance_to,
    answer_current,
    consent,
    give_a_case,
    latest_participation,
    option_label,
    participant,
    participations,
    t,
)
from tests.support.clock import Clock

IN_THE_ROUND = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
AFTER_THE_ROUND = datetime(2027, 7, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(IN_THE_ROUND)


@pytest.fixture
def engine(survey: Survey, database: Database, codec: CallbackCodec, clock: Clock) -> SurveyEngine:
    return SurveyEngine(survey, database, codec, clock=clock)


def texts(response: Response) -> list[str]:
    return [reply.text for reply in response.replies]


def round_prompt(survey: Survey, question_id: str, number: int, total: int = 2) -> str:
    question = survey.question(question_id)
    assert question is not None
    return f"{t(survey, 'progress', number=number, total=total)} {question.text['nl']}"


async def finish_first_round(chat: Chat, survey: Survey, *, opt_in: bool = True) -> Response:
    """Consent, answer every question of the survey and say yes (or no) to new questions."""
    await consent(chat, survey)
    await advance_to(chat, survey, "opt_in")
    choice = "button_opt_in_yes" if opt_in else "button_opt_in_no"
    return await chat.press(t(survey, choice))


async def invitation(engine: SurveyEngine, survey: Survey) -> Response:
    """The invitation `jeugdstem send opvolging` delivers, as a response to press in."""
    found = survey.round("opvolging")
    assert found is not None
    return Response([engine.rounds.invitation(found, "nl")])


async def queue_invitation(database: Database, status: OutboxStatus) -> int:
    """An invitation to opvolging for the participant, in this status; its row id."""
    person = await participant(database)
    assert person is not None
    with database.transaction() as session:
        outbox_rows.enqueue(session, OutboxKind.ROUND, "opvolging", [(person.id, IN_THE_ROUND)])
        row = session.execute(select(OutboxMessage)).scalar_one()
        row.status = status
        return row.id


async def outbox_status(database: Database) -> list[str]:
    with database.transaction() as session:
        return list(session.execute(select(OutboxMessage.status)).scalars())


async def test_doe_mee_starts_the_round_without_the_profile_questions(
    engine: SurveyEngine, survey: Survey, database: Database
) -> None:
    chat = Chat(engine)
    await finish_first_round(chat, survey)

    joined = await chat.press(t(survey, "button_join_round"), await invitation(engine, survey))

    title = survey.round_title("opvolging", "nl")
    assert texts(joined) == [
        t(survey, "round_joined_known", title=title),
        round_prompt(survey, "better-now", 1),
    ]
    assert joined.step == "q:better-now"
    await chat.press(option_label(survey, "better-now", "same"))
    assert chat.last.step == "q:what-changed"
    assert texts(chat.last) == [round_prompt(survey, "what-changed", 2)]
    await chat.text("de bus rijdt nog altijd niet 's avonds")
    assert chat.last.step == "opt_in"

    first, follow_up = await participations(database)
    assert (first.round_id, follow_up.round_id) == ("start", "opvolging")
    # Age band, area and source carry over, so the report can break the round down.
    assert (follow_up.age_band, follow_up.area) == (first.age_band, first.area) != (None, None)
    assert follow_up.finished_at is not None


async def test_a_round_is_taken_once(engine: SurveyEngine, survey: Survey) -> None:
    chat = Chat(engine)
    await finish_first_round(chat, survey)
    invited = await invitation(engine, survey)
    await chat.press(t(survey, "button_join_round"), invited)
    await advance_to(chat, survey, "opt_in")
    await chat.press(t(survey, "button_opt_in_yes"))

    again = await chat.press(t(survey, "button_join_round"), invited)

    assert texts(again) == [t(survey, "round_already_done")]
    assert again.step == "done"


async def test_joining_mid_survey_shows_where_they_are(
    engine: SurveyEngine, survey: Survey
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await answer_current(chat, survey)  # the age: now at the area question

    busy = await chat.press(t(survey, "button_join_round"), await invitation(engine, survey))

    assert texts(busy)[0] == t(survey, "round_busy")
    assert busy.step == "q:area"


async def test_a_closed_round_is_said_so_and_nothing_starts(
    engine: SurveyEngine, survey: Survey, database: Database, clock: Clock
) -> None:
    chat = Chat(engine)
    await finish_first_round(chat, survey)
    clock.moment = AFTER_THE_ROUND

    closed = await chat.press(t(survey, "button_join_round"), await invitation(engine, survey))

    assert texts(closed) == [t(survey, "round_closed")]
    assert len(await participations(database)) == 1


async def test_a_deep_link_naming_the_round_takes_a_returning_participant_there(
    engine: SurveyEngine, survey: Survey, database: Database
) -> None:
    chat = Chat(engine)
    await finish_first_round(chat, survey)

    joined = await chat.send(Start(str(StartCode("quindo", "opvolging"))))

    assert joined.step == "q:better-now"
    assert (await latest_participation(database)).round_id == "opvolging"


async def test_a_newcomer_on_a_round_link_begins_with_the_first_round(
    engine: SurveyEngine, survey: Survey, database: Database
) -> None:
    chat = Chat(engine)
    welcome = await chat.send(Start("quindo__opvolging"))
    assert texts(welcome) == [t(survey, "welcome")]

    started = await chat.press(t(survey, "button_consent_yes"), welcome)

    # The first round asks the age, so the age gate holds for everyone.
    assert started.step == "q:age"
    run = await latest_participation(database)
    assert (run.round_id, run.source) == ("start", "quindo")


async def test_geen_berichten_meer_opts_out_and_cancels_what_is_queued(
    engine: SurveyEngine, survey: Survey, database: Database
) -> None:
    chat = Chat(engine)
    await finish_first_round(chat, survey)
    await queue_invitation(database, OutboxStatus.PENDING)

    stopped = await chat.press(
        t(survey, "button_no_more_messages"), await invitation(engine, survey)
    )

    assert texts(stopped) == [t(survey, "no_more_messages")]
    person = await participant(database)
    assert person is not None and not person.notify_opt_in
    assert await outbox_status(database) == [OutboxStatus.CANCELLED]


async def test_the_geenberichten_command_does_the_same(
    engine: SurveyEngine, survey: Survey, database: Database
) -> None:
    chat = Chat(engine)
    await finish_first_round(chat, survey)
    await queue_invitation(database, OutboxStatus.WAITING)

    stopped = await chat.send(Command("geenberichten"))

    assert texts(stopped) == [t(survey, "no_more_messages")]
    person = await participant(database)
    assert person is not None and not person.notify_opt_in
    assert await outbox_status(database) == [OutboxStatus.CANCELLED]


async def test_an_invitation_waiting_for_the_end_comes_with_it(
    engine: SurveyEngine, survey: Survey, database: Database
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await queue_invitation(database, OutboxStatus.WAITING)
    await advance_to(chat, survey, "opt_in")

    done = await chat.press(t(survey, "button_opt_in_yes"))

    assert texts(done)[-1] == (await invitation(engine, survey)).replies[0].text
    assert await outbox_status(database) == [OutboxStatus.SENT]
    joined = await chat.press(t(survey, "button_join_round"), done)
    assert joined.step == "q:better-now"


async def test_no_waiting_invitation_for_someone_who_says_no_at_the_end(
    engine: SurveyEngine, survey: Survey, database: Database
) -> None:
    chat = Chat(engine)
    await consent(chat, survey)
    await queue_invitation(database, OutboxStatus.WAITING)
    await advance_to(chat, survey, "opt_in")

    done = await chat.press(t(survey, "button_opt_in_no"))

    assert texts(done) == [t(survey, "opt_in_no")]
    assert await outbox_status(database) == [OutboxStatus.CANCELLED]


async def test_mydata_lists_the_round_and_the_messages(
    engine: SurveyEngine, survey: Survey, database: Database
) -> None:
    chat = Chat(engine)
    await finish_first_round(chat, survey)
    await queue_invitation(database, OutboxStatus.SENT)

    document = "".join(texts(await chat.send(Command("mydata")))[1:])

    assert '"round": "start"' in document
    assert '"subject": "opvolging"' in document
    assert '"status": "sent"' in document


def survey_with_profile_round(survey: Survey) -> Survey:
    """The shipped survey plus a round that asks age and area itself, for newcomers' sake."""
    data = survey.model_dump(mode="json", exclude_none=True)
    age, area = survey.questions[0], survey.questions[1]
    data["rounds"].append(
        {
            "id": "met-profiel",
            "title": {lang: "Met profiel" for lang in survey.languages},
            "invitation": {lang: "Nieuwe vragen" for lang in survey.languages},
            "questions": [
                {**age.model_dump(mode="json", exclude_none=True), "id": "age-again"},
                {**area.model_dump(mode="json", exclude_none=True), "id": "area-again"},
                {
                    "id": "anything",
                    "type": "open",
                    "text": {lang: "?" for lang in survey.languages},
                },
            ],
        }
    )
    return Survey.model_validate(data)


async def test_profile_questions_in_a_follow_up_round_are_passed_over_when_known(
    survey: Survey, database: Database, codec: CallbackCodec, clock: Clock
) -> None:
    extended = survey_with_profile_round(survey)
    engine = SurveyEngine(extended, database, codec, clock=clock)
    chat = Chat(engine)
    await finish_first_round(chat, extended)

    joined = await chat.send(Start("__met-profiel"))

    assert joined.step == "q:anything"
    assert texts(joined)[-1] == f"{t(extended, 'progress', number=3, total=3)} ?"


async def test_no_round_starts_while_a_youth_worker_reads_along(
    engine: SurveyEngine, survey: Survey, database: Database
) -> None:
    chat = Chat(engine)
    await finish_first_round(chat, survey)
    await give_a_case(database)
    with database.transaction() as session:
        # A case pauses the conversation, as the handover does.
        session.execute(update(Conversation).values(paused=True))

    pressed = await chat.press(t(survey, "button_join_round"), await invitation(engine, survey))

    assert texts(pressed) == [t(survey, "handover_already_open")]
    assert len(await participations(database)) == 1
