"""Repository functions: every query the application runs lives here."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from storage.models import (
    Answer,
    Case,
    ChatLink,
    Conversation,
    FeedbackReaction,
    OfferShown,
    OutboxMessage,
    Participant,
    Participation,
    Sender,
    as_utc,
    storable_text,
    utcnow,
)


def find_participant(session: Session, pseudonym: str) -> Participant | None:
    """The participant with this pseudonym, or None."""
    query = select(Participant).where(Participant.pseudonym == pseudonym)
    return session.execute(query).scalar_one_or_none()


def get_conversation(session: Session, participant_id: int) -> Conversation | None:
    """Where this participant is in the survey, or None before they consented."""
    return session.get(Conversation, participant_id)


def took_round(session: Session, participant_id: int, round_id: str) -> bool:
    """Whether the participant began this round before."""
    query = select(
        exists().where(
            Participation.participant_id == participant_id, Participation.round_id == round_id
        )
    )
    return bool(session.execute(query).scalar())


def has_open_case(session: Session, participant_id: int) -> bool:
    """Whether a youth worker's case with this participant is still open."""
    query = select(exists().where(Case.participant_id == participant_id, Case.closed_at.is_(None)))
    return bool(session.execute(query).scalar())


def latest_age_band(session: Session, participant_id: int) -> str | None:
    """The age band of their latest participation that gave one."""
    query = (
        select(Participation.age_band)
        .where(Participation.participant_id == participant_id, Participation.age_band.is_not(None))
        .order_by(Participation.id.desc())
        .limit(1)
    )
    return session.execute(query).scalar()


def mid_survey(session: Session, participant_id: int) -> bool:
    """Whether they are somewhere in a round, paused or not (not at its end)."""
    query = select(
        exists().where(Conversation.participant_id == participant_id, Conversation.step != "done")
    )
    return bool(session.execute(query).scalar())


def latest_answer(session: Session, participation_id: int) -> Answer | None:
    """The most recent answer of a participation."""
    query = (
        select(Answer)
        .where(Answer.participation_id == participation_id)
        .order_by(Answer.id.desc())
        .limit(1)
    )
    return session.execute(query).scalar_one_or_none()


def first_answer_to(session: Session, participation_id: int, question_id: str) -> Answer | None:
    """The first answer to one question of a participation."""
    query = (
        select(Answer)
        .where(Answer.participation_id == participation_id, Answer.question_id == question_id)
        .order_by(Answer.id)
        .limit(1)
    )
    return session.execute(query).scalar_one_or_none()


def set_prediction(
    answer: Answer, themes: Sequence[str], scores: Mapping[str, float], model_version: str
) -> None:
    """Store what the classifier predicted for an answer."""
    answer.themes = list(themes)
    answer.theme_scores = dict(scores)
    answer.model_version = model_version
    answer.classified_at = utcnow()


def confirmed_themes_in(session: Session, participation_id: int) -> list[str]:
    """Every theme the young person confirmed in this round, in the order they came up."""
    query = (
        select(Answer.confirmed_themes)
        .where(Answer.participation_id == participation_id, Answer.confirmed_themes.is_not(None))
        .order_by(Answer.id)
    )
    themes = (theme for confirmed in session.execute(query).scalars() for theme in confirmed or [])
    return list(dict.fromkeys(themes))


def distress_in(session: Session, participation_id: int) -> bool:
    """Whether any answer of this round showed distress."""
    query = select(Answer.id).where(
        Answer.participation_id == participation_id, Answer.distress.is_(True)
    )
    return session.execute(query.limit(1)).first() is not None


def confirm_themes(answer: Answer, themes: Sequence[str]) -> None:
    """Store the themes the young person confirmed or picked (possibly none)."""
    answer.confirmed_themes = list(themes)
    answer.confirmed_at = utcnow()


def _to_classify(stale_version: str | None) -> ColumnElement[bool]:
    """Answers with text and no prediction; with a version, also those of other versions."""
    waiting: ColumnElement[bool] = Answer.classified_at.is_(None)
    if stale_version is not None:
        waiting = or_(waiting, Answer.model_version != stale_version)
    return and_(Answer.text.is_not(None), waiting)


