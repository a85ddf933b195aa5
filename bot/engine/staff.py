"""The staff chat's side of a handover: workers claim, answer and close cases.

Like the survey engine it knows no channel: an adapter hands it a
:class:`StaffPress` or :class:`StaffMessage` and carries out the
:class:`StaffResponse`. Each event is one transaction. Only workers listed in
config.yml (``handover.workers``) may act; anyone else in the chat is ignored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot.engine.buttons import ButtonCodec, ButtonKind
from bot.engine.events import (
    Handoff,
    Keyboard,
    Post,
    StaffMessage,
    StaffOutcome,
    StaffPress,
    StaffResponse,
)
from bot.engine.handover import Handover, shown_name
from bot.engine.steps import StepKind
from storage import Database, cases
from storage.database import Session
from storage.models import Case, CaseClosure, CaseMessage, Conversation, Participant, Sender
from survey.config import Survey, Worker

NOT_OURS = "Dit bericht hoort bij geen case."
CLOSED = "Deze case is afgesloten: je bericht is niet doorgestuurd."
GONE = "Deze case bestaat niet meer (de jongere wiste alles): je bericht is niet doorgestuurd."
CLAIM_FIRST = "Neem de case eerst op met «Ik neem dit op»: je bericht is niet doorgestuurd."
NOTHING_TO_RELAY = "Alleen tekst, foto's en spraakberichten gaan naar de jongere."
UNREACHABLE = "De jongere is niet meer bereikbaar (bot geblokkeerd of lang niet gezien)."


class StaffDesk:
    """Handles what workers do in the staff chat."""

    def __init__(
        self,
        survey: Survey,
        database: Database,
        buttons: ButtonCodec,
        handover: Handover,
        clock: Callable[[], datetime],
    ) -> None:
        self.survey = survey
        self.database = database
        self.buttons = buttons
        self.handover = handover
        self.clock = clock

    def worker(self, telegram_id: int) -> Worker | None:
        """The configured worker with this id; None for anyone else in the chat."""
        return self.survey.handover.worker(telegram_id)

    async def handle(self, event: StaffPress | StaffMessage) -> StaffResponse:
        """Handle one staff-chat event in one transaction."""
        worker = self.worker(event.worker_id)
        if worker is None:
            notice = "Alleen jeugdwerkers uit de configuratie kunnen cases opnemen."
            return StaffResponse(notice=notice if isinstance(event, StaffPress) else None)
        if isinstance(event, StaffPress):
            return await self.database.run_turn(lambda s: self.press(s, worker, event))
        return await self.database.run_turn(lambda s: self.message(s, worker, event))

    # -- buttons on the case card ----------------------------------------------------------

    def press(self, session: Session, worker: Worker, event: StaffPress) -> StaffResponse:
        press = self.buttons.decode(event.data)
        if press is None or press.kind not in (ButtonKind.CLAIM_CASE, ButtonKind.CLOSE_CASE):
            return StaffResponse(
                notice="Deze knop ken ik niet (meer).", outcome=StaffOutcome.UNKNOWN_BUTTON
            )
        case = cases.get_case(session, int(press.args[0]))
        if case is None:
            return StaffResponse(notice=GONE, outcome=StaffOutcome.GONE)
        if case.closed_at is not None:
            return StaffResponse(
                notice="Deze case is al afgesloten.",
                case_id=case.id,
                outcome=StaffOutcome.ALREADY_CLOSED,
            )
        if press.kind is ButtonKind.CLAIM_CASE:
            return self.claim(session, worker, case)
        return self.close(session, worker, case)

    def claim(self, session: Session, worker: Worker, case: Case) -> StaffResponse:
        """Take the case: exactly one of two workers pressing at once gets it."""
        if not cases.claim(session, case.id, worker.telegram_id):
            holder = self.worker(case.worker_id) if case.worker_id is not None else None
            taken = f"{holder.name} heeft deze case al." if holder else "Deze case is al opgenomen."
            return StaffResponse(notice=taken, case_id=case.id, outcome=StaffOutcome.CLAIM_LOST)
        participant = self.participant(session, case)
        messages = cases.messages_of(session, case.id)
        handoff = self.card_edit(case, participant, messages, worker)
        handoff.to_staff += self.handover.thread(case, messages, participant.pseudonym)
        language = self.language(participant)
        text = self.survey.text("handover_claimed", language, worker=shown_name(worker))
        handoff.young_chat = cases.chat_of(session, participant.id)
        handoff.to_young.append(Post(text=text))
        if handoff.young_chat is None:
            handoff.to_staff.append(Post(text=UNREACHABLE, reply_to=case.card_message_id))
        return StaffResponse(
            handoff, notice="De case is voor jou.", case_id=case.id, outcome=StaffOutcome.CLAIMED
        )

    def close(self, session: Session, worker: Worker, case: Case) -> StaffResponse:
        """Afsluiten: the young person hears it kindly; the survey can go on."""
        cases.close(case, CaseClosure.WORKER)
        participant = self.participant(session, case)
        messages = cases.messages_of(session, case.id)
        handoff = self.card_edit(case, participant, messages, worker)
        language = self.language(participant)
        text = self.survey.text("handover_closed_by_worker", language, worker=shown_name(worker))
        handoff.young_chat = cases.chat_of(session, participant.id)
        conversation = session.get(Conversation, participant.id)
        buttons: Keyboard = ()
        if conversation is not None and conversation.step != StepKind.DONE:
            # The survey waited during the case: it goes on where it was, if they want.
            resume = self.handover.prompts.button("button_resume", language, ButtonKind.RESUME)
            buttons = ((resume,),)
        handoff.to_young.append(Post(text=text, buttons=buttons))
        return StaffResponse(
            handoff, notice="Afgesloten.", case_id=case.id, outcome=StaffOutcome.CLOSED
        )

    # -- a new shift ------------------------------------------------------------------------

    async def escalate(self) -> StaffResponse:
        """At the start of a shift: a new card for every alarm case nobody has taken yet."""
        now = self.clock()
        shift_start = self.survey.handover.shift_start(now)
        if shift_start is None:
            return StaffResponse()
        return await self.database.run_turn(lambda s: self.new_cards(s, shift_start, now))

    def new_cards(self, session: Session, shift_start: datetime, now: datetime) -> StaffResponse:
        handoff = Handoff()
        for case in cases.alarms_to_escalate(session, shift_start, now):
            cases.replace_card(session, case)
            participant = self.participant(session, case)
            card = self.handover.card_post(
                case, participant.pseudonym, cases.messages_of(session, case.id)
            )
            text = f"⏰ Nog niet opgenomen, opnieuw voor deze shift.\n{card.text}"
            handoff.to_staff.append(replace(card, text=text, reply_to=case.card_message_id))
        return StaffResponse(
            handoff, outcome=StaffOutcome.ESCALATED if handoff.to_staff else StaffOutcome.NOTHING
        )

    # -- catching up ------------------------------------------------------------------------

    async def relay_missed(self, written_before: datetime) -> StaffResponse:
        """Relay young people's messages that never reached the staff chat (crash, outage)."""
        return await self.database.run_turn(lambda s: self.missed(s, written_before))

    def missed(self, session: Session, written_before: datetime) -> StaffResponse:
        handoffs = []
        for message in cases.unrelayed(session, written_before):
            case = message.case
            participant = self.participant(session, case)
            post = self.handover.relay_to_staff(case, message, participant.pseudonym)
            young_chat = cases.chat_of(session, participant.id)
            handoffs.append(Handoff(to_staff=[post], young_chat=young_chat))
        return StaffResponse(
            outcome=StaffOutcome.RELAYED if handoffs else StaffOutcome.NOTHING,
            late=handoffs,
        )

    # -- answers ---------------------------------------------------------------------------

    def message(self, session: Session, worker: Worker, event: StaffMessage) -> StaffResponse:
        """A worker's reply to a case goes to the young person; other talk stays here."""
        if event.reply_to is None:
            return StaffResponse()
        case = cases.case_by_staff_message(session, event.reply_to)
        if case is None:
            return self.tell(event, NOT_OURS, outcome=StaffOutcome.NOT_A_CASE)
        if case.closed_at is not None:
            return self.tell(event, CLOSED, case, outcome=StaffOutcome.CLOSED_CASE)
        if case.worker_id is None:
            return self.tell(event, CLAIM_FIRST, case, outcome=StaffOutcome.UNCLAIMED)
        if case.worker_id != worker.telegram_id:
            holder = self.worker(case.worker_id)
            name = holder.name if holder else "Een andere jeugdwerker"
            return self.tell(
                event,
                f"{name} heeft deze case: je bericht is niet doorgestuurd.",
                case,
                outcome=StaffOutcome.NOT_YOURS,
            )
        if event.text is None and event.media is None:
            return self.tell(event, NOTHING_TO_RELAY, case, outcome=StaffOutcome.NOTHING_TO_RELAY)
        young_chat = cases.chat_of(session, case.participant_id)
        if young_chat is None:
            return self.tell(event, UNREACHABLE, case, outcome=StaffOutcome.UNREACHABLE)
        cases.add_message(
            session,
            case,
            Sender.WORKER,
            text=event.text,
            media=event.media,
            channel_message_id=event.message_id,
        )
        cases.note_answer(case)
        if event.media is not None:
            post = Post(copy_of=event.message_id)
        else:
            post = Post(text=f"{shown_name(worker)}: {event.text or ''}")
        handoff = Handoff(to_young=[post], young_chat=young_chat)
        return StaffResponse(handoff, case_id=case.id, outcome=StaffOutcome.RELAYED)

    @staticmethod
    def tell(
        event: StaffMessage, text: str, case: Case | None = None, *, outcome: StaffOutcome
    ) -> StaffResponse:
        """Answer a worker in the staff chat, under their own message."""
        handoff = Handoff(to_staff=[Post(text=text, reply_to=event.message_id)])
        return StaffResponse(handoff, case_id=case.id if case else None, outcome=outcome)

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def participant(session: Session, case: Case) -> Participant:
        participant = session.get(Participant, case.participant_id)
        assert participant is not None  # a case is deleted with its participant
        return participant

    def language(self, participant: Participant) -> str:
        language = participant.language
        return language if language in self.survey.languages else self.survey.default_language

    def card_edit(
        self,
        case: Case,
        participant: Participant,
        messages: list[CaseMessage],
        worker: Worker | None,
    ) -> Handoff:
        """The case card as it stands now (claimed, closed), in place of the old one."""
        handoff = Handoff()
        if case.card_message_id is not None:
            card = self.handover.card(case, participant.pseudonym, messages, worker)
            handoff.staff_edits.append((case.card_message_id, card))
        return handoff
