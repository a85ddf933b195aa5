"""Repository functions: every query the application runs lives here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, delete, exists, select
from sqlalchemy.orm import Session

from storage.models import (
    Answer,
    ChatLink,
    Conversation,
    Participant,
    Participation,
    ProcessedUpdate,
    utcnow,
)


@dataclass
class ParticipantState:
    """Everything one conversation step needs to know about a participant."""

    participant: Participant
    conversation: Conversation | None
    participation: Participation | None
    chat_link: ChatLink | None
    # Whether the update being handled was handled before.
    seen_update: bool


# Built once: constructing this statement cost more CPU than running it.
_LOAD_STATE = (
    select(
        Participant,
        Conversation,
        Participation,
        ChatLink,
        exists().where(ProcessedUpdate.update_id == bindparam("update_id")).label("seen"),
    )
    .outerjoin(Conversation, Conversation.participant_id == Participant.id)
    .outerjoin(Participation, Participation.id == Conversation.participation_id)
    .outerjoin(ChatLink, ChatLink.participant_id == Participant.id)
    .where(Participant.pseudonym == bindparam("pseudonym"))
    .with_for_update(of=Participant)
)


def load_state(session: Session, pseudonym: str, update_id: int | None) -> ParticipantState | None:
    """A participant with their conversation, participation and chat link, in one query.

    The participant's row stays locked until commit, which serialises all
    updates of one participant across workers (PostgreSQL); SQLite already
    serialises writers with BEGIN IMMEDIATE.
    """
    # Channels without update ids (the console) ask about -1, which never exists.
    parameters = {"pseudonym": pseudonym, "update_id": update_id if update_id is not None else -1}
    row = session.execute(_LOAD_STATE, parameters).one_or_none()
    if row is None:
        return None
    participant, conversation, participation, chat_link, seen_update = row
    return ParticipantState(participant, conversation, participation, chat_link, bool(seen_update))


def find_participant(session: Session, pseudonym: str) -> Participant | None:
    """The participant with this pseudonym, or None."""
    query = select(Participant).where(Participant.pseudonym == pseudonym)
    return session.execute(query).scalar_one_or_none()


def create_participant(
    session: Session, pseudonym: str, language: str, chat_id: int | None
) -> Participant:
    """A new participant, with the chat link used to reach them (if any)."""
    participant = Participant(pseudonym=pseudonym, language=language)
    session.add(participant)
    session.flush()
    if chat_id is not None:
        session.add(ChatLink(participant_id=participant.id, chat_id=chat_id))
    return participant


def update_chat_link(
    session: Session, participant_id: int, chat_id: int, link: ChatLink | None
) -> None:
    """Remember the chat to reply to (it can change when a user moves devices)."""
    if link is None:
        session.add(ChatLink(participant_id=participant_id, chat_id=chat_id))
    elif link.chat_id != chat_id:
        link.chat_id = chat_id


def mark_processed(session: Session, update_id: int, participant_id: int) -> None:
    """Record the update as handled, in the same transaction as its effects."""
    session.add(ProcessedUpdate(update_id=update_id, participant_id=participant_id))


def get_conversation(session: Session, participant_id: int) -> Conversation | None:
    """Where this participant is in the survey, or None before they consented."""
    return session.get(Conversation, participant_id)


def start_participation(
    session: Session,
    participant: Participant,
    conversation: Conversation | None,
    *,
    source: str | None,
    language: str,
    first_step: str,
) -> tuple[Conversation, Participation]:
    """Begin a run through the survey and point the (existing or new) conversation at it."""
    participation = Participation(participant_id=participant.id, source=source, language=language)
    session.add(participation)
    session.flush()
    if conversation is None:
        conversation = Conversation(
            participant_id=participant.id,
            participation_id=participation.id,
            step=first_step,
            paused=False,
            pending=[],
        )
        session.add(conversation)
    else:
        conversation.participation_id = participation.id
        conversation.step = first_step
        conversation.paused = False
        conversation.pending = []
    return conversation, participation


def add_answer(
    session: Session,
    participation_id: int,
    question_id: str,
    *,
    text: str | None = None,
    button_value: str | None = None,
    skipped: bool = False,
    message_id: int | None = None,
) -> Answer:
    """Store one answer."""
    answer = Answer(
        participation_id=participation_id,
        question_id=question_id,
        text=text,
        button_value=button_value,
        skipped=skipped,
        message_id=message_id,
    )
    session.add(answer)
    return answer


def latest_answer(session: Session, participation_id: int) -> Answer | None:
    """The most recent answer of a participation."""
    query = (
        select(Answer)
        .where(Answer.participation_id == participation_id)
        .order_by(Answer.id.desc())
        .limit(1)
    )
    return session.execute(query).scalar_one_or_none()


def mark_edited(answer: Answer, text: str) -> None:
    """Replace an answer's text after the participant edited their message."""
    answer.text = text
    answer.edited_at = utcnow()
    # The old text's classification no longer applies.
    answer.themes = None
    answer.theme_scores = None
    answer.model_version = None
    answer.classified_at = None
    answer.confirmed_themes = None


def delete_participant(session: Session, participant_id: int) -> None:
    """Remove a participant and, through ON DELETE CASCADE, every row about them."""
    # Conversations reference participations too; drop them first so the
    # cascade order never matters to the database.
    session.execute(delete(Conversation).where(Conversation.participant_id == participant_id))
    session.execute(delete(Participant).where(Participant.id == participant_id))


def answers_of(session: Session, pseudonym: str) -> list[Answer]:
    """All answers of one participant in conversation order (for /mydata and tests)."""
    query = (
        select(Answer)
        .join(Participation, Answer.participation_id == Participation.id)
        .join(Participant, Participation.participant_id == Participant.id)
        .where(Participant.pseudonym == pseudonym)
        .order_by(Answer.id)
    )
    return list(session.execute(query).scalars())


def participations_of(session: Session, pseudonym: str) -> list[Participation]:
    """All participations of one participant, oldest first."""
    query = (
        select(Participation)
        .join(Participant, Participation.participant_id == Participant.id)
        .where(Participant.pseudonym == pseudonym)
        .order_by(Participation.id)
    )
    return list(session.execute(query).scalars())
