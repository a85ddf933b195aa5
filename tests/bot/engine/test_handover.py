"""A youth worker taking over (bot/engine/handover.py, bot/engine/staff.py), on both databases.

The young person's side goes through ``SurveyEngine.handle``, the staff chat's
through ``StaffDesk.handle``; what the adapter would do with a ``Handoff`` (send
it, note where the card and the copies landed) is done here by ``land``. The
real bot process, the fake Bot API and a staff group drive
tests/bot/test_handover_e2e.py.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from bot.engine import NonText, Press, Response, SurveyEngine
from bot.engine.events import Handoff, Post, StaffMessage, StaffPress, StaffResponse
from bot.engine.handover import asks_for_a_person
from bot.engine.staff import StaffDesk
from nlu.risk import DistressLevel, RiskKind
from nlu.service import Analyser
from privacy.identity import CallbackCodec
from storage import Case, CaseMessage, Database, cases
from storage import repository as repo
from survey.config import HandoverSettings, Survey, Worker
from tests.support.chat import (
    CHAT_ID,
    PSEUDONYM,
    Chat,
    advance_to,
    button_labels,
    consent,
    conversation,
    participant,
    t,
)
from tests.support.clock import Clock
from tests.support.distress import ScriptedDistress
from tests.support.themes import ScriptedThemes

SARA = Worker(telegram_id=9001, name="Sara, Bolwerk")
YUSUF = Worker(telegram_id=9002, name="Yusuf, AjKo")
STRANGER = 9999
# Kortrijk is UTC+1 in winter: Tuesday 8 December 2026, 11:00 and 23:00 local.
ON_SHIFT = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
NIGHT = datetime(2026, 12, 8, 22, 0, tzinfo=UTC)
ALARM = "ik wil er niet meer zijn, ik heb pillen liggen. bel me op 0470 12 34 56"
CONCERN = "het is allemaal zo zwaar de laatste tijd"
PHONE = "bel me op 0470 12 34 56"


@pytest.fixture
def staffed(survey: Survey) -> Survey:
    """The shipped survey with two workers listed, on its shipped hours."""
    handover = HandoverSettings(workers=(SARA, YUSUF), hours=survey.handover.hours)
    return survey.model_copy(update={"handover": handover})


@pytest.fixture
def clock() -> Clock:
    return Clock(ON_SHIFT)


@pytest.fixture
def engine(staffed: Survey, database: Database, codec: CallbackCodec, clock: Clock) -> SurveyEngine:
    distress = ScriptedDistress()
    distress.says(ALARM, DistressLevel.ALARM, RiskKind.SUICIDE)
    distress.says(CONCERN, DistressLevel.CONCERN, RiskKind.SUICIDE)
    analyser = Analyser(ScriptedThemes(staffed), distress, staffed.nlu.timeout_seconds)
    return SurveyEngine(staffed, database, codec, analyser, clock=clock, staff_chat=True)


@pytest.fixture
def desk(engine: SurveyEngine) -> StaffDesk:
    return StaffDesk(engine.survey, engine.database, engine.buttons, engine.handover, engine.clock)


class StaffChat:
    """The staff group as the adapter would keep it: message ids handed out as posts land."""

    def __init__(self, desk: StaffDesk, database: Database) -> None:
        self.desk = desk
        self.database = database
        self.next_id = 500
        self.posts: list[tuple[int, Post]] = []
        self.card_id: int | None = None

    async def land(self, handoff: Handoff | None) -> list[tuple[int, Post]]:
        """Give each post to the staff chat an id and note it, as the adapter does."""
        landed = []
        for post in handoff.to_staff if handoff else []:
            self.next_id += 1
            landed.append((self.next_id, post))
            if post.note_card is not None:
                self.card_id = self.next_id
                await self.database.run(
                    partial(cases.note_card, case_id=post.note_card, card_message_id=self.next_id)
                )
            if post.note_message is not None:
                await self.database.run(
                    partial(
                        cases.note_staff_copy,
                        message_id=post.note_message,
                        staff_message_id=self.next_id,
                    )
                )
        self.posts += landed
        return landed

    async def press(self, worker_id: int, label: str, card: Post) -> StaffResponse:
        data = next(b.data for row in card.buttons for b in row if b.label == label)
        assert self.card_id is not None
        response = await self.desk.handle(StaffPress(worker_id, data, self.card_id))
        await self.land(response.handoff)
        return response

    async def reply(
        self, worker_id: int, to: int, text: str | None = None, media: str | None = None
    ) -> StaffResponse:
        self.next_id += 1
        event = StaffMessage(worker_id, self.next_id, reply_to=to, text=text, media=media)
        response = await self.desk.handle(event)
        await self.land(response.handoff)
        return response


@pytest.fixture
def staff(desk: StaffDesk, database: Database) -> StaffChat:
    return StaffChat(desk, database)


async def case_rows(database: Database) -> list[Case]:
    with database.transaction() as session:
        return list(session.query(Case).order_by(Case.id))


async def message_rows(database: Database) -> list[CaseMessage]:
    with database.transaction() as session:
        return list(session.query(CaseMessage).order_by(CaseMessage.id))


async def open_a_case(chat: Chat, staffed: Survey, staff: StaffChat) -> Post:
    """A consenting participant asks with /praten and says yes; returns the case card."""
    await consent(chat, staffed)
    offer = await chat.command("praten")
    assert [r.text for r in offer.replies] == [t(staffed, "handover_offer")]
    opened = await chat.press(t(staffed, "button_handover_yes"), offer)
    assert opened.handoff is not None
    (card,) = opened.handoff.to_staff
    await staff.land(opened.handoff)
    return card


def young_texts(response: StaffResponse | Response) -> list[str | None]:
    handoff = response.handoff
    return [post.text for post in handoff.to_young] if handoff else []


# -- asking ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "kan ik met iemand praten",
        "Kan ik met iemand praten?",
        "mag ik even met iemand spreken aub",
        "ik wil met een jeugdwerker praten",
        "ik wil praten met iemand",
        "kan k ier es me iemand klappen",
        "mag ik nu met een echte persoon chatten pls",
        "can I talk to someone please",
        "I need to talk to a real person",
        "je veux parler à quelqu'un",
        "est-ce que je peux parler avec une personne ?",
    ],
)
def test_a_request_for_a_person_is_recognised(text: str) -> None:
    assert asks_for_a_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "ik praat met iemand over voetbal",
        "mijn vrienden willen niet met iemand praten",
        "talk to someone at school about the bus",
        "praten",
        "ik wil met iemand praten over de prijs van de sportclub",
        "kan ik met iemand gaan sporten",
    ],
)
def test_an_answer_that_mentions_talking_is_no_request(text: str) -> None:
    assert not asks_for_a_person(text)


async def test_praten_explains_then_nee_opens_nothing(
    engine: SurveyEngine, staffed: Survey, database: Database
) -> None:
    chat = Chat(engine)
    await consent(chat, staffed)
    offer = await chat.command("praten")
    assert offer.replies[0].text == t(staffed, "handover_offer")
    assert "naam" in offer.replies[0].text and "Telegram" in offer.replies[0].text
    assert button_labels(offer) == [
        t(staffed, "button_handover_yes"),
        t(staffed, "button_handover_no"),
    ]
    declined = await chat.press(t(staffed, "button_handover_no"), offer)
    assert [r.text for r in declined.replies] == [t(staffed, "handover_declined")]
    assert declined.handoff is None
    assert await case_rows(database) == []


async def test_a_typed_request_gets_the_offer(engine: SurveyEngine, staffed: Survey) -> None:
    chat = Chat(engine)
    await consent(chat, staffed)
    offer = await chat.text("kan ik met iemand praten?")
    assert offer.replies[0].text == t(staffed, "handover_offer")


async def test_ja_opens_a_case_pauses_the_survey_and_posts_a_card(
    engine: SurveyEngine, staffed: Survey, database: Database, staff: StaffChat
) -> None:
    chat = Chat(engine)
    card = await open_a_case(chat, staffed, staff)
    assert chat.last.replies[0].text == t(staffed, "handover_opened")
    assert (await conversation(database)).paused
    (case,) = await case_rows(database)
    assert case.reason == "request" and case.closed_at is None and not case.out_of_hours
    assert case.card_message_id == staff.card_id
    assert card.text is not None and f"Case {case.id}" in card.text
    assert PSEUDONYM[:8] in card.text
    assert [b.label for row in card.buttons for b in row] == ["Ik neem dit op", "Afsluiten"]


async def test_out_of_hours_says_so_with_the_lines_open_day_and_night(
    engine: SurveyEngine, staffed: Survey, database: Database, staff: StaffChat, clock: Clock
) -> None:
    clock.moment = NIGHT
    chat = Chat(engine)
    await open_a_case(chat, staffed, staff)
    text = chat.last.replies[0].text
    assert text.startswith(
        t(staffed, "handover_out_of_hours", when="op woensdag om 09:00").split(":")[0]
    )
    assert "op woensdag om 09:00" in text
    for number in ("1813", "106", "112"):
        assert number in text
    (case,) = await case_rows(database)
    assert case.out_of_hours


async def test_without_workers_praten_gives_the_helplines_and_alerts_staff(
    survey: Survey, database: Database, codec: CallbackCodec
) -> None:
    engine = SurveyEngine(survey, database, codec, staff_chat=True)
    chat = Chat(engine)
    await consent(chat, survey)
    response = await chat.command("praten")
    assert response.alert_staff
    assert "112" in response.replies[0].text
    assert await case_rows(database) == []


async def test_before_consent_praten_gives_the_helplines_and_stores_nothing(
    engine: SurveyEngine, database: Database
) -> None:
    response = await Chat(engine).command("praten")
    assert response.alert_staff and "112" in response.replies[0].text
    assert await participant(database) is None


# -- after distress ---------------------------------------------------------------------------


async def test_an_alarm_gets_helplines_then_the_offer_and_the_card_shows_it_redacted(
    engine: SurveyEngine, staffed: Survey, database: Database, staff: StaffChat
) -> None:
    chat = Chat(engine)
    await consent(chat, staffed)
    await advance_to(chat, staffed, "q:holds-back")
    alarm = await chat.text(ALARM)
    assert alarm.alert_staff
    assert "112" in alarm.replies[0].text
    assert alarm.replies[-1].text == t(staffed, "handover_offer")
    opened = await chat.press(t(staffed, "button_handover_yes"), alarm)
    assert opened.handoff is not None
    (card,) = opened.handoff.to_staff
    assert card.text is not None
    assert "alarm (suicide)" in card.text
    assert "pillen" in card.text and "0470" not in card.text
    (case,) = await case_rows(database)
    assert case.reason == "alarm" and case.risk_kinds == ["suicide"]


async def test_talk_after_a_concern_gives_helplines_and_the_offer(
    engine: SurveyEngine, staffed: Survey, database: Database
) -> None:
    chat = Chat(engine)
    await consent(chat, staffed)
    await advance_to(chat, staffed, "q:holds-back")
    check_in = await chat.text(CONCERN)
    talk = await chat.press(t(staffed, "button_talk"), check_in)
    assert "1813" in talk.replies[0].text
    assert talk.replies[-1].text == t(staffed, "handover_offer")
    declined = await chat.press(t(staffed, "button_handover_no"), talk)
    # The questions wait after a concern: "Nee" leaves a way back to them.
    assert [r.text for r in declined.replies] == [
        t(staffed, "handover_declined"),
        t(staffed, "distress_paused"),
    ]
    resumed = await chat.press(t(staffed, "button_resume"), declined)
    assert resumed.replies[0].text == t(staffed, "resumed")
    assert await case_rows(database) == []
    await chat.press(t(staffed, "button_handover_yes"), talk)  # changed their mind
    (case,) = await case_rows(database)
    assert case.reason == "concern"


# -- the relay --------------------------------------------------------------------------------


async def test_before_a_claim_the_staff_chat_reads_redacted_text_only(
    engine: SurveyEngine, staffed: Survey, database: Database, staff: StaffChat
) -> None:
    chat = Chat(engine)
    await open_a_case(chat, staffed, staff)
    first = await chat.text(f"thuis is het moeilijk, {PHONE}", message_id=77)
    assert [r.text for r in first.replies] == [t(staffed, "handover_waiting")]
    assert first.handoff is not None
    (relayed,) = first.handoff.to_staff
    assert relayed.text is not None and "0470" not in relayed.text and "thuis" in relayed.text
    assert relayed.reply_to == staff.card_id
    second = await chat.text("ben je daar?")
    assert second.replies == []  # told once that the message is kept; not after every line
    messages = await message_rows(database)
    assert [m.text for m in messages] == [f"thuis is het moeilijk, {PHONE}", "ben je daar?"]
    assert messages[0].channel_message_id == 77
    # The survey did not take them as answers.
    with database.transaction() as session:
        assert all(a.question_id != "holds-back" for a in repo.answers_of(session, PSEUDONYM))


async def test_two_workers_claim_at_once_and_exactly_one_wins(
    engine: SurveyEngine, staffed: Survey, database: Database, staff: StaffChat
) -> None:
    chat = Chat(engine)
    card = await open_a_case(chat, staffed, staff)
    results = await asyncio.gather(
        staff.press(SARA.telegram_id, "Ik neem dit op", card),
        staff.press(YUSUF.telegram_id, "Ik neem dit op", card),
    )
    outcomes = sorted(r.outcome for r in results)
    assert outcomes == ["claim_lost", "claimed"]
    (case,) = await case_rows(database)
    winner = SARA if case.worker_id == SARA.telegram_id else YUSUF
    (won,) = [r for r in results if r.outcome == "claimed"]
    (lost,) = [r for r in results if r.outcome == "claim_lost"]
    assert lost.notice == f"{winner.name} heeft deze case al."
    name = winner.name.replace(", ", " (") + ")"
    assert young_texts(won) == [t(staffed, "handover_claimed", worker=name)]
    (edit,) = won.handoff.staff_edits
    assert edit[0] == staff.card_id and f"Opgenomen door {winner.name}" in edit[1].text


async def test_a_claimed_case_relays_both_ways_in_full(
    engine: SurveyEngine, staffed: Survey, database: Database, staff: StaffChat
) -> None:
    chat = Chat(engine)
    card = await open_a_case(chat, staffed, staff)
    await chat.text(f"eerste bericht {PHONE}")
    claimed = await staff.press(SARA.telegram_id, "Ik neem dit op", card)
    thread = [p.text for p in claimed.handoff.to_staff]
    assert any(text and PHONE in text for text in thread)  # in full, now a worker has it
    later = await chat.text("dank je", message_id=80)
    (relayed,) = later.handoff.to_staff  # type: ignore[union-attr]
    assert relayed.text is not None and relayed.text.endswith(": dank je")
    (landed_id, _), *_ = await staff.land(later.handoff)
    # Sara replies to the relayed message: the young person reads her name and words.
    answer = await staff.reply(SARA.telegram_id, landed_id, "Hoi, ik ben Sara. Vertel maar.")
    assert answer.outcome == "relayed"
    assert young_texts(answer) == ["Sara (Bolwerk): Hoi, ik ben Sara. Vertel maar."]
    assert answer.handoff.young_chat is not None
    (case,) = await case_rows(database)
    assert case.first_answer_at is not None
    # A photo of the young person is copied on; one of Sara's too.
    photo = await chat.send(NonText("photo", 81))
    (copy,) = photo.handoff.to_staff  # type: ignore[union-attr]
    assert copy.copy_of == 81 and copy.text is None
    picture = await staff.reply(SARA.telegram_id, staff.card_id or 0, media="photo")
    assert [p.copy_of for p in picture.handoff.to_young] == [staff.next_id]


async def test_the_staff_chat_cannot_answer_through_the_wrong_door(
    engine: SurveyEngine, staffed: Survey, staff: StaffChat
) -> None:
    chat = Chat(engine)
    card = await open_a_case(chat, staffed, staff)
    assert staff.card_id is not None
    unclaimed = await staff.reply(SARA.telegram_id, staff.card_id, "hallo?")
    assert unclaimed.outcome == "unclaimed" and young_texts(unclaimed) == []
    stranger = await staff.reply(STRANGER, staff.card_id, "ik ben geen jeugdwerker")
    assert stranger.outcome == "ignored" and stranger.handoff.to_staff == []
    await staff.press(SARA.telegram_id, "Ik neem dit op", card)
    other = await staff.reply(YUSUF.telegram_id, staff.card_id, "ik neem over")
    assert other.outcome == "not_yours" and young_texts(other) == []
    not_a_case = await staff.reply(SARA.telegram_id, 1, "oud bericht")
    assert not_a_case.outcome == "not_a_case"
    empty = await staff.reply(SARA.telegram_id, staff.card_id)  # a location, a poll, ...
    assert empty.outcome == "nothing_to_relay" and young_texts(empty) == []
    # A colleague may close Sara's case (her shift ended, say); the card names who did.
    closed = await staff.press(YUSUF.telegram_id, "Afsluiten", card)
    assert "Afgesloten door Yusuf, AjKo." in closed.handoff.staff_edits[0][1].text
    assert young_texts(closed) == [t(staffed, "handover_closed_by_worker", worker="Yusuf (AjKo)")]
    late = await staff.reply(SARA.telegram_id, staff.card_id, "nog één ding")
    assert late.outcome == "closed_case" and young_texts(late) == []
    assert (
        late.handoff.to_staff[0].text == "Deze case is afgesloten: je bericht is niet doorgestuurd."
    )


# -- ending -----------------------------------------------------------------------------------


async def test_stop_closes_the_case_and_the_survey_goes_on_after(
    engine: SurveyEngine, staffed: Survey, database: Database, staff: StaffChat
) -> None:
    chat = Chat(engine)
    await open_a_case(chat, staffed, staff)
    stopped = await chat.command("stop")
    assert stopped.replies[0].text == t(staffed, "handover_closed_by_young")
    assert stopped.handoff is not None
    ((card_id, card),) = stopped.handoff.staff_edits
    assert card_id == staff.card_id and "Afgesloten door de jongere" in card.text
    (case,) = await case_rows(database)
    assert case.closed_by == "young"
    resumed = await chat.press(t(staffed, "button_resume"), stopped)
    assert resumed.replies[0].text == t(staffed, "resumed")
    assert not (await conversation(database)).paused


async def test_a_worker_closes_and_the_young_person_hears_it_kindly(
    engine: SurveyEngine, staffed: Survey, database: Database, staff: StaffChat
) -> None:
    chat = Chat(engine)
    card = await open_a_case(chat, staffed, staff)
    await staff.press(SARA.telegram_id, "Ik neem dit op", card)
    closed = await staff.press(SARA.telegram_id, "Afsluiten", card)
    assert young_texts(closed) == [t(staffed, "handover_closed_by_worker", worker="Sara (Bolwerk)")]
    (goodbye,) = closed.handoff.to_young
    assert [b.label for row in goodbye.buttons for b in row] == [t(staffed, "button_resume")]
    after = await chat.text("hallo?")
    assert after.handoff is None  # no longer relayed: the paused survey answers
    assert after.replies[0].text == t(staffed, "paused_reminder")
    resumed = await chat.send(Press(goodbye.buttons[0][0].data))
    assert resumed.replies[0].text == t(staffed, "resumed")


async def test_delete_during_a_case_erases_it_and_the_card_says_so(
    engine: SurveyEngine, staffed: Survey, database: Database, staff: StaffChat
) -> None:
    chat = Chat(engine)
    await open_a_case(chat, staffed, staff)
    await chat.text("iets persoonlijks")
    confirm = await chat.command("delete")
    deleted = await chat.press(t(staffed, "button_delete_yes"), confirm)
    assert deleted.replies[0].text == t(staffed, "deleted")
    assert deleted.handoff is not None
    ((_, card),) = deleted.handoff.staff_edits
    assert "wiste" in card.text and "persoonlijks" not in card.text
    assert await case_rows(database) == []
    assert await message_rows(database) == []


async def test_mydata_shows_the_case_messages(
    engine: SurveyEngine, staffed: Survey, staff: StaffChat
) -> None:
    chat = Chat(engine)
    await open_a_case(chat, staffed, staff)
    await chat.text("mijn eigen woorden")
    mydata = await chat.command("mydata")
    document = "".join(r.text for r in mydata.replies[1:])
    assert '"mijn eigen woorden"' in document and '"reason": "request"' in document


async def test_a_staff_button_pressed_in_a_private_chat_is_refused(
    engine: SurveyEngine, staffed: Survey, staff: StaffChat, database: Database
) -> None:
    chat = Chat(engine)
    card = await open_a_case(chat, staffed, staff)
    data = card.buttons[0][0].data
    response = await chat.send(Press(data))
    assert response.notice == t(staffed, "invalid_button")
    (case,) = await case_rows(database)
    assert case.worker_id is None


def test_the_shipped_hours_find_the_next_shift(staffed: Survey) -> None:
    hours = staffed.handover
    assert hours.staffed_at(ON_SHIFT) and not hours.staffed_at(NIGHT)
    assert hours.next_shift(NIGHT) == datetime(2026, 12, 9, 8, 0, tzinfo=UTC)
    # Saturday 18:30 local: nobody until Monday 09:00.
    assert hours.next_shift(datetime(2026, 12, 12, 17, 30, tzinfo=UTC)) == datetime(
        2026, 12, 14, 8, 0, tzinfo=UTC
    )


# -- a new shift ------------------------------------------------------------------------------


async def test_an_unclaimed_alarm_gets_a_new_card_at_the_start_of_each_shift(
    engine: SurveyEngine,
    staffed: Survey,
    database: Database,
    staff: StaffChat,
    desk: StaffDesk,
    clock: Clock,
) -> None:
    clock.moment = NIGHT  # Tuesday 23:00: nobody on shift
    chat = Chat(engine)
    await consent(chat, staffed)
    await advance_to(chat, staffed, "q:holds-back")
    alarm = await chat.text(ALARM)
    opened = await chat.press(t(staffed, "button_handover_yes"), alarm)
    await staff.land(opened.handoff)
    first_card = staff.card_id
    # A plain request, also out of hours, is not escalated: nobody is in danger.
    other = Chat(engine, pseudonym="pseudonym-of-participant-2", chat_id=4343)
    await open_a_case(other, staffed, staff)

    assert (await desk.escalate()).handoff.to_staff == []  # still night
    clock.moment = datetime(2026, 12, 9, 8, 5, tzinfo=UTC)  # Wednesday 09:05
    escalated = await desk.escalate()
    (card,) = escalated.handoff.to_staff
    assert card.text is not None and card.text.startswith("⏰ Nog niet opgenomen")
    assert "alarm (suicide)" in card.text and card.reply_to == first_card
    await staff.land(escalated.handoff)
    assert (await desk.escalate()).handoff.to_staff == []  # once per shift

    clock.moment = datetime(2026, 12, 10, 8, 1, tzinfo=UTC)  # Thursday 09:01
    again = await desk.escalate()
    assert len(again.handoff.to_staff) == 1
    await staff.land(again.handoff)
    await staff.press(SARA.telegram_id, "Ik neem dit op", again.handoff.to_staff[0])
    clock.moment = datetime(2026, 12, 11, 8, 1, tzinfo=UTC)  # Friday: taken, so no more
    assert (await desk.escalate()).handoff.to_staff == []
    # A reply to the very first card still reaches the young person.
    assert first_card is not None
    answer = await staff.reply(SARA.telegram_id, first_card, "Sorry dat het even duurde.")
    assert young_texts(answer) == ["Sara (Bolwerk): Sorry dat het even duurde."]


def test_shift_start_is_the_first_staffed_minute(staffed: Survey) -> None:
    hours = staffed.handover
    assert hours.shift_start(ON_SHIFT) == datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
    assert hours.shift_start(NIGHT) is None
    assert HandoverSettings().shift_start(NIGHT) is None


async def test_a_message_whose_relay_was_lost_is_relayed_late_once(
    engine: SurveyEngine, staffed: Survey, staff: StaffChat, desk: StaffDesk
) -> None:
    """A crash after the turn's commit, or a staff chat that failed: the copy never landed."""
    chat = Chat(engine)
    await open_a_case(chat, staffed, staff)
    lost = await chat.text("dit kwam nooit aan", message_id=90)  # its handoff is not landed
    assert lost.handoff is not None
    landed = await chat.text("dit wel", message_id=91)
    await staff.land(landed.handoff)
    later = datetime.now(UTC) + timedelta(minutes=1)

    first = await desk.relay_missed(later)
    (handoff,) = first.late
    (post,) = handoff.to_staff
    assert post.text is not None and post.text.endswith("(geredigeerd): dit kwam nooit aan")
    assert handoff.young_chat == CHAT_ID  # a photo would be copied from there
    assert (await desk.relay_missed(later)).late == []  # taken once, even if it fails again
    # Only messages older than the cut-off: a turn's own relay may still be on its way.
    await chat.text("net verstuurd", message_id=92)
    assert (await desk.relay_missed(datetime.now(UTC) - timedelta(minutes=1))).late == []


