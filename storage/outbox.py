"""The outbox: messages the network sends participants first, queued so a crash resumes.

What goes in it and when is decided above (bot/sending.py); this module finds
the facts about the audience and moves rows from one status to the next.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, insert, select, update

from storage.database import Session
from storage.models import (
    Answer,
    Case,
    ChatLink,
    Conversation,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Participant,
    Participation,
    utcnow,
)

# Rows a send of a subject may still act on.
OPEN_STATUSES = (OutboxStatus.PENDING, OutboxStatus.WAITING)


@dataclass
class Audience:
    """What a send needs to know about one participant to include or exclude them."""

    participant_id: int
    language: str
    opted_in: bool
    unreachable: bool
    # None: no chat link (never had one, or it was dropped as dormant).
    chat_id: int | None
    # Rounds they started, the first round as None (from before rounds were stored).
    rounds: set[str | None] = field(default_factory=set)
    # From their latest participation that says so.
    source: str | None = None
    age_band: str | None = None
    area: str | None = None
    # Barrier themes they raised: staff's label, else confirmed, else confidently predicted.
    themes: set[str] = field(default_factory=set)
    # Somewhere in a round (not at its end), paused or not.
    mid_survey: bool = False
    open_case: bool = False
    # The outbox row for this send's subject, if one exists.
    queued: OutboxStatus | None = None


def audience(
    session: Session, kind: OutboxKind, subject: str, *, confident: float = 0.6
) -> list[Audience]:
    """Every participant, with the facts a send decides on; few queries, whatever the size.

    ``confident``: the score from which an unconfirmed prediction counts as a theme they
    raised (config.yml's ``nlu.confident``).
    """
    people: dict[int, Audience] = {}
    rows = session.execute(
        select(
            Participant.id,
            Participant.language,
            Participant.notify_opt_in,
            Participant.unreachable,
            ChatLink.chat_id,
        )
        .outerjoin(ChatLink, ChatLink.participant_id == Participant.id)
        .order_by(Participant.id)
    )
    for pid, language, opted_in, unreachable, chat_id in rows:
        people[pid] = Audience(pid, language, bool(opted_in), bool(unreachable), chat_id)

    participations = session.execute(
        select(
            Participation.id,
            Participation.participant_id,
            Participation.round_id,
            Participation.source,
            Participation.age_band,
            Participation.area,
        ).order_by(Participation.id)
    )
    for _, pid, round_id, source, age_band, area in participations:
        person = people.get(pid)
        if person is None:
            continue
        person.rounds.add(round_id)
        # Later participations win where they say something.
        person.source = source or person.source
        person.age_band = age_band or person.age_band
        person.area = area or person.area

    answers = session.execute(
        select(
            Participation.participant_id,
            Answer.staff_themes,
            Answer.confirmed_themes,
            Answer.themes,
            Answer.theme_scores,
        )
        .join(Participation, Answer.participation_id == Participation.id)
        .where(
            (Answer.staff_themes.is_not(None))
            | (Answer.confirmed_themes.is_not(None))
            | (Answer.themes.is_not(None))
        )
    )
    for pid, staff, confirmed, predicted, scores in answers:
        person = people.get(pid)
        if person is None:
            continue
        # Staff's label wins, then what the young person confirmed, then a prediction
        # the classifier was confident of.
        if staff is not None or confirmed is not None:
            person.themes.update(staff if staff is not None else confirmed)
        else:
            person.themes.update(
                theme
                for theme in predicted or ()
                if float((scores or {}).get(theme, 0.0)) >= confident
            )

    steps = session.execute(select(Conversation.participant_id, Conversation.step))
    for pid, step in steps:
        if pid in people and step != "done":
            people[pid].mid_survey = True

    for (pid,) in session.execute(select(Case.participant_id).where(Case.closed_at.is_(None))):
        if pid in people:
            people[pid].open_case = True

    queued = session.execute(
        select(OutboxMessage.participant_id, OutboxMessage.status).where(
            OutboxMessage.kind == kind, OutboxMessage.subject == subject
        )
    )
    for pid, status in queued:
        if pid in people:
            people[pid].queued = OutboxStatus(status)
    return list(people.values())


def enqueue(
    session: Session,
    kind: OutboxKind,
    subject: str,
    due: Iterable[tuple[int, datetime]],
) -> int:
    """Queue (participant id, due at) pairs not queued before; returns how many were new."""
    already = set(
        session.execute(
            select(OutboxMessage.participant_id).where(
                OutboxMessage.kind == kind, OutboxMessage.subject == subject
            )
        ).scalars()
    )
    now = utcnow()
    rows = [
        {
            "participant_id": pid,
            "kind": kind.value,
            "subject": subject,
            "status": OutboxStatus.PENDING.value,
            "due_at": due_at,
            "queued_at": now,
            "attempts": 0,
        }
        for pid, due_at in due
        if pid not in already
    ]
    if rows:
        session.execute(insert(OutboxMessage), rows)
    return len(rows)


def recover_interrupted(session: Session, kind: OutboxKind, subject: str) -> int:
    """Rows a dead sender left in flight become UNCERTAIN (never sent twice); how many."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.kind == kind,
            OutboxMessage.subject == subject,
            OutboxMessage.status == OutboxStatus.SENDING,
        )
        .values(status=OutboxStatus.UNCERTAIN.value)
    )
    return _changed(result)


