"""Participants who took the first round, stored directly: the audience of a follow-up send."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from storage import Answer, ChatLink, Conversation, Database, Participant, Participation
from storage import repository as repo
from storage import state as turn_state
from storage.database import Session
from survey.config import load_survey
from tests.support.paths import CONFIG

# The privacy text version of the shipped config.yml: what they agreed to.
CONSENTED_TO = load_survey(CONFIG).privacy.version


def just_consented(
    session: Session,
    pseudonym: str,
    *,
    first_step: str = "q:free-time",
    source: str | None = None,
    chat_id: int | None = None,
) -> int:
    """Someone who just agreed, stored as the engine's turn stores them; their row id."""
    participant = turn_state.create_participant(session, pseudonym, "nl", chat_id)
    turn_state.start_participation(
        session,
        turn_state.TurnState(participant),
        source=source,
        language="nl",
        first_step=first_step,
    )
    return participant.id


@dataclass(frozen=True)
class Person:
    """One stored participant: their row id, pseudonym and Telegram chat (= user) id."""

    id: int
    pseudonym: str
    chat_id: int


def add_people(
    database: Database,
    chat_ids: range | list[int],
    *,
    pseudonym: Callable[[int], str] = lambda chat_id: f"person-{chat_id}",
    opted_in: bool = True,
    age_band: str | None = "16-18",
    language: str = "nl",
    source: str | None = None,
    step: str = "done",
    privacy_version: str = CONSENTED_TO,
) -> list[Person]:
    """People who finished the first round (``step`` "done"), one per chat id, in one go.

    ``pseudonym``: how a chat id becomes the stored pseudonym; pass the bot process's
    pseudonymizer when the real bot must recognise them.
    """
    now = datetime.now(UTC)
    people: list[Person] = []
    with database.transaction() as session:
        for chat_id in chat_ids:
            participant = Participant(
                pseudonym=pseudonym(chat_id),
                language=language,
                notify_opt_in=opted_in,
                consent_version=privacy_version,
                consented_at=now,
            )
            session.add(participant)
            session.flush()
            session.add(ChatLink(participant_id=participant.id, chat_id=chat_id))
            participation = Participation(
                participant_id=participant.id,
                source=source,
                round_id="start",
                language=language,
                age_band=age_band,
                finished_at=now if step == "done" else None,
            )
            session.add(participation)
            session.flush()
            session.add(
                Conversation(
                    participant_id=participant.id,
                    participation_id=participation.id,
                    step=step,
                    paused=False,
                    pending=[],
                )
            )
            people.append(Person(participant.id, participant.pseudonym, chat_id))
    return people


def give_themes(
    database: Database,
    person: Person,
    themes: list[str] | None = None,
    *,
    predicted: dict[str, float] | None = None,
    staff: list[str] | None = None,
) -> None:
    """An open answer of theirs: themes the young person confirmed, a prediction with its
    scores (unconfirmed), and/or staff's label."""
    with database.transaction() as session:
        participation = repo.participations_of(session, person.pseudonym)[0]
        answer_id = turn_state.add_answer(session, participation.id, "holds-back", text="(seeded)")
        answer = session.get_one(Answer, answer_id)
        if predicted is not None:
            repo.set_prediction(answer, list(predicted), predicted, "test")
        if themes is not None:
            repo.confirm_themes(answer, themes)
        if staff is not None:
            answer.staff_themes = staff
