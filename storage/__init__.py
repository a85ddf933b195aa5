"""Storage: the only package that speaks SQL.

It knows nothing of Telegram or NLU. Everything is keyed by a participant's
pseudonym; the one table that can reach a person (``chat_links``) is deleted
with the participant.
"""

from sqlalchemy.exc import SQLAlchemyError as DatabaseError  # what a failed database call raises

from storage.database import Database, normalize_database_url
from storage.models import (
    Answer,
    Base,
    Case,
    CaseMessage,
    ChatLink,
    Conversation,
    FeedbackReaction,
    OfferShown,
    OutboxMessage,
    Participant,
    Participation,
    ProcessedUpdate,
)

__all__ = [
    "Answer",
    "Base",
    "Case",
    "CaseMessage",
    "ChatLink",
    "Conversation",
    "Database",
    "DatabaseError",
    "FeedbackReaction",
    "OfferShown",
    "OutboxMessage",
    "Participant",
    "Participation",
    "ProcessedUpdate",
    "normalize_database_url",
]
