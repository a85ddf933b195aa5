"""Telegram's side of `jeugdstem send`: one message to one chat, and what became of it.

Telegram's answers decide the outcome (bot/sending.py stores it):
- 429 Too Many Requests: the message was not sent; wait ``retry_after``, then again;
- 403 Forbidden (and "chat not found"): the person blocked the bot; unreachable;
- no answer in time: maybe delivered, so it is never sent again;
- a refused connection or a 5xx: not delivered; the outbox tries later.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.engine.events import Reply
from bot.sending import Outcome
from bot.telegram.adapter import send_message_calls
from bot.telegram.transport import AiohttpRequest

log = structlog.get_logger("jeugdstem.sender")

# 429s in a row for one message before the outbox keeps it for later.
MAX_FLOOD_WAITS = 10


class TelegramDelivery:
    """Sends a reply to a chat over the Bot API; an async context manager around one Bot."""

    def __init__(self, api_url: str, token: str) -> None:
        api = api_url.rstrip("/")
        self.bot = Bot(
            token,
            base_url=f"{api}/bot",
            base_file_url=f"{api}/file/bot",
            request=AiohttpRequest(connection_pool_size=4),
        )
        # Seconds spent waiting out 429s (the summary shows it).
        self.flood_wait = 0.0
        self.floods = 0

    async def __aenter__(self) -> TelegramDelivery:
        await self.bot.initialize()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.bot.shutdown()

    async def __call__(self, chat_id: int, reply: Reply) -> Outcome:
        """Send the reply (split at Telegram's limit, buttons on the last part)."""
        for message in send_message_calls(chat_id, reply):
            outcome = await self._send(message)
            if outcome is not Outcome.DELIVERED:
                return outcome
        return Outcome.DELIVERED

    async def _send(self, message: dict[str, Any]) -> Outcome:
        for _ in range(MAX_FLOOD_WAITS):
            try:
                await self.bot.do_api_request("sendMessage", message)
                return Outcome.DELIVERED
            except RetryAfter as error:
                seconds = _seconds(error.retry_after)
                self.floods += 1
                self.flood_wait += seconds
                log.warning("send_flood_wait", seconds=seconds)
                await asyncio.sleep(seconds)
            except Forbidden:
                return Outcome.BLOCKED
            except BadRequest as error:
                if "chat not found" in error.message.lower():
                    return Outcome.BLOCKED
                # A message Telegram refuses will not pass later either.
                log.error("send_refused", error=error.message)
                return Outcome.REFUSED
            except TimedOut:
                return Outcome.UNKNOWN
            except NetworkError as error:
                log.warning("send_network_error", error=type(error).__name__)
                return Outcome.NOT_DELIVERED
            except TelegramError as error:
                log.warning("send_failed", error=type(error).__name__)
                return Outcome.NOT_DELIVERED
        return Outcome.NOT_DELIVERED


def _seconds(value: Any) -> float:
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)
