"""ORM models. Names, usernames and phone numbers have no column here, by design."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """Timezone-aware now, so SQLite and PostgreSQL store the same instant."""
    return datetime.now(UTC)


def storable_text(text: str) -> str:
    """The text as every database can hold it: NUL becomes U+FFFD.

    PostgreSQL text cannot contain NUL at all (the insert fails, and the answer
    with it); SQLite gets the same replacement so both store the same thing.
    """
    return text.replace("\x00", "\ufffd")


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


# Python None is stored as SQL NULL, so "IS NULL" means "not set" (never JSON 'null').
NullableJSON = JSON(none_as_null=True)


class Base(DeclarativeBase):
    type_annotation_map = {
        datetime: DateTime(timezone=True),
        dict[str, Any]: NullableJSON,
        list[str]: NullableJSON,
    }


class Participant(Base):
    """A young person, known only by the HMAC of their channel id."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(8))
    notify_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when the channel says the person can no longer be reached (blocked the bot).
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The version of the privacy text they agreed to (privacy.version in config.yml).
    consent_version: Mapped[str | None] = mapped_column(String(32))
    consented_at: Mapped[datetime | None] = mapped_column()

    participations: Mapped[list[Participation]] = relationship(
        back_populates="participant", passive_deletes=True, order_by="Participation.id"
    )


class ChatLink(Base):
    """Where to send messages to a participant. Kept apart so it is easy to drop."""

    __tablename__ = "chat_links"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # The last time the participant wrote; dormant links are dropped (privacy.chat_link_days).
    last_seen_at: Mapped[datetime | None] = mapped_column(default=utcnow)


class Participation(Base):
    """One run through the survey: where the person came from and their profile."""

    __tablename__ = "participations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str | None] = mapped_column(String(32))
    # The round (config.yml's first_round or rounds); None: from before rounds, the first.
    round_id: Mapped[str | None] = mapped_column(String(24))
    language: Mapped[str] = mapped_column(String(8))
    age_band: Mapped[str | None] = mapped_column(String(32))
    area: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()

    participant: Mapped[Participant] = relationship(back_populates="participations")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="participation", passive_deletes=True, order_by="Answer.id"
    )


class Conversation(Base):
    """Where a participant is in the survey, so any worker can continue after a restart."""

    __tablename__ = "conversations"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE")
    )
    # "q:<question id>", "check:<question id>", "pick:<question id>", "opt_in", "done",
    # or "more:<theme id>" (their words on the feedback about a theme).
    step: Mapped[str] = mapped_column(String(40))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # Options (or themes, when picking) ticked so far.
    pending: Mapped[list[str]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # Optimistic locking on top of row locks: a write based on a stale read fails loudly.
    __mapper_args__ = {"version_id_col": version}


class Answer(Base):
    """One thing a participant said or chose, in conversation order."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE")
    )
    question_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    button_value: Mapped[str | None] = mapped_column(String(400))
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    # The channel's message id, so an edit of the latest answer can find it.
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column()

    # Filled by the classifier (possibly later, if it was down).
    themes: Mapped[list[str] | None] = mapped_column(NullableJSON)
    theme_scores: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON)
    model_version: Mapped[str | None] = mapped_column(String(64))
    classified_at: Mapped[datetime | None] = mapped_column()
    # What the young person confirmed or picked in the conversation ([] = none fit).
    confirmed_themes: Mapped[list[str] | None] = mapped_column(NullableJSON)
    confirmed_at: Mapped[datetime | None] = mapped_column()
    # What staff decided when reviewing the export ([] never: "none" is a theme id).
    # Staff labels win over both of the above when training the classifier.
    staff_themes: Mapped[list[str] | None] = mapped_column(NullableJSON)
    staff_labelled_at: Mapped[datetime | None] = mapped_column()
    # A staff member's name or initials, as given to `jeugdstem labels import --by`.
    staff_labelled_by: Mapped[str | None] = mapped_column(String(80))
    distress: Mapped[bool | None] = mapped_column(Boolean)
    # When retention replaced the text by its redacted form (privacy.retention_days).
    redacted_at: Mapped[datetime | None] = mapped_column()

    participation: Mapped[Participation] = relationship(back_populates="answers")

    __table_args__ = (
        Index("ix_answers_participation_id_id", "participation_id", "id"),
        Index("ix_answers_created_at", "created_at"),
    )


class ProcessedUpdate(Base):
    """Channel update ids already handled, so a redelivered update is stored once."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    processed_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseReason(StrEnum):
    """Why a young person's conversation was handed to a youth worker."""

    ALARM = "alarm"  # a message showed acute danger
    CONCERN = "concern"  # "Ik wil met iemand praten" after "Gaat het met je?"
    REQUEST = "request"  # /praten, or asked in their own words


class CaseClosure(StrEnum):
    """Who ended a case."""

    YOUNG = "young"  # /stop
    WORKER = "worker"  # Afsluiten in the staff chat
    # The young person erased their data: the case row goes with them, so this is never
    # stored; it names the closure in the staff chat.
    ERASED = "erased"


class Sender(StrEnum):
    """Who wrote a message of a case."""

    YOUNG = "young"
    WORKER = "worker"
    # A case card the bot replaced by a new one (a new shift): kept, without text, so a
    # worker's reply to the old card still finds its case.
    EARLIER_CARD = "card"


class Case(Base):
    """A young person who agreed to talk to a youth worker, and what became of it.

    The row lives as long as the participant (counts for the report); its messages
    are deleted ``handover.retention_days`` after it closed.
    """

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(16))  # CaseReason
    # The risk kinds that were heard, most urgent first (empty for a plain request).
    risk_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    age_band: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str | None] = mapped_column(String(32))
    # When the young person said "Ja, graag": their agreement to pass it on.
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Opened when no worker was on shift.
    out_of_hours: Mapped[bool] = mapped_column(Boolean, default=False)
    # The case card in the staff chat, so its buttons and replies find the case.
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # The worker who took it (a configured staff member's Telegram user id, not a young person's).
    worker_id: Mapped[int | None] = mapped_column(BigInteger)
    claimed_at: Mapped[datetime | None] = mapped_column()
    first_answer_at: Mapped[datetime | None] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column()
    closed_by: Mapped[str | None] = mapped_column(String(16))  # CaseClosure
    # The last time an unclaimed alarm case was put before a new shift.
    escalated_at: Mapped[datetime | None] = mapped_column()

    messages: Mapped[list[CaseMessage]] = relationship(
        back_populates="case", passive_deletes=True, order_by="CaseMessage.id"
    )

    __table_args__ = (Index("ix_cases_card_message_id", "card_message_id"),)


