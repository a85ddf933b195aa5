"""Erasure on a participant's behalf (`jeugdstem privacy forget`): every row about them goes."""

from __future__ import annotations

from enum import StrEnum

from privacy.identity import SHORT_PSEUDONYM_LENGTH
from storage import Database
from storage import repository as repo
from storage.erasure import ParticipantKey, participants_by_prefix


class NoMatch(StrEnum):
    """Why a pseudonym prefix names no single participant."""

    too_short = "too short"
    unknown = "unknown"
    several = "several"


class NotOneParticipant(LookupError):
    """The prefix is too short, matches nobody, or matches several participants."""

    def __init__(self, reason: NoMatch) -> None:
        super().__init__(reason.value)
        self.reason = reason


def find_participant(database: Database, prefix: str) -> ParticipantKey:
    """The one participant whose pseudonym starts with ``prefix`` (at least the short form)."""
    if len(prefix) < SHORT_PSEUDONYM_LENGTH:
        raise NotOneParticipant(NoMatch.too_short)
    with database.transaction() as session:
        found = participants_by_prefix(session, prefix, limit=2)
    if not found:
        raise NotOneParticipant(NoMatch.unknown)
    if len(found) > 1:
        raise NotOneParticipant(NoMatch.several)
    return found[0]


def erase_participant(database: Database, participant: ParticipantKey) -> None:
    """Remove the participant and, with them, every row about them."""
    with database.transaction() as session:
        repo.delete_participant(session, participant.id)
