"""Who a follow-up round reaches, and the outbox drained through a recording channel.

The channel here is a test double, named as such: it records what it was given and
answers with scripted outcomes, so each Telegram answer (403, a timeout, a refused
connection) is certain. The real Telegram side, with the fake Bot API's 429s and a
killed process, is in tests/cli/test_send_e2e.py. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select, update

from bot.engine.buttons import ButtonCodec
from bot.engine.events import Reply
from bot.engine.feedback import FeedbackMessages
from bot.engine.rounds import Rounds
from bot.sending import (
    Exclusion,
    FeedbackCampaign,
    Filters,
    OutboxSender,
    Outcome,
    Plan,
    RoundCampaign,
    due_times,
    plan_send,
)
from privacy.identity import CallbackCodec
from storage import (
    Case,
    ChatLink,
    Conversation,
    Database,
    OutboxMessage,
    Participant,
    Participation,
)
from storage import outbox as outbox_rows
from storage.models import CaseReason, OutboxKind, OutboxStatus
from survey.clock import LOCAL_TIME
from survey.config import Round, SendSettings, Survey
from survey.feedback import FeedbackFile
from tests.support.audience import add_people, give_themes
from tests.support.clock import Clock

AFTERNOON = datetime(2026, 12, 7, 15, 0, tzinfo=LOCAL_TIME).astimezone(UTC)
EVENING = datetime(2026, 12, 7, 22, 30, tzinfo=LOCAL_TIME).astimezone(UTC)
NEXT_MORNING = datetime(2026, 12, 8, 8, 0, tzinfo=LOCAL_TIME).astimezone(UTC)
NO_FILTERS = Filters()


class RecordingChannel:
    """A channel double: records each (chat id, reply) and answers as scripted per chat."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, Reply]] = []
        self.script: dict[int, list[Outcome]] = defaultdict(list)

    async def __call__(self, chat_id: int, reply: Reply) -> Outcome:
        outcome = self.script[chat_id].pop(0) if self.script[chat_id] else Outcome.DELIVERED
        if outcome in (Outcome.DELIVERED, Outcome.UNKNOWN):
            self.sent.append((chat_id, reply))
        return outcome

    def chats(self) -> list[int]:
        return sorted(chat_id for chat_id, _ in self.sent)


@pytest.fixture
def fast_survey(survey: Survey) -> Survey:
    """The shipped survey at Telegram's top rate, so the tests do not wait on the pacer."""
    return survey.model_copy(update={"send": SendSettings(rate=30)})


@pytest.fixture
def follow_up(survey: Survey) -> Round:
    found = survey.round("opvolging")
    assert found is not None
    return found


@pytest.fixture
def rounds(fast_survey: Survey, codec: CallbackCodec) -> Rounds:
    return Rounds(fast_survey, ButtonCodec(codec))


@pytest.fixture
def campaign(follow_up: Round, rounds: Rounds) -> RoundCampaign:
    return RoundCampaign(follow_up, rounds)


def plan(database: Database, campaign: RoundCampaign, filters: Filters = NO_FILTERS) -> Plan:
    with database.snapshot() as session:
        people = outbox_rows.audience(session, OutboxKind.ROUND, campaign.subject)
    return plan_send(people, campaign, filters)


async def send_round(
    fast_survey: Survey,
    database: Database,
    campaign: RoundCampaign,
    channel: RecordingChannel,
    clock: Clock,
) -> OutboxSender:
    """Plan, queue and drain the round, as `jeugdstem send --yes` does."""
    sender = OutboxSender(fast_survey, database, campaign, channel, clock)
    sender.enqueue(plan(database, campaign), timedelta(0))
    await sender.run()
    return sender


def statuses(database: Database) -> dict[int, str]:
    """Outbox status per participant id."""
    with database.transaction() as session:
        rows = session.execute(select(OutboxMessage.participant_id, OutboxMessage.status))
        return {participant_id: status for participant_id, status in rows}


def test_the_plan_names_why_each_excluded_person_is_left_out(
    database: Database, campaign: RoundCampaign
) -> None:
    (reached,) = add_people(database, [1])
    add_people(database, [2], opted_in=False)
    blocked, no_link, answered, in_case, queued = add_people(database, range(3, 8))
    with database.transaction() as session:
        session.get_one(Participant, blocked.id).unreachable = True
        session.execute(delete(ChatLink).where(ChatLink.participant_id == no_link.id))
        session.add(_participation(answered.id, "opvolging"))
        session.add(Case(participant_id=in_case.id, reason=CaseReason.REQUEST))
        outbox_rows.enqueue(session, OutboxKind.ROUND, "opvolging", [(queued.id, AFTERNOON)])

    found = plan(database, campaign)

    assert [p.participant_id for p in found.recipients] == [reached.id]
    assert found.excluded == {
        Exclusion.OPTED_OUT: 1,
        Exclusion.UNREACHABLE: 2,
        Exclusion.ALREADY_ANSWERED: 1,
        Exclusion.OPEN_CASE: 1,
        Exclusion.ALREADY_QUEUED: 1,
    }


