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

from privacy.redact import redact
from storage import Database, cases
from storage import repository as repo
from storage.erasure import rewrite_old_texts
from storage.models import utcnow
from survey.config import HandoverSettings, PrivacySettings

# Small batches: on SQLite each runs on the event loop, between conversation turns.
_BATCH = 100

log = structlog.get_logger("jeugdstem.retention")


@dataclass(frozen=True)
class RetentionResult:
    """What one run changed."""

    answers_redacted: int
    chat_links_dropped: int
    # Messages of handover cases closed longer ago than handover.retention_days.
    case_messages_deleted: int = 0


async def apply_retention(
    database: Database, privacy: PrivacySettings, handover: HandoverSettings | None = None
) -> RetentionResult:
    """One retention run, in short batches so conversations go on meanwhile."""
    redacted = 0
    last_id = 0
    while last_id >= 0:
        before = utcnow() - timedelta(days=privacy.retention_days)
        last_id, changed = await database.run(
            partial(
                rewrite_old_texts, rewrite=redact, before=before, after_id=last_id, limit=_BATCH
            )
        )
        redacted += changed
    before = utcnow() - timedelta(days=privacy.chat_link_days)
    dropped = await database.run(partial(repo.drop_dormant_chat_links, before=before))
    deleted = 0
    if handover is not None:
        closed_before = utcnow() - timedelta(days=handover.retention_days)
        deleted = await database.run(
            partial(cases.delete_old_messages, closed_before=closed_before)
        )
    return RetentionResult(redacted, dropped, deleted)


async def retention_daily(
    database: Database, privacy: PrivacySettings, handover: HandoverSettings
) -> None:
    """Inside the bot: a first run a minute after start, then every 24 hours."""
    await asyncio.sleep(60)
    while True:
        try:
            result = await apply_retention(database, privacy, handover)
            log.info(
                "retention_applied",
                answers_redacted=result.answers_redacted,
                chat_links_dropped=result.chat_links_dropped,
                case_messages_deleted=result.case_messages_deleted,
            )
        except Exception as error:
            # The next day tries again; the conversation must not suffer. Only the type is
            # logged: a message could quote an answer.
            log.warning("retention_failed", error=type(error).__name__)
        await asyncio.sleep(24 * 3600)
