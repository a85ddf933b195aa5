"""A participant's state for one turn, read and written with Core statements.

Every update a young person sends is one turn, so this is the bot's hot path.
SQLAlchemy's ORM unit of work (identity map, change tracking, flush ordering)
cost more CPU than the five statements a turn sends (docs/performance.md), so
here the rows are plain dataclasses: read with one select, changed by the
engine, and written back by :meth:`TurnState.save` with one UPDATE per row that
changed. Everything else in ``storage`` (exports, staff, reports) keeps the ORM
models of :mod:`storage.models`, which map the same tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, exists, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from storage.models import (
    Answer,
    ChatLink,
    Conversation,
    Participant,
    Participation,
    ProcessedUpdate,
    as_utc,
    storable_text,
    utcnow,
)

_PARTICIPANTS = cast(Table, Participant.__table__)
_CONVERSATIONS = cast(Table, Conversation.__table__)
_PARTICIPATIONS = cast(Table, Participation.__table__)
_CHAT_LINKS = cast(Table, ChatLink.__table__)
_ANSWERS = cast(Table, Answer.__table__)
_PROCESSED = cast(Table, ProcessedUpdate.__table__)


class _Row:
    """A dataclass that remembers its values as last read or written."""

    _saved: dict[str, Any]

    def __post_init__(self) -> None:
        self.mark_saved()

    def _values(self) -> dict[str, Any]:
        # Lists are copied, so a list changed in place still differs from its saved copy.
        return {
            f.name: list(value) if isinstance(value := getattr(self, f.name), list) else value
            for f in fields(self)  # type: ignore[arg-type]
        }

    def mark_saved(self) -> None:
        self._saved = self._values()

    def changes(self) -> dict[str, Any]:
        """The columns whose values differ from the database's."""
        return {k: v for k, v in self._values().items() if self._saved.get(k, v) != v}


@dataclass(eq=False)
class ParticipantRow(_Row):
    """A row of ``participants`` (:class:`storage.models.Participant`)."""

    id: int
    pseudonym: str
    language: str
    notify_opt_in: bool = False
    unreachable: bool = False
    consent_version: str | None = None
    consented_at: datetime | None = None


@dataclass(eq=False)
class ParticipationRow(_Row):
    """A row of ``participations`` (:class:`storage.models.Participation`)."""

    id: int
    participant_id: int
    language: str
    source: str | None = None
    round_id: str | None = None
    age_band: str | None = None
    area: str | None = None
    finished_at: datetime | None = None


@dataclass(eq=False)
class ConversationRow(_Row):
    """A row of ``conversations`` (:class:`storage.models.Conversation`)."""

    participant_id: int
    participation_id: int
    step: str
    paused: bool = False
    pending: list[str] = field(default_factory=list)
    # Optimistic locking: the UPDATE names the version it read, and fails on another.
    version: int = 1


@dataclass(eq=False)
class TurnState:
    """Everything one conversation step needs to know about a participant."""

    participant: ParticipantRow | None
    conversation: ConversationRow | None = None
    participation: ParticipationRow | None = None
    # The chat the bot last reached them in, and when they last wrote (None: no link).
    chat_id: int | None = None
    last_seen_at: datetime | None = None
    # Whether the update being handled was handled before.
    seen_update: bool = False

    def save(self, session: Session) -> None:
        """Write back every row the turn changed; a conversation changed meanwhile raises."""
        connection = session.connection()
        participant, participation = self.participant, self.participation
        if participant is not None and (changes := participant.changes()):
            connection.execute(_UPDATE_PARTICIPANT, {"key_id": participant.id, **changes})
            participant.mark_saved()
        if participation is not None and (changes := participation.changes()):
            connection.execute(_UPDATE_PARTICIPATION, {"key_id": participation.id, **changes})
            participation.mark_saved()
        conversation = self.conversation
        if conversation is not None and (changes := conversation.changes()):
            changes.pop("version", None)
            result = connection.execute(
                _UPDATE_CONVERSATION,
                {
                    "key_id": conversation.participant_id,
                    "key_version": conversation.version,
                    **changes,
                    "version": conversation.version + 1,
                    "updated_at": utcnow(),
                },
            )
            if result.rowcount != 1:
                # Turns lock the participant first, so this is the safety net only.
                raise StaleDataError("the conversation changed since this turn read it")
            conversation.version += 1
            conversation.mark_saved()


