"""Handover cases: a youth worker taking over a young person's conversation.

Every query about cases and their messages lives here. A case belongs to a
participant (deleted with them); its messages are deleted some days after it
closed (``handover.retention_days``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, delete, or_, select, update
from sqlalchemy.orm import Session

from storage.models import (
    Answer,
    Case,
    CaseClosure,
    CaseMessage,
    CaseReason,
    ChatLink,
    Participation,
    Sender,
    storable_text,
    utcnow,
)


def open_case_of(session: Session, participant_id: int) -> Case | None:
    """The participant's case that is still open, if any."""
    query = select(Case).where(Case.participant_id == participant_id, Case.closed_at.is_(None))
    return session.execute(query.order_by(Case.id.desc()).limit(1)).scalar()


def open_case(
    session: Session,
    participant_id: int,
    reason: CaseReason,
    risk_kinds: Sequence[str],
    *,
    age_band: str | None,
    source: str | None,
    out_of_hours: bool,
) -> Case:
    """A new open case, with the young person's agreement as its opening moment."""
    case = Case(
        participant_id=participant_id,
        reason=reason.value,
        risk_kinds=list(risk_kinds),
        age_band=age_band,
        source=source,
        out_of_hours=out_of_hours,
        opened_at=utcnow(),
    )
    session.add(case)
    session.flush()
    return case


def add_message(
    session: Session,
    case: Case,
    sender: Sender,
    *,
    text: str | None = None,
    media: str | None = None,
    channel_message_id: int | None = None,
    opening: bool = False,
) -> CaseMessage:
    """Keep one message of the case's conversation."""
    message = CaseMessage(
        case_id=case.id,
        sender=sender.value,
        opening=opening,
        text=storable_text(text) if text is not None else None,
        media=media,
        channel_message_id=channel_message_id,
        created_at=utcnow(),
    )
    session.add(message)
    session.flush()
    return message


def messages_of(session: Session, case_id: int) -> list[CaseMessage]:
    """A case's messages in the order they were written."""
    query = select(CaseMessage).where(CaseMessage.case_id == case_id).order_by(CaseMessage.id)
    return list(session.execute(query).scalars())


def note_card(session: Session, case_id: int, card_message_id: int) -> None:
    """Remember the case card's message in the staff chat."""
    session.execute(update(Case).where(Case.id == case_id).values(card_message_id=card_message_id))


def replace_card(session: Session, case: Case) -> None:
    """Before a new card is posted: keep the old one findable for replies to it."""
    if case.card_message_id is None:
        return
    earlier = CaseMessage(
        case_id=case.id,
        sender=Sender.EARLIER_CARD.value,
        staff_message_id=case.card_message_id,
        created_at=utcnow(),
    )
    session.add(earlier)


def note_staff_copy(session: Session, message_id: int, staff_message_id: int) -> None:
    """Remember where a message of the case landed in the staff chat."""
    session.execute(
        update(CaseMessage)
        .where(CaseMessage.id == message_id)
        .values(staff_message_id=staff_message_id)
    )


# Marks a message being relayed by the catch-up (see unrelayed) until its copy lands.
BEING_RELAYED = -1


def unrelayed(session: Session, written_before: datetime) -> list[CaseMessage]:
    """Young people's messages of open cases that never reached the staff chat.

    A crash between a turn's commit and its relay, or a staff chat that failed,
    leaves a message without its copy. Each one found is marked BEING_RELAYED by
    a conditional UPDATE, so of two workers catching up at once exactly one sends
    it, and a copy that fails again is not retried forever.
    """
    query = (
        select(CaseMessage.id)
        .join(Case, CaseMessage.case_id == Case.id)
        .where(
            CaseMessage.sender == Sender.YOUNG.value,
            CaseMessage.opening.is_(False),
            CaseMessage.staff_message_id.is_(None),
            CaseMessage.created_at < written_before.astimezone(UTC),
            Case.closed_at.is_(None),
        )
        .order_by(CaseMessage.id)
    )
    not_yet = CaseMessage.staff_message_id.is_(None)
    return _take(session, CaseMessage, query, not_yet, {"staff_message_id": BEING_RELAYED})


Row = TypeVar("Row", Case, CaseMessage)


def _take(
    session: Session,
    model: type[Row],
    ids: Select[int],
    still: ColumnElement[bool],
    mark: dict[str, object],
) -> list[Row]:
    """The rows ``ids`` selects that this transaction marks first.

    Each is marked by its own conditional UPDATE (``still`` true before, ``mark`` after):
    of two workers running this at once, exactly one changes each row.
    """
    taken = []
    for row_id in session.execute(ids).scalars():
        result = session.execute(
            update(model)
            .where(model.id == row_id, still)
            .values(mark)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) == 1:
            row = session.get(model, row_id)
            if row is not None:
                session.refresh(row)
                taken.append(row)
    return taken