def test_filters_by_source_age_band_and_barrier(
    database: Database, campaign: RoundCampaign
) -> None:
    bolwerk = add_people(database, [1, 2], source="bolwerk")
    add_people(database, [3], source="quindo")
    add_people(database, [4], source="bolwerk", age_band="22-25")
    give_themes(database, bolwerk[0], ["transport"])
    give_themes(database, bolwerk[1], ["cost"])

    by_source = plan(database, campaign, Filters(sources=("bolwerk",)))
    assert len(by_source.recipients) == 3 and by_source.not_targeted == 1
    by_age = plan(database, campaign, Filters(sources=("bolwerk",), age_bands=("16-18",)))
    assert len(by_age.recipients) == 2
    by_theme = plan(database, campaign, Filters(themes=("transport",)))
    assert [p.participant_id for p in by_theme.recipients] == [bolwerk[0].id]


async def test_each_recipient_gets_one_invitation_in_their_language(
    fast_survey: Survey,
    database: Database,
    campaign: RoundCampaign,
) -> None:
    dutch = add_people(database, range(100, 103))
    (french,) = add_people(database, [200], language="fr")
    channel = RecordingChannel()

    await send_round(fast_survey, database, campaign, channel, Clock(AFTERNOON))
    # A second send of the same round reaches nobody again.
    await send_round(fast_survey, database, campaign, channel, Clock(AFTERNOON))

    assert channel.chats() == [100, 101, 102, 200]
    french_reply = next(reply for chat_id, reply in channel.sent if chat_id == 200)
    assert french_reply.text.startswith(campaign.round.title["fr"])
    labels = [button.label for row in french_reply.buttons for button in row]
    keys = ("button_join_round", "button_no_more_messages")
    assert labels == [fast_survey.text(key, "fr") for key in keys]
    assert set(statuses(database).values()) == {OutboxStatus.SENT}
    assert len(statuses(database)) == len(dutch) + 1 == 4 and french.id in statuses(database)


async def test_quiet_hours_hold_minors_until_morning_and_adults_go_at_once(
    fast_survey: Survey,
    database: Database,
    campaign: RoundCampaign,
) -> None:
    minor, _ = add_people(database, [1, 2], age_band="16-18")
    (unknown_age,) = add_people(database, [3], age_band=None)
    (adult,) = add_people(database, [4], age_band="19-21")
    channel = RecordingChannel()
    clock = Clock(EVENING)
    held_until: list[datetime] = []

    def morning(until: datetime, count: int) -> None:
        # The sender would sleep until then: the test moves the clock instead.
        held_until.append(until)
        clock.moment = NEXT_MORNING

    sender = OutboxSender(fast_survey, database, campaign, channel, clock, on_hold=morning)
    sender.enqueue(plan(database, campaign), timedelta(0))
    await sender.run()

    assert channel.sent[0][0] == adult.chat_id  # at 22:30, before anyone else
    assert channel.chats() == [1, 2, 3, 4]  # the others the next morning: held, not dropped
    assert [u.astimezone(LOCAL_TIME).hour for u in held_until] == [8]
    assert {minor.id, unknown_age.id} <= set(statuses(database))


async def test_a_blocked_bot_marks_the_person_unreachable(
    fast_survey: Survey, database: Database, campaign: RoundCampaign
) -> None:
    blocked, fine = add_people(database, [1, 2])
    channel = RecordingChannel()
    channel.script[1] = [Outcome.BLOCKED]

    await send_round(fast_survey, database, campaign, channel, Clock(AFTERNOON))

    assert channel.chats() == [2]
    assert statuses(database) == {blocked.id: OutboxStatus.UNREACHABLE, fine.id: OutboxStatus.SENT}
    with database.transaction() as session:
        assert session.get_one(Participant, blocked.id).unreachable
    # The next round's plan counts them as unreachable.
    assert plan(database, campaign).excluded[Exclusion.UNREACHABLE] == 1


async def test_a_message_that_may_have_arrived_is_never_sent_again(
    fast_survey: Survey, database: Database, campaign: RoundCampaign
) -> None:
    (person,) = add_people(database, [1])
    channel = RecordingChannel()
    channel.script[1] = [Outcome.UNKNOWN]

    await send_round(fast_survey, database, campaign, channel, Clock(AFTERNOON))
    with database.transaction() as session:
        # As if the sender died before storing what happened: the next run resumes.
        session.execute(update(OutboxMessage).values(status=OutboxStatus.SENDING.value))
    sender = OutboxSender(fast_survey, database, campaign, channel, Clock(AFTERNOON))
    tally = await sender.run()

    assert channel.chats() == [1]
    assert tally.recovered_uncertain == 1 and tally.sent == 0
    assert statuses(database) == {person.id: OutboxStatus.UNCERTAIN}