# Built once: constructing these statements cost more CPU than running them.
_LOCK_PARTICIPANT = (
    select(_PARTICIPANTS.c.id)
    .where(_PARTICIPANTS.c.pseudonym == bindparam("pseudonym"))
    .with_for_update()
)
_LOAD_STATE = (
    select(
        _PARTICIPANTS.c.id,
        _PARTICIPANTS.c.language,
        _PARTICIPANTS.c.notify_opt_in,
        _PARTICIPANTS.c.unreachable,
        _PARTICIPANTS.c.consent_version,
        _PARTICIPANTS.c.consented_at,
        _CONVERSATIONS.c.participation_id,
        _CONVERSATIONS.c.step,
        _CONVERSATIONS.c.paused,
        _CONVERSATIONS.c.pending,
        _CONVERSATIONS.c.version,
        _PARTICIPATIONS.c.language.label("participation_language"),
        _PARTICIPATIONS.c.source,
        _PARTICIPATIONS.c.round_id,
        _PARTICIPATIONS.c.age_band,
        _PARTICIPATIONS.c.area,
        _PARTICIPATIONS.c.finished_at,
        _CHAT_LINKS.c.chat_id,
        _CHAT_LINKS.c.last_seen_at,
        exists().where(_PROCESSED.c.update_id == bindparam("update_id")).label("seen"),
    )
    .select_from(
        _PARTICIPANTS.outerjoin(
            _CONVERSATIONS, _CONVERSATIONS.c.participant_id == _PARTICIPANTS.c.id
        )
        .outerjoin(_PARTICIPATIONS, _PARTICIPATIONS.c.id == _CONVERSATIONS.c.participation_id)
        .outerjoin(_CHAT_LINKS, _CHAT_LINKS.c.participant_id == _PARTICIPANTS.c.id)
    )
    .where(_PARTICIPANTS.c.pseudonym == bindparam("pseudonym"))
)
# The SET clause comes from each call's parameters: only the columns that changed.
_UPDATE_PARTICIPANT = update(_PARTICIPANTS).where(_PARTICIPANTS.c.id == bindparam("key_id"))
_UPDATE_PARTICIPATION = update(_PARTICIPATIONS).where(_PARTICIPATIONS.c.id == bindparam("key_id"))
_UPDATE_CONVERSATION = update(_CONVERSATIONS).where(
    _CONVERSATIONS.c.participant_id == bindparam("key_id"),
    _CONVERSATIONS.c.version == bindparam("key_version"),
)
_INSERT_PARTICIPANT = insert(_PARTICIPANTS).returning(_PARTICIPANTS.c.id)
_INSERT_PARTICIPATION = insert(_PARTICIPATIONS).returning(_PARTICIPATIONS.c.id)
_INSERT_CONVERSATION = insert(_CONVERSATIONS)
_INSERT_CHAT_LINK = insert(_CHAT_LINKS)
_UPDATE_CHAT_LINK = update(_CHAT_LINKS).where(_CHAT_LINKS.c.participant_id == bindparam("key_id"))
_INSERT_ANSWER = insert(_ANSWERS).returning(_ANSWERS.c.id)
_INSERT_PROCESSED = insert(_PROCESSED)
_EARLIER_PROFILES = (
    select(_PARTICIPATIONS.c.source, _PARTICIPATIONS.c.age_band, _PARTICIPATIONS.c.area)
    .where(_PARTICIPATIONS.c.participant_id == bindparam("participant_id"))
    .order_by(_PARTICIPATIONS.c.id)
)


def load(session: Session, pseudonym: str, update_id: int | None) -> TurnState | None:
    """A participant with their conversation, participation and chat link; None: unknown.

    On PostgreSQL the participant's row stays locked until commit, which
    serialises all updates of one participant across workers; SQLite already
    serialises writers with BEGIN IMMEDIATE, so there the lock is left out. The
    lock comes first, in a statement of its own: a PostgreSQL ``SELECT ... FOR
    UPDATE`` that waits for the lock still returns the joined rows as they were
    when it started, so one statement would hand this turn the conversation from
    before the turn it waited for.
    """
    connection = session.connection()
    locked = connection.dialect.name == "sqlite" or (
        connection.execute(_LOCK_PARTICIPANT, {"pseudonym": pseudonym}).first() is not None
    )
    if not locked:
        return None
    # Channels without update ids (the console) ask about -1, which never exists.
    parameters = {"pseudonym": pseudonym, "update_id": update_id if update_id is not None else -1}
    row = connection.execute(_LOAD_STATE, parameters).first()
    if row is None:
        return None
    participant = ParticipantRow(
        row.id,
        pseudonym,
        row.language,
        row.notify_opt_in,
        row.unreachable,
        row.consent_version,
        row.consented_at,
    )
    state = TurnState(
        participant, chat_id=row.chat_id, last_seen_at=row.last_seen_at, seen_update=row.seen
    )
    if row.step is not None:
        state.conversation = ConversationRow(
            row.id, row.participation_id, row.step, row.paused, list(row.pending), row.version
        )
        state.participation = ParticipationRow(
            row.participation_id,
            row.id,
            row.participation_language,
            row.source,
            row.round_id,
            row.age_band,
            row.area,
            row.finished_at,
        )
    return state