def count_to_classify(session: Session, stale_version: str | None = None) -> int:
    """How many answers wait for a (new) prediction."""
    query = select(func.count(Answer.id)).where(_to_classify(stale_version))
    return int(session.execute(query).scalar_one())


def answers_to_classify(
    session: Session, after_id: int, limit: int, stale_version: str | None = None
) -> list[Answer]:
    """The next answers waiting for a prediction, in id order, after ``after_id``."""
    query = (
        select(Answer)
        .where(Answer.id > after_id, _to_classify(stale_version))
        .order_by(Answer.id)
        .limit(limit)
    )
    return list(session.execute(query).scalars())


def store_predictions(
    session: Session, rows: Sequence[tuple[int, Sequence[str], Mapping[str, float], str, bool]]
) -> None:
    """(answer id, themes, scores, model version, distress) for answers classified later.

    Answers erased in the meantime are skipped; a distress flag is never lowered.
    """
    answers = {
        a.id: a
        for a in session.execute(
            select(Answer).where(Answer.id.in_([r[0] for r in rows]))
        ).scalars()
    }
    for answer_id, themes, scores, version, distress in rows:
        answer = answers.get(answer_id)
        if answer is None:
            continue
        set_prediction(answer, themes, scores, version)
        answer.distress = bool(answer.distress) or distress


def mark_edited(answer: Answer, text: str) -> None:
    """Replace an answer's text after the participant edited their message."""
    answer.text = storable_text(text)
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


def answers_to_redact(
    session: Session, before: datetime, after_id: int, limit: int
) -> list[Answer]:
    """Answers older than ``before`` whose raw text is still kept, in id order."""
    query = (
        select(Answer)
        .where(
            Answer.id > after_id,
            Answer.created_at < before,
            Answer.text.is_not(None),
            Answer.redacted_at.is_(None),
        )
        .order_by(Answer.id)
        .limit(limit)
    )
    return list(session.execute(query).scalars())


