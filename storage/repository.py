"""Repository functions: every query the application runs lives here."""

from __future__ import annotations

from sqlalchemy import delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Answer,
    ChatLink,
    Conversation,
    Participant,
    Participation,
    ProcessedUpdate,
    utcnow,
)


async def find_participant(
    session: AsyncSession, pseudonym: str, *, lock: bool = False
) -> Participant | None:
    """The participant with this pseudonym; with ``lock``, hold its row until commit."""
    query = select(Participant).where(Participant.pseudonym == pseudonym)
    if lock:
        # Serialises all updates of one participant across workers (PostgreSQL);
        # SQLite already serialises writers with BEGIN IMMEDIATE.
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def create_participant(
    session: AsyncSession, pseudonym: str, language: str, chat_id: int | None
) -> Participant:
    """A new participant, with the chat link used to reach them (if any)."""
    participant = Participant(pseudonym=pseudonym, language=language)
    session.add(participant)
    await session.flush()
    if chat_id is not None:
        session.add(ChatLink(participant_id=participant.id, chat_id=chat_id))
    return participant


async def update_chat_link(session: AsyncSession, participant_id: int, chat_id: int) -> None:
    """Remember the chat to reply to (it can change when a user moves devices)."""
    link = await session.get(ChatLink, participant_id)
    if link is None:
        session.add(ChatLink(participant_id=participant_id, chat_id=chat_id))
    elif link.chat_id != chat_id:
        link.chat_id = chat_id


async def was_processed(session: AsyncSession, update_id: int) -> bool:
    """Whether this channel update was handled before."""
    query = select(exists().where(ProcessedUpdate.update_id == update_id))
    return bool((await session.execute(query)).scalar())


def mark_processed(session: AsyncSession, update_id: int, participant_id: int) -> None:
    """Record the update as handled, in the same transaction as its effects."""
    session.add(ProcessedUpdate(update_id=update_id, participant_id=participant_id))


async def get_conversation(session: AsyncSession, participant_id: int) -> Conversation | None:
    """Where this participant is in the survey, or None before they consented."""
    return await session.get(Conversation, participant_id)


async def start_participation(
    session: AsyncSession,
    participant: Participant,
    *,
    source: str | None,
    language: str,
    first_step: str,
) -> Conversation:
    """Begin a run through the survey and point the conversation at its first step."""
    participation = Participation(
        participant_id=participant.id, source=source, language=language
    )
    session.add(participation)
    await session.flush()
    conversation = await session.get(Conversation, participant.id)
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
    await session.flush()
    return conversation


async def get_participation(session: AsyncSession, participation_id: int) -> Participation:
    """A participation by id (it must exist)."""
    participation = await session.get(Participation, participation_id)
    if participation is None:
        raise LookupError(f"participation {participation_id} does not exist")
    return participation


def add_answer(
    session: AsyncSession,
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


async def latest_answer(session: AsyncSession, participation_id: int) -> Answer | None:
    """The most recent answer of a participation."""
    query = (
        select(Answer)
        .where(Answer.participation_id == participation_id)
        .order_by(Answer.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


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


async def delete_participant(session: AsyncSession, participant_id: int) -> None:
    """Remove a participant and, through ON DELETE CASCADE, every row about them."""
    # Conversations reference participations too; drop them first so the
    # cascade order never matters to the database.
    await session.execute(delete(Conversation).where(Conversation.participant_id == participant_id))
    await session.execute(delete(Participant).where(Participant.id == participant_id))


async def answers_of(session: AsyncSession, pseudonym: str) -> list[Answer]:
    """All answers of one participant in conversation order (for /mydata and tests)."""
    query = (
        select(Answer)
        .join(Participation, Answer.participation_id == Participation.id)
        .join(Participant, Participation.participant_id == Participant.id)
        .where(Participant.pseudonym == pseudonym)
        .order_by(Answer.id)
    )
    return list((await session.execute(query)).scalars())


async def participations_of(session: AsyncSession, pseudonym: str) -> list[Participation]:
    """All participations of one participant, oldest first."""
    query = (
        select(Participation)
        .join(Participant, Participation.participant_id == Participant.id)
        .where(Participant.pseudonym == pseudonym)
        .order_by(Participation.id)
    )
    return list((await session.execute(query)).scalars())


async def count_rows(session: AsyncSession, model: type[object]) -> int:
    """Number of rows in a model's table."""
    return int((await session.execute(select(func.count()).select_from(model))).scalar_one())
