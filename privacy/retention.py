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
from storage import Database
from storage import repository as repo
from storage.erasure import rewrite_old_texts
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


async def apply_retention(database: Database, privacy: PrivacySettings) -> RetentionResult:
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