def create_participant(
    session: Session, pseudonym: str, language: str, chat_id: int | None
) -> ParticipantRow:
    """A new participant, with the chat link used to reach them (if any)."""
    connection = session.connection()
    participant_id = connection.execute(
        _INSERT_PARTICIPANT, {"pseudonym": pseudonym, "language": language}
    ).scalar_one()
    if chat_id is not None:
        connection.execute(
            _INSERT_CHAT_LINK, {"participant_id": participant_id, "chat_id": chat_id}
        )
    return ParticipantRow(participant_id, pseudonym, language)


def update_chat_link(session: Session, state: TurnState, chat_id: int) -> None:
    """Remember the chat to reply to (it can change when a user moves devices)."""
    assert state.participant is not None
    now = utcnow()
    connection = session.connection()
    if state.chat_id is None:
        parameters = {"participant_id": state.participant.id, "chat_id": chat_id}
        connection.execute(_INSERT_CHAT_LINK, {**parameters, "last_seen_at": now})
    else:
        changes: dict[str, Any] = {}
        if state.chat_id != chat_id:
            changes["chat_id"] = chat_id
        seen = state.last_seen_at
        # Once a day is precise enough for retention, and spares most turns an UPDATE.
        if seen is None or now - as_utc(seen) > timedelta(days=1):
            changes["last_seen_at"] = now
        if not changes:
            return
        connection.execute(_UPDATE_CHAT_LINK, {"key_id": state.participant.id, **changes})
    state.chat_id = chat_id
    state.last_seen_at = now


def mark_processed(session: Session, update_id: int, participant_id: int) -> None:
    """Record the update as handled, in the same transaction as its effects."""
    session.connection().execute(
        _INSERT_PROCESSED, {"update_id": update_id, "participant_id": participant_id}
    )


def start_participation(
    session: Session,
    state: TurnState,
    *,
    source: str | None,
    language: str,
    first_step: str,
    round_id: str | None = None,
    carry_profile: bool = False,
) -> None:
    """Begin a run through a round and point the (existing or new) conversation at it.

    ``carry_profile``: age band and area come from their latest participation that has
    them, so a follow-up round does not ask them again.
    """
    participant = state.participant
    assert participant is not None
    connection = session.connection()
    values: dict[str, Any] = {
        "participant_id": participant.id,
        "source": source,
        "language": language,
        "round_id": round_id,
        "age_band": None,
        "area": None,
    }
    if carry_profile:
        earlier = connection.execute(_EARLIER_PROFILES, {"participant_id": participant.id})
        for earlier_source, age_band, area in earlier:
            values["source"] = values["source"] or earlier_source
            values["age_band"] = age_band or values["age_band"]
            values["area"] = area or values["area"]
    participation_id = connection.execute(_INSERT_PARTICIPATION, values).scalar_one()
    state.participation = ParticipationRow(participation_id, **values)
    conversation = state.conversation
    if conversation is None:
        state.conversation = ConversationRow(participant.id, participation_id, first_step)
        connection.execute(
            _INSERT_CONVERSATION,
            {
                "participant_id": participant.id,
                "participation_id": participation_id,
                "step": first_step,
                "paused": False,
                "pending": [],
            },
        )
    else:
        conversation.participation_id = participation_id
        conversation.step = first_step
        conversation.paused = False
        conversation.pending = []


@dataclass(frozen=True)
class Classification:
    """What the NLU made of an answer's text, stored with it."""

    themes: Sequence[str]
    scores: Mapping[str, float]
    model_version: str


def add_answer(
    session: Session,
    participation_id: int,
    question_id: str,
    *,
    text: str | None = None,
    button_value: str | None = None,
    skipped: bool = False,
    message_id: int | None = None,
    classification: Classification | None = None,
    distress: bool | None = None,
) -> int:
    """Store one answer, with what the NLU made of it if it had time; returns its id."""
    values: dict[str, Any] = {
        "participation_id": participation_id,
        "question_id": question_id,
        "text": storable_text(text) if text is not None else None,
        "button_value": button_value,
        "skipped": skipped,
        "message_id": message_id,
        "distress": distress,
    }
    if classification is not None:
        values.update(
            themes=list(classification.themes),
            theme_scores=dict(classification.scores),
            model_version=classification.model_version,
            classified_at=utcnow(),
        )
    connection: Connection = session.connection()
    return int(connection.execute(_INSERT_ANSWER, values).scalar_one())
