"""The young person's side of a handover, inside one turn (see ``handover`` for the whole).

``Turn`` hands these events over: asking for a person, Ja/Nee to the offer, and
everything the young person sends while a youth worker reads along.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.buttons import ButtonKind, claimed_kind
from bot.engine.events import (
    Command,
    Edit,
    Event,
    Handoff,
    NonText,
    Post,
    Press,
    Reply,
    Response,
    Start,
    Text,
)
from bot.engine.handover import TALK_COMMANDS
from nlu.risk import RiskKind
from storage import Case, cases
from storage.models import CaseClosure, CaseReason, Sender

if TYPE_CHECKING:
    from bot.engine.turn import Turn

_RISK_KINDS = frozenset(kind.value for kind in RiskKind)


class CaseTurn:
    """A turn's handover events: the offer, the case, the relay, the end."""

    def __init__(self, turn: Turn) -> None:
        self.turn = turn
        self.handover = turn.engine.handover
        self.session = turn.session

    @property
    def may_offer(self) -> bool:
        """A worker could take over: one is configured, and this person agreed to the survey.

        Before that agreement nothing about them may be stored, a case included: they
        get the helplines, and the staff chat an alert.
        """
        turn = self.turn
        return (
            self.handover.available
            and turn.participant is not None
            and turn.conversation is not None
            and not turn.consent_outdated
        )

    def already_open(self, case: Case) -> Response:
        return Response([Reply(self.turn.text("handover_already_open"))], case_id=case.id)

    def talk(self, kinds: tuple[RiskKind, ...], reason: CaseReason) -> Response:
        """Someone asks to talk to a person: the offer of a youth worker, or helplines.

        Where a worker can take over, a plain request gets the offer; after a
        concern the helplines come first. Where none can, the helplines, and the
        staff chat is told.
        """
        turn = self.turn
        response = Response(distress=tuple(kind.value for kind in kinds))
        if self.may_offer:
            offer = self.handover.offer(reason, kinds, turn.language)
            if reason is CaseReason.REQUEST:
                return Response([offer])
            turn.pause_questions()
            response.replies = [turn.helpline_reply(kinds), offer]
            return response
        active = turn.pause_questions()
        after = turn.engine.safeguarding.after_alarm(turn.language, active=active)
        response.replies = [turn.helpline_reply(kinds), after]
        response.alert_staff = True
        return response

    def press_handover(self, reason: str, kind: str, choice: str) -> Response:
        """Ja, graag opens a case and tells the staff chat; Nee leaves it."""
        turn = self.turn
        origin = Reply(turn.text("handover_offer"))
        if choice == "no":
            replies = [Reply(turn.text("handover_declined"))]
            paused = turn.conversation is not None and turn.conversation.paused
            if reason != CaseReason.ALARM and paused and turn.active:
                # After a concern the questions wait; the alarm reply has this button already.
                replies.append(turn.engine.safeguarding.after_alarm(turn.language, active=True))
            return Response(replies, origin=origin)
        if choice != "yes" or reason not in set(CaseReason):
            return turn.invalid()
        if not self.may_offer:
            return turn.stale()
        participant, conversation = turn.participant, turn.conversation
        assert participant is not None and conversation is not None
        if cases.open_case_of(self.session, participant.id) is not None:
            return Response([Reply(turn.text("handover_already_open"))], origin=origin)
        moment = turn.engine.clock()
        participation = turn.participation
        case = cases.open_case(
            self.session,
            participant.id,
            CaseReason(reason),
            [kind] if kind in _RISK_KINDS else [],
            age_band=participation.age_band if participation else None,
            source=participation.source if participation else None,
            out_of_hours=not turn.survey.handover.staffed_at(moment),
        )
        # The survey waits while a worker reads along; so do follow-up rounds.
        conversation.paused = True
        if reason != CaseReason.REQUEST:
            # The message that worried us goes with the case: redacted on the card, in full
            # to the worker who takes it.
            opening = cases.latest_distress_text(self.session, participant.id)
            if opening is not None:
                cases.add_message(self.session, case, Sender.YOUNG, text=opening, opening=True)
        messages = cases.messages_of(self.session, case.id)
        card = self.handover.card_post(case, participant.pseudonym, messages)
        opened = self.handover.opened(turn.language, moment, turn.engine.safeguarding.line)
        return Response([opened], origin=origin, handoff=Handoff(to_staff=[card]), case_id=case.id)

    def in_case(self, event: Event) -> Response:
        """While a worker reads along, words and pictures go to the case, not to the survey."""
        case = self.turn.case
        assert case is not None
        match event:
            case Text(text, message_id):
                return self.relay(case, text=text, message_id=message_id)
            case NonText(kind, message_id):
                return self.relay(case, media=kind, message_id=message_id)
            case Command(name) if name == "stop":
                return self.close_by_young(case)
            case Command(name) if name in TALK_COMMANDS:
                return self.already_open(case)
            case Start():
                return self.already_open(case)
            case Press(data) if claimed_kind(data) in (ButtonKind.RESUME, ButtonKind.HANDOVER):
                return Response(notice=self.turn.text("handover_already_open"), case_id=case.id)
            case Edit():
                # The worker has read the first version; an edit is not sent again.
                return Response(case_id=case.id)
        response = self.turn.dispatch(event)
        response.case_id = case.id
        return response

    def relay(
        self,
        case: Case,
        *,
        text: str | None = None,
        media: str | None = None,
        message_id: int | None,
    ) -> Response:
        """Keep a young person's message with the case and pass it to the staff chat."""
        turn = self.turn
        assert turn.participant is not None
        earlier = cases.messages_of(self.session, case.id)
        message = cases.add_message(
            self.session, case, Sender.YOUNG, text=text, media=media, channel_message_id=message_id
        )
        post = self.handover.relay_to_staff(case, message, turn.participant.pseudonym)
        distress = turn.distress
        replies = []
        if distress.alarm:
            # A worker is there, but maybe not this minute: the lines come at once.
            replies.append(turn.helpline_reply(distress.kinds))
        elif case.worker_id is None and not any(
            m.sender == Sender.YOUNG and not m.opening for m in earlier
        ):
            # Told once that it is kept, not after every line.
            replies.append(Reply(turn.text("handover_waiting")))
        response = Response(replies, handoff=Handoff(to_staff=[post]), case_id=case.id)
        if distress:
            response.distress = tuple(kind.value for kind in distress.kinds)
            response.distress_level = distress.level
        return response

    def close_by_young(self, case: Case) -> Response:
        """/stop in a case: it closes kindly, the staff chat hears, the survey can go on."""
        turn = self.turn
        assert turn.participant is not None
        cases.close(case, CaseClosure.YOUNG)
        note = Post(text="De jongere sloot het gesprek af (/stop).", reply_to=case.card_message_id)
        handoff = Handoff(to_staff=[note])
        if case.card_message_id is not None:
            messages = cases.messages_of(self.session, case.id)
            card = self.handover.card(case, turn.participant.pseudonym, messages, None)
            handoff.staff_edits.append((case.card_message_id, card))
        replies = [Reply(turn.text("handover_closed_by_young"))]
        if turn.active:
            replies.append(turn.engine.safeguarding.after_alarm(turn.language, active=True))
        return Response(replies, handoff=handoff, case_id=case.id)

    def erased(self) -> Handoff | None:
        """Before /delete erases it: the open case's card says the young person erased it all."""
        participant = self.turn.participant
        assert participant is not None
        case = cases.open_case_of(self.session, participant.id)
        if case is None or case.card_message_id is None:
            return None
        cases.close(case, CaseClosure.ERASED)
        # The card keeps no words of someone who asked for everything to go.
        card = self.handover.card(case, participant.pseudonym, [], None)
        return Handoff(staff_edits=[(case.card_message_id, card)])