class CaseMessage(Base):
    """One message of a case's conversation, either way."""

    __tablename__ = "case_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(8))  # Sender
    # The survey answer that led to the case (an alarm, a concern), kept with the thread
    # so the worker who takes it reads it in full and the card shows it redacted.
    opening: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str | None] = mapped_column(Text)
    # "photo", "voice", ...: relayed as it is, never stored (the channel keeps the file).
    media: Mapped[str | None] = mapped_column(String(16))
    # The message's id in the chat it was written in (to copy a photo or voice on).
    channel_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Its copy in the staff chat: a worker answers by replying to it.
    staff_message_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="messages")


class OfferShown(Base):
    """An offer from offers.yml the bot showed a young person, and whether they tapped it.

    No free text: the offer's id, the themes it answered, and two moments. One row per
    participant and offer, so an offer is never shown to the same person twice.
    """

    __tablename__ = "offers_shown"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    offer_id: Mapped[str] = mapped_column(String(32))
    # The young person's confirmed themes that the offer lifts.
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    shown_at: Mapped[datetime] = mapped_column(default=utcnow)
    # "Interessant" tapped (the first tap; a second one changes nothing).
    tapped_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (UniqueConstraint("participant_id", "offer_id"),)


class OutboxKind(StrEnum):
    """What a message the network sends first is about."""

    ROUND = "round"  # an invitation to a follow-up round (`jeugdstem send ROUND`)
    FEEDBACK = "feedback"  # "jullie zeiden, wij deden" on a theme (`jeugdstem feedback send`)


class OutboxStatus(StrEnum):
    """Where a message of the outbox is. Only PENDING rows are ever sent."""

    PENDING = "pending"  # to be sent from due_at on
    SENDING = "sending"  # handed to the channel; SENT once it answered
    SENT = "sent"
    # Mid-survey when it was due: the bot adds it when they finish their round.
    WAITING = "waiting"
    # In flight when the sender died: maybe delivered, so never sent again.
    UNCERTAIN = "uncertain"
    UNREACHABLE = "unreachable"  # the channel said they blocked the bot
    FAILED = "failed"  # the channel refused the message itself; not tried again
    CANCELLED = "cancelled"  # opted out, or no longer a recipient, before it went


class OutboxMessage(Base):
    """One message the network sends a participant first: queued, so a crash resumes it.

    One row per participant, kind and subject, so nobody gets the same message twice;
    no text: it is made from config.yml when it goes.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # OutboxKind
    # The round id, or for feedback "<theme>:<status>" (a new status is a new message).
    subject: Mapped[str] = mapped_column(String(48))
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    # Not before this moment (spread, quiet hours); held rows move it forward.
    due_at: Mapped[datetime] = mapped_column(default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("participant_id", "kind", "subject"),
        Index("ix_outbox_status_due_at", "status", "due_at"),
    )


class Reaction(StrEnum):
    """How a young person answered "jullie zeiden, wij deden"."""

    HELPS = "helps"  # 👍 Dit helpt
    DOES_NOT_HELP = "not"  # 👎 Dit helpt niet
    SAY_MORE = "more"  # Ik wil er meer over zeggen (their words become an answer)


class FeedbackReaction(Base):
    """A young person's reaction to the network's feedback on one theme, at one status.

    One row per participant, theme and status: a later tap replaces the reaction.
    """

    __tablename__ = "feedback_reactions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    theme: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16))  # FeedbackStatus.key
    reaction: Mapped[str] = mapped_column(String(8))  # Reaction
    reacted_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("participant_id", "theme", "status"),)