async def test_a_channel_that_cannot_be_reached_is_tried_again_later(
    fast_survey: Survey, database: Database, campaign: RoundCampaign
) -> None:
    (person,) = add_people(database, [1])
    channel = RecordingChannel()
    channel.script[1] = [Outcome.NOT_DELIVERED]
    clock = Clock(AFTERNOON)

    def later(until: datetime, count: int) -> None:
        clock.moment = until

    sender = OutboxSender(fast_survey, database, campaign, channel, clock, on_hold=later)
    sender.enqueue(plan(database, campaign), timedelta(0))
    tally = await sender.run()

    assert channel.chats() == [1] and tally.sent == 1
    assert statuses(database) == {person.id: OutboxStatus.SENT}


async def test_who_opted_out_or_took_the_round_after_the_plan_is_not_sent_to(
    fast_survey: Survey, database: Database, campaign: RoundCampaign
) -> None:
    opted_out, took_it, busy, fine = add_people(database, [1, 2, 3, 4])
    sender = OutboxSender(fast_survey, database, campaign, RecordingChannel(), Clock(AFTERNOON))
    sender.enqueue(plan(database, campaign), timedelta(0))
    with database.transaction() as session:
        session.get_one(Participant, opted_out.id).notify_opt_in = False
        session.add(_participation(took_it.id, "opvolging"))
        conversation = session.get_one(Conversation, busy.id)
        conversation.step = "q:area"
    channel = RecordingChannel()
    sender.deliver = channel

    tally = await sender.run()

    assert channel.chats() == [4]
    assert statuses(database) == {
        opted_out.id: OutboxStatus.CANCELLED,
        took_it.id: OutboxStatus.CANCELLED,
        busy.id: OutboxStatus.WAITING,  # the bot adds it when they finish
        fine.id: OutboxStatus.SENT,
    }
    assert (tally.cancelled, tally.waiting, tally.sent) == (2, 1, 1)


def test_a_spread_send_is_due_evenly_over_the_spread() -> None:
    due = due_times(4, AFTERNOON, timedelta(hours=6))
    assert due == [AFTERNOON + timedelta(hours=h) for h in (0, 1.5, 3, 4.5)]
    assert due_times(3, AFTERNOON, timedelta(0)) == [AFTERNOON] * 3


async def test_a_spread_send_holds_the_later_ones(
    fast_survey: Survey, database: Database, campaign: RoundCampaign
) -> None:
    add_people(database, [1, 2])
    channel = RecordingChannel()
    clock = Clock(AFTERNOON)
    sender = OutboxSender(fast_survey, database, campaign, channel, clock)
    sender.on_hold = lambda until, count: sender.stop()
    sender.enqueue(plan(database, campaign), timedelta(hours=6))

    await sender.run()

    assert channel.chats() == [1]  # the second is due three hours later


def _participation(participant_id: int, round_id: str) -> Participation:
    return Participation(participant_id=participant_id, round_id=round_id, language="nl")


def test_feedback_reaches_who_raised_the_theme(
    fast_survey: Survey, database: Database, codec: CallbackCodec
) -> None:
    labelled, confirmed, confident, unsure, corrected, other = add_people(database, range(1, 7))
    give_themes(database, labelled, staff=["transport"])
    give_themes(database, confirmed, ["transport"])
    give_themes(database, confident, predicted={"transport": 0.9})
    give_themes(database, unsure, predicted={"transport": 0.4})  # below nlu.confident
    # Staff's label wins over the prediction, the young person's word over both.
    give_themes(database, corrected, ["cost"], predicted={"transport": 0.95})
    give_themes(database, other, ["cost"])
    item = FeedbackFile.model_validate(
        {
            "themes": {
                "transport": {"status": "gedaan", "message": dict.fromkeys(("nl", "en", "fr"), "x")}
            }
        }
    ).of("transport")
    assert item is not None
    campaign = FeedbackCampaign(
        "transport", item, FeedbackMessages(fast_survey, ButtonCodec(codec))
    )

    with database.snapshot() as session:
        people = outbox_rows.audience(
            session, campaign.kind, campaign.subject, confident=fast_survey.nlu.confident
        )
    found = plan_send(people, campaign, NO_FILTERS)

    assert campaign.subject == "transport:done"
    assert sorted(p.participant_id for p in found.recipients) == sorted(
        (labelled.id, confirmed.id, confident.id)
    )
    assert found.not_targeted == 3
