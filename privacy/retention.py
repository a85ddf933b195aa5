"""Data retention: old answer texts keep only their redacted form, dormant chat ids go.

It runs once a day inside the bot and on demand with `jeugdstem privacy
retention`. Redaction happens here, not in storage/, because storage knows
nothing of the NLU.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import structlog
from sqlalchemy.orm import Session

from privacy.redact import redact
from storage import Database
from storage import repository as repo
from storage.models import utcnow
from survey.config import PrivacySettings

# Small batches: on SQLite each runs on the event loop, between conversation turns.
_BATCH = 100

log = structlog.get_logger("jeugdstem.retention")


@dataclass(frozen=True)
class RetentionResult:
    """What one run changed."""

    answers_redacted: int
    chat_links_dropped: int


def _redact_batch(session: Session, *, before_days: int, after_id: int) -> tuple[int, int]:
    """Redact one batch; returns (last answer id seen, how many texts changed)."""
    before = utcnow() - timedelta(days=before_days)
    answers = repo.answers_to_redact(session, before, after_id, _BATCH)
    changed = 0
    now = utcnow()
    for answer in answers:
        redacted = redact(answer.text or "")
        if redacted != answer.text:
            answer.text = redacted
            changed += 1
        answer.redacted_at = now
    return (answers[-1].id if answers else -1), changed


async def apply_retention(database: Database, privacy: PrivacySettings) -> RetentionResult:
    """One retention run, in short batches so conversations go on meanwhile."""
    redacted = 0
    last_id = 0
    while last_id >= 0:
        last_id, changed = await database.run(
            partial(_redact_batch, before_days=privacy.retention_days, after_id=last_id)
        )
        redacted += changed
    before = utcnow() - timedelta(days=privacy.chat_link_days)
    dropped = await database.run(partial(repo.drop_dormant_chat_links, before=before))
    return RetentionResult(redacted, dropped)


async def retention_daily(database: Database, privacy: PrivacySettings) -> None:
    """Inside the bot: a first run a minute after start, then every 24 hours."""
    await asyncio.sleep(60)
    while True:
        try:
            result = await apply_retention(database, privacy)
            log.info(
                "retention_applied",
                answers_redacted=result.answers_redacted,
                chat_links_dropped=result.chat_links_dropped,
            )
        except Exception as error:
            # The next day tries again; the conversation must not suffer. Only the type is
            # logged: a message could quote an answer.
            log.warning("retention_failed", error=type(error).__name__)
        await asyncio.sleep(24 * 3600)