def case_by_staff_message(session: Session, staff_message_id: int) -> Case | None:
    """The case a staff-chat message belongs to: its card, or a message relayed into it."""
    relayed = select(CaseMessage.case_id).where(CaseMessage.staff_message_id == staff_message_id)
    query = select(Case).where(
        or_(Case.card_message_id == staff_message_id, Case.id.in_(relayed.scalar_subquery()))
    )
    return session.execute(query.limit(1)).scalar()


def get_case(session: Session, case_id: int) -> Case | None:
    """The case with this id, or None (erased with its participant, say)."""
    return session.get(Case, case_id)


def claim(session: Session, case_id: int, worker_id: int) -> bool:
    """Give an open, unclaimed case to a worker; False if someone else was first.

    One conditional UPDATE: of two workers pressing at once, on either
    database, exactly one changes the row.
    """
    result = session.execute(
        update(Case)
        .where(Case.id == case_id, Case.worker_id.is_(None), Case.closed_at.is_(None))
        .values(worker_id=worker_id, claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    claimed = bool(getattr(result, "rowcount", 0) == 1)
    case = session.get(Case, case_id)
    if case is not None:
        session.refresh(case)
    return claimed


def close(case: Case, closure: CaseClosure) -> None:
    """End a case."""
    case.closed_at = utcnow()
    case.closed_by = closure.value


def note_answer(case: Case) -> None:
    """A worker answered: the first answer is what the report counts."""
    if case.first_answer_at is None:
        case.first_answer_at = utcnow()


def chat_of(session: Session, participant_id: int) -> int | None:
    """Where the young person of a case reads, or None when they can no longer be reached."""
    link = session.get(ChatLink, participant_id)
    return link.chat_id if link is not None else None


def delete_old_messages(session: Session, closed_before: datetime) -> int:
    """Delete the messages of cases closed before ``closed_before``; how many went."""
    closed = select(Case.id).where(Case.closed_at.is_not(None), Case.closed_at < closed_before)
    result = session.execute(
        delete(CaseMessage)
        .where(CaseMessage.case_id.in_(closed.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def alarms_to_escalate(session: Session, shift_start: datetime, now: datetime) -> list[Case]:
    """Open, unclaimed alarm cases not yet put before the shift that began at ``shift_start``.

    Each is marked as escalated now, by a conditional UPDATE: of two workers running
    this at once, exactly one gets each case.
    """
    # SQLite compares stored times as text: both sides must be UTC.
    shift_start, now = shift_start.astimezone(UTC), now.astimezone(UTC)
    query = select(Case.id).where(
        Case.reason == CaseReason.ALARM.value,
        Case.worker_id.is_(None),
        Case.closed_at.is_(None),
        Case.opened_at < shift_start,
        or_(Case.escalated_at.is_(None), Case.escalated_at < shift_start),
    )
    not_yet = or_(Case.escalated_at.is_(None), Case.escalated_at < shift_start)
    return _take(session, Case, query.order_by(Case.id), not_yet, {"escalated_at": now})


@dataclass(frozen=True)
class CaseTimes:
    """What the report may know of one case: counts and times, no words."""

    reason: str
    out_of_hours: bool
    opened_at: datetime
    first_answer_at: datetime | None


def case_times(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    sources: Sequence[str] = (),
) -> list[CaseTimes]:
    """The reason and times of every case opened in a period (``until`` exclusive),
    optionally only of young people who came through some sources."""
    query = select(Case.reason, Case.out_of_hours, Case.opened_at, Case.first_answer_at)
    if since is not None:
        query = query.where(Case.opened_at >= since.astimezone(UTC))
    if until is not None:
        query = query.where(Case.opened_at < until.astimezone(UTC))
    if sources:
        query = query.where(Case.source.in_(sources))
    return [CaseTimes(*row) for row in session.execute(query.order_by(Case.id))]


def latest_distress_text(session: Session, participant_id: int) -> str | None:
    """The text of the participant's latest answer that showed distress, if any."""
    query = (
        select(Answer.text)
        .join(Participation, Answer.participation_id == Participation.id)
        .where(Participation.participant_id == participant_id, Answer.distress.is_(True))
        .order_by(Answer.id.desc())
        .limit(1)
    )
    return session.execute(query).scalar()