async def test_a_new_privacy_text_mid_case_asks_consent_and_keeps_the_case(
    engine: SurveyEngine, staffed: Survey, database: Database, staff: StaffChat
) -> None:
    chat = Chat(engine)
    await open_a_case(chat, staffed, staff)
    newer = staffed.privacy.model_copy(update={"version": "2"})
    renewed = SurveyEngine(
        staffed.model_copy(update={"privacy": newer}),
        engine.database,
        engine.codec,
        engine.analyser,
        clock=engine.clock,
        staff_chat=True,
    )
    chat = Chat(renewed)
    asked = await chat.text("hallo")
    assert asked.replies[0].text == t(staffed, "consent_again") and asked.handoff is None
    agreed = await chat.press(t(staffed, "button_consent_yes"), asked)
    assert agreed.replies[0].text == t(staffed, "handover_already_open")
    relayed = await chat.text("ben je er nog?")
    assert relayed.handoff is not None  # back in the case, not in the survey
    assert (await conversation(database)).paused


async def test_out_of_hours_in_french_names_the_shift_and_lines_in_french(
    engine: SurveyEngine, staffed: Survey, clock: Clock
) -> None:
    clock.moment = NIGHT
    chat = Chat(engine)
    await consent(chat, staffed, language="fr")
    offer = await chat.command("praten")
    assert offer.replies[0].text == t(staffed, "handover_offer", "fr")
    opened = await chat.press(t(staffed, "button_handover_yes", "fr"), offer)
    text = opened.replies[0].text
    assert text.startswith(t(staffed, "handover_out_of_hours", "fr", when="mercredi à 09:00"))
    assert "0800 32 123" in text and "112" in text  # CPS answers in French, day and night