def drop_dormant_chat_links(session: Session, before: datetime) -> int:
    """Forget how to reach participants not seen since ``before``; returns how many."""
    result = session.execute(delete(ChatLink).where(ChatLink.last_seen_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# -- reachability: the channel said a participant blocked the bot ----------------------------


def mark_unreachable(session: Session, pseudonym: str) -> bool:
    """Note that messages no longer reach this participant; False if there is no such one."""
    participant = find_participant(session, pseudonym)
    if participant is None:
        return False
    participant.unreachable = True
    return True


def participant_data(session: Session, participant_id: int) -> dict[str, Any]:
    """Everything stored about one participant, for /mydata."""
    participant = session.get(Participant, participant_id)
    if participant is None:
        return {}
    link = session.get(ChatLink, participant_id)
    conversation = session.get(Conversation, participant_id)

    def when(moment: datetime | None) -> str | None:
        return as_utc(moment).isoformat(timespec="seconds") if moment is not None else None

    return {
        "pseudonym": participant.pseudonym,
        "language": participant.language,
        "created_at": when(participant.created_at),
        "consent_version": participant.consent_version,
        "consented_at": when(participant.consented_at),
        "notify_opt_in": participant.notify_opt_in,
        "chat_id": link.chat_id if link is not None else None,
        "conversation": {"step": conversation.step, "paused": conversation.paused}
        if conversation is not None
        else None,
        "participations": [
            {
                "round": p.round_id,
                "source": p.source,
                "language": p.language,
                "age_band": p.age_band,
                "area": p.area,
                "started_at": when(p.started_at),
                "finished_at": when(p.finished_at),
                "answers": [
                    {
                        "question": a.question_id,
                        "text": a.text,
                        "button": a.button_value,
                        "skipped": a.skipped,
                        "at": when(a.created_at),
                        "themes": a.themes,
                        "confirmed_themes": a.confirmed_themes,
                        "distress": a.distress,
                    }
                    for a in p.answers
                ],
            }
            for p in participant.participations
        ],
        # Conversations with a youth worker (handover), each with its messages either way.
        "cases": [
            {
                "reason": case.reason,
                "opened_at": when(case.opened_at),
                "closed_at": when(case.closed_at),
                "messages": [
                    {"from": m.sender, "text": m.text, "media": m.media, "at": when(m.created_at)}
                    for m in case.messages
                    if m.sender != Sender.EARLIER_CARD
                ],
            }
            for case in session.execute(
                select(Case).where(Case.participant_id == participant_id).order_by(Case.id)
            ).scalars()
        ],
        # Offers from offers.yml shown to them, and whether they tapped Interessant.
        "offers": [
            {
                "offer": shown.offer_id,
                "themes": shown.themes,
                "shown_at": when(shown.shown_at),
                "tapped_at": when(shown.tapped_at),
            }
            for shown in session.execute(
                select(OfferShown)
                .where(OfferShown.participant_id == participant_id)
                .order_by(OfferShown.id)
            ).scalars()
        ],
        # How they reacted to the network's feedback on a theme.
        "feedback_reactions": [
            {
                "theme": row.theme,
                "status": row.status,
                "reaction": row.reaction,
                "at": when(row.reacted_at),
            }
            for row in session.execute(
                select(FeedbackReaction)
                .where(FeedbackReaction.participant_id == participant_id)
                .order_by(FeedbackReaction.id)
            ).scalars()
        ],
        # Messages the network sent them first (follow-up rounds), and where each stands.
        "messages": [
            {
                "kind": row.kind,
                "subject": row.subject,
                "status": row.status,
                "sent_at": when(row.sent_at),
            }
            for row in session.execute(
                select(OutboxMessage)
                .where(OutboxMessage.participant_id == participant_id)
                .order_by(OutboxMessage.id)
            ).scalars()
        ],
    }


# --- Staff review: transcripts, staff labels and gold labels -------------------------------


@dataclass(frozen=True)
class TranscriptFilter:
    """Which answers an export or report covers. Theme filters are the caller's business."""

    since: datetime | None = None
    until: datetime | None = None  # exclusive
    sources: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    finished_only: bool = False


class TranscriptRecord(NamedTuple):
    """One stored answer with what an export needs about its participant and participation."""

    pseudonym: str
    participation_id: int
    answer_id: int
    created_at: datetime
    question_id: str
    text: str | None
    button_value: str | None
    skipped: bool
    language: str
    source: str | None
    age_band: str | None
    area: str | None
    finished_at: datetime | None
    themes: list[str] | None
    theme_scores: dict[str, Any] | None
    model_version: str | None
    confirmed_themes: list[str] | None
    staff_themes: list[str] | None
    distress: bool | None
    # None: a participation from before rounds were stored, so the first round.
    round_id: str | None = None


# Table columns, not ORM attributes: the plain Core result is a third cheaper per row,
# which counts when an export streams 100,000 of them.
_ANSWER, _PARTICIPATION, _PARTICIPANT = (
    Answer.__table__.c,
    Participation.__table__.c,
    Participant.__table__.c,
)
_TRANSCRIPT_COLUMNS = (
    _PARTICIPANT.pseudonym,
    _PARTICIPATION.id,
    _ANSWER.id,
    _ANSWER.created_at,
    _ANSWER.question_id,
    _ANSWER.text,
    _ANSWER.button_value,
    _ANSWER.skipped,
    _PARTICIPATION.language,
    _PARTICIPATION.source,
    _PARTICIPATION.age_band,
    _PARTICIPATION.area,
    _PARTICIPATION.finished_at,
    _ANSWER.themes,
    _ANSWER.theme_scores,
    _ANSWER.model_version,
    _ANSWER.confirmed_themes,
    _ANSWER.staff_themes,
    _ANSWER.distress,
    _PARTICIPATION.round_id,
)
_TRANSCRIPT_FROM = Answer.__table__.join(
    Participation.__table__, _ANSWER.participation_id == _PARTICIPATION.id
).join(Participant.__table__, _PARTICIPATION.participant_id == _PARTICIPANT.id)


def _transcript_conditions(filters: TranscriptFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.since is not None:
        conditions.append(_ANSWER.created_at >= filters.since)
    if filters.until is not None:
        conditions.append(_ANSWER.created_at < filters.until)
    if filters.sources:
        conditions.append(_PARTICIPATION.source.in_(filters.sources))
    if filters.questions:
        conditions.append(_ANSWER.question_id.in_(filters.questions))
    if filters.finished_only:
        conditions.append(_PARTICIPATION.finished_at.is_not(None))
    return conditions


def count_transcript_rows(session: Session, filters: TranscriptFilter) -> int:
    """How many answers ``transcript_rows`` will yield (for a progress bar)."""
    query = (
        select(func.count()).select_from(_TRANSCRIPT_FROM).where(*_transcript_conditions(filters))
    )
    return int(session.execute(query).scalar_one())


def transcript_rows(
    session: Session, filters: TranscriptFilter, *, batch: int = 2000
) -> Iterator[TranscriptRecord]:
    """Answers one by one, each participant's together, in conversation order.

    Streamed in batches (a server-side cursor on PostgreSQL), so an export of
    100,000 answers never holds them all in memory.
    """
    query = (
        select(*_TRANSCRIPT_COLUMNS)
        .select_from(_TRANSCRIPT_FROM)
        .where(*_transcript_conditions(filters))
        .order_by(_PARTICIPANT.id, _PARTICIPATION.id, _ANSWER.id)
        .execution_options(yield_per=batch)
    )
    for row in session.execute(query):
        yield TranscriptRecord._make(row)


@dataclass(frozen=True)
class StaffLabel:
    """Staff's themes for one answer, as read back from a reviewed export."""

    answer_id: int
    themes: tuple[str, ...] | None  # None removes the staff label


def answer_owners(session: Session, answer_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """answer id -> (participant pseudonym, question id), for the ids that exist."""
    found: dict[int, tuple[str, str]] = {}
    # Chunked: SQLite allows a limited number of bound parameters per statement.
    for start in range(0, len(answer_ids), 500):
        chunk = answer_ids[start : start + 500]
        query = (
            select(Answer.id, Participant.pseudonym, Answer.question_id)
            .join(Participation, Answer.participation_id == Participation.id)
            .join(Participant, Participation.participant_id == Participant.id)
            .where(Answer.id.in_(chunk))
        )
        found.update({row[0]: (row[1], row[2]) for row in session.execute(query)})
    return found


def staff_themes_of(session: Session, answer_ids: Sequence[int]) -> dict[int, list[str] | None]:
    """answer id -> the staff themes stored now."""
    found: dict[int, list[str] | None] = {}
    for start in range(0, len(answer_ids), 500):
        chunk = answer_ids[start : start + 500]
        query = select(Answer.id, Answer.staff_themes).where(Answer.id.in_(chunk))
        found.update({row[0]: row[1] for row in session.execute(query)})
    return found


def store_staff_labels(
    session: Session, labels: Sequence[StaffLabel], by: str | None, at: datetime | None = None
) -> None:
    """Set (or remove) staff themes, with who and when."""
    moment = at or utcnow()
    for label in labels:
        answer = session.get(Answer, label.answer_id)
        if answer is None:
            continue
        if label.themes is None:
            answer.staff_themes = None
            answer.staff_labelled_at = None
            answer.staff_labelled_by = None
        else:
            answer.staff_themes = list(label.themes)
            answer.staff_labelled_at = moment
            answer.staff_labelled_by = by


class GoldRecord(NamedTuple):
    """An answer some person labelled: staff, or the young person themselves."""

    answer_id: int
    text: str
    confirmed_themes: list[str] | None
    staff_themes: list[str] | None
    themes: list[str] | None  # what the classifier predicted, for comparison


def gold_records(session: Session, *, staff_only: bool = False) -> Iterator[GoldRecord]:
    """Answers with text and a human label, in id order."""
    labelled = (
        Answer.staff_themes.is_not(None)
        if staff_only
        else or_(Answer.staff_themes.is_not(None), Answer.confirmed_themes.is_not(None))
    )
    query = (
        select(Answer.id, Answer.text, Answer.confirmed_themes, Answer.staff_themes, Answer.themes)
        .where(Answer.text.is_not(None), labelled)
        .order_by(Answer.id)
        .execution_options(yield_per=2000)
    )
    for row in session.execute(query):
        yield GoldRecord._make(row)
