"""Erasure and retention at the row level: find whom to erase, rewrite old answer texts.

What a text becomes is decided above (privacy/ knows the redactor); this
module only finds the rows and stores the result.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select

from storage.database import Session
from storage.models import Participant, utcnow
from storage.repository import answers_to_redact


class ParticipantKey(NamedTuple):
    """A participant's row id and full pseudonym."""

    id: int
    pseudonym: str


def participants_by_prefix(session: Session, prefix: str, limit: int) -> list[ParticipantKey]:
    """Up to ``limit`` participants whose pseudonym starts with ``prefix`` (taken literally)."""
    query = select(Participant.id, Participant.pseudonym).where(
        Participant.pseudonym.startswith(prefix, autoescape=True)
    )
    return [ParticipantKey(row.id, row.pseudonym) for row in session.execute(query.limit(limit))]


def rewrite_old_texts(
    session: Session,
    rewrite: Callable[[str], str],
    *,
    before: datetime,
    after_id: int,
    limit: int,
) -> tuple[int, int]:
    """Rewrite the kept texts of up to ``limit`` answers older than ``before``, after ``after_id``.

    Each is marked as redacted, changed or not. Returns (the last answer id seen, or -1 when
    there were none, and how many texts changed).
    """
    answers = answers_to_redact(session, before, after_id, limit)
    changed = 0
    now = utcnow()
    for answer in answers:
        rewritten = rewrite(answer.text or "")
        if rewritten != answer.text:
            answer.text = rewritten
            changed += 1
        answer.redacted_at = now
    return (answers[-1].id if answers else -1), changed