def next_due(
    session: Session, kind: OutboxKind, subject: str, now: datetime
) -> OutboxMessage | None:
    """The pending row due soonest (by now), its participant locked until commit."""
    row = session.execute(
        select(OutboxMessage)
        .where(
            OutboxMessage.kind == kind,
            OutboxMessage.subject == subject,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.due_at <= now,
        )
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(1)
    ).scalar_one_or_none()
    if row is not None:
        # The same lock the bot's turns take: an opt-out and this claim never interleave.
        session.execute(
            select(Participant.id).where(Participant.id == row.participant_id).with_for_update()
        )
        session.refresh(row)
    return row


def earliest_pending(session: Session, kind: OutboxKind, subject: str) -> datetime | None:
    """When the next pending row is due (None when none is left)."""
    return session.execute(
        select(func.min(OutboxMessage.due_at)).where(
            OutboxMessage.kind == kind,
            OutboxMessage.subject == subject,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
    ).scalar()


def counts(session: Session, kind: OutboxKind, subject: str) -> dict[OutboxStatus, int]:
    """How many rows of this send are in each status."""
    rows = session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.kind == kind, OutboxMessage.subject == subject)
        .group_by(OutboxMessage.status)
    )
    return {OutboxStatus(status): int(count) for status, count in rows}


def sent_per_subject(session: Session, kind: OutboxKind) -> dict[str, int]:
    """Messages of a kind that reached someone, per subject (sent, by the sender or the bot)."""
    rows = session.execute(
        select(OutboxMessage.subject, func.count())
        .where(OutboxMessage.kind == kind, OutboxMessage.status == OutboxStatus.SENT)
        .group_by(OutboxMessage.subject)
    )
    return {subject: int(count) for subject, count in rows}


def mark(session: Session, message_id: int, status: OutboxStatus) -> None:
    """Set one row's status (SENT also sets sent_at)."""
    values: dict[str, object] = {"status": status.value}
    if status is OutboxStatus.SENT:
        values["sent_at"] = utcnow()
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values))


def postpone(session: Session, message_id: int, due_at: datetime) -> None:
    """Make one row due later."""
    session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id).values(due_at=due_at)
    )


def cancel_for(session: Session, participant_id: int) -> int:
    """Drop every message still waiting to reach this participant (they opted out)."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.participant_id == participant_id,
            OutboxMessage.status.in_([s.value for s in OPEN_STATUSES]),
        )
        .values(status=OutboxStatus.CANCELLED.value)
    )
    return _changed(result)


def settle_round(session: Session, participant_id: int, round_id: str) -> None:
    """They began this round: an invitation to it still queued is no longer needed."""
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.participant_id == participant_id,
            OutboxMessage.kind == OutboxKind.ROUND,
            OutboxMessage.subject == round_id,
            OutboxMessage.status.in_([s.value for s in OPEN_STATUSES]),
        )
        .values(status=OutboxStatus.CANCELLED.value)
    )


def waiting_for(session: Session, participant_id: int) -> Sequence[OutboxMessage]:
    """Messages held until this participant finished their round, oldest first."""
    return list(
        session.execute(
            select(OutboxMessage)
            .where(
                OutboxMessage.participant_id == participant_id,
                OutboxMessage.status == OutboxStatus.WAITING,
            )
            .order_by(OutboxMessage.id)
        ).scalars()
    )


def participants_by_status(
    session: Session, kind: OutboxKind, subject: str
) -> dict[OutboxStatus, list[int]]:
    """Participant ids per status of one send (for tests and the summary)."""
    found: dict[OutboxStatus, list[int]] = defaultdict(list)
    rows = session.execute(
        select(OutboxMessage.status, OutboxMessage.participant_id).where(
            OutboxMessage.kind == kind, OutboxMessage.subject == subject
        )
    )
    for status, pid in rows:
        found[OutboxStatus(status)].append(pid)
    return dict(found)


def _changed(result: object) -> int:
    """Rows an UPDATE changed."""
    return int(cast(CursorResult[Any], result).rowcount or 0)
