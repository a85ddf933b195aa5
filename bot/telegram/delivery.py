"""How updates reach the handlers, and when Telegram is told they are done.

Telegram forgets an update once the bot confirms it: by calling ``getUpdates``
with a higher offset (long polling), or by answering the webhook POST with 200.
python-telegram-bot confirms as soon as it has queued an update, before any
handler ran, so a bot killed at that moment loses it, and the young person's
answer is gone without a reply. Here an update is confirmed only once its
handlers are done:

- long polling: ``Poller`` never moves the offset past an update still being
  handled, so a restarted bot is handed those updates again;
- webhook: ``HandlingQueue.put``, which PTB's webhook handler awaits before it
  answers, returns only once the update is handled; a killed worker never
  answers, so Telegram sends the update again.

Updates handled just before a kill may come back too; ``processed_updates``
recognises them (see docs/reliability.md).

```mermaid
flowchart LR
    T[Telegram] -- getUpdates offset = oldest unhandled --> P[Poller]
    T -- webhook POST --> W[PTB webhook handler]
    P -- new updates only --> Q[update queue]
    W -- put, waits --> Q
    Q --> H[handlers, per participant in order]
    H -- handled --> D[HandledUpdates]
    D -- next offset --> P
    D -- 200 --> W
```
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import warnings
from collections.abc import Sequence
from typing import Any

import structlog
from telegram import Bot, Update
from telegram.error import Forbidden, InvalidToken, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application
from telegram.warnings import PTBUserWarning
from tenacity import AsyncRetrying, retry_if_exception, wait_exponential_jitter

log = structlog.get_logger("jeugdstem.delivery")

# Seconds Telegram holds a getUpdates open when nothing is waiting.
LONG_POLL_SECONDS = 10
# While updates are being handled the next poll returns at once (the unhandled ones
# come back with it), so polls are paced: one when an update has been handled, but
# at least BUSY_POLL_GAP apart (each poll hands out the unhandled ones again) and at
# most BUSY_POLL_SECONDS. A new arrival waits for the next poll, so the gap is added
# to its reply time: a short gap buys latency with a little CPU under moderate load
# (measured in docs/performance.md, "Latency at 300 updates/s").
BUSY_POLL_SECONDS = 0.2
BUSY_POLL_GAP = 0.01
# Seconds a getUpdates answer may take beyond its long-poll wait (PTB's read timeout).
READ_TIMEOUT_SECONDS = 5.0
# Longest wait between attempts when Telegram cannot be reached.
MAX_BACKOFF_SECONDS = 30.0


class HandledUpdates:
    """Which fetched updates are still being handled, and so how far to confirm."""

    def __init__(self) -> None:
        self._in_flight: set[int] = set()
        # Fetched at or above the offset: in flight, or handled while an older one is not.
        self._fetched: set[int] = set()
        self._next = 0  # one past the highest update id fetched
        self.changed = asyncio.Event()
        # Webhook requests waiting for their update to be handled.
        self._waiting: dict[int, list[asyncio.Future[None]]] = {}

    def waiter(self, update_id: int) -> asyncio.Future[None]:
        """A future that ``handled(update_id)`` completes (a webhook request waits on it)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(update_id, []).append(done)
        return done

    def fetched(self, update_id: int) -> bool:
        """Note an update from getUpdates; False when it was fetched before (do not queue it)."""
        if update_id in self._fetched or update_id < self.offset:
            return False
        self._fetched.add(update_id)
        self._in_flight.add(update_id)
        self._next = max(self._next, update_id + 1)
        return True

    def handled(self, update_id: int) -> None:
        """The update went through the handlers (stored, answered, or failed and apologised)."""
        for future in self._waiting.pop(update_id, ()):
            if not future.done():
                future.set_result(None)
        self._in_flight.discard(update_id)
        offset = self.offset
        self._fetched = {u for u in self._fetched if u >= offset}
        self.changed.set()

    @property
    def offset(self) -> int:
        """The getUpdates offset that confirms exactly the handled updates below it."""
        return min(self._in_flight) if self._in_flight else self._next

    @property
    def busy(self) -> bool:
        """Whether some fetched update is still being handled."""
        return bool(self._in_flight)


class HandlingQueue(asyncio.Queue[object]):
    """The application's update queue, for webhook mode: ``put`` waits until handled.

    PTB's webhook handler answers Telegram once ``await update_queue.put(update)``
    returns, so waiting here turns its 200 into "handled", not "queued".
    """

    def __init__(self, updates: HandledUpdates) -> None:
        super().__init__()
        self.updates = updates

    async def put(self, item: object) -> None:
        """Queue the item; for an update, return only once its handlers are done."""
        if not isinstance(item, Update):
            await super().put(item)  # PTB's own stop signal
            return
        handled = self.updates.waiter(item.update_id)
        await super().put(item)
        await handled


def _worth_retrying(error: BaseException) -> bool:
    # A wrong token or a bot that Telegram refuses will not get better by waiting.
    return isinstance(error, TelegramError) and not isinstance(error, InvalidToken | Forbidden)


async def _with_backoff(event: str, call: Any) -> Any:
    """Await ``call()`` until it works, waiting longer each time (Telegram may be away)."""
    async for attempt in AsyncRetrying(
        retry=retry_if_exception(_worth_retrying),
        wait=wait_exponential_jitter(initial=0.5, max=MAX_BACKOFF_SECONDS),
        before_sleep=lambda state: log.warning(
            event,
            attempt=state.attempt_number,
            error=type(state.outcome.exception()).__name__ if state.outcome else None,
        ),
        reraise=True,
    ):
        with attempt:
            return await call()


class Poller:
    """Fetches updates into the application's queue, confirming only handled ones."""

    def __init__(
        self,
        bot: Bot,
        queue: asyncio.Queue[object],
        updates: HandledUpdates,
        allowed_updates: Sequence[str],
    ) -> None:
        self.bot = bot
        self.queue = queue
        self.updates = updates
        self.allowed_updates = list(allowed_updates)
        self._stopping = asyncio.Event()
        # PTB suggests get_updates over do_api_request, but that parses every update
        # again (see _fetch): exactly what the raw request avoids.
        warnings.filterwarnings("ignore", "Please use 'Bot.getUpdates'", PTBUserWarning)

    async def run(self) -> None:
        """Poll until ``stop()``."""
        await _with_backoff("webhook_not_removed", lambda: self.bot.delete_webhook())
        while not self._stopping.is_set():
            if self.updates.busy:
                await self._pause()
                if self._stopping.is_set():
                    break
            # Cleared before the poll, so an update handled meanwhile cuts the next pause short.
            self.updates.changed.clear()
            try:
                await self._fetch(0 if self.updates.busy else LONG_POLL_SECONDS)
            except RetryAfter as error:
                await self._sleep(_seconds(error.retry_after))
            except TimedOut:
                continue
            except TelegramError as error:
                if not _worth_retrying(error):
                    raise
                log.warning("get_updates_failed", error=type(error).__name__)
                await self._sleep(1.0)

    async def _fetch(self, wait_seconds: int) -> None:
        """One getUpdates; only the updates not fetched before are parsed and queued.

        Under load most of a poll's updates are ones still being handled (the offset
        cannot pass them), handed out again with every poll. Parsing each into PTB's
        objects again was a quarter of the bot's CPU at saturation, so the poll asks
        for the raw JSON (``do_api_request``) and parses only the new ones.
        """
        offset = self.updates.offset
        raw_updates = await self.bot.do_api_request(
            "getUpdates",
            api_kwargs={
                "offset": offset,
                "timeout": wait_seconds,
                "allowed_updates": self.allowed_updates,
            },
            # As get_updates does: the long poll's wait plus the usual read timeout.
            read_timeout=wait_seconds + READ_TIMEOUT_SECONDS,
        )
        in_batch: set[int] = set()
        for raw in raw_updates:
            update_id = int(raw["update_id"])
            if update_id in in_batch or update_id < offset:
                # Telegram handed out the same update twice; handle it once.
                log.info("update_redelivered", update_id=update_id)
            elif self.updates.fetched(update_id):
                await self.queue.put(Update.de_json(raw, self.bot))
            # Else it is still being handled, or handled after an older one that is not:
            # every poll hands those out again until the offset passes them.
            in_batch.add(update_id)

    async def _pause(self) -> None:
        """Wait a moment before polling again while updates are being handled."""
        started = asyncio.get_running_loop().time()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.updates.changed.wait(), BUSY_POLL_SECONDS)
        waited = asyncio.get_running_loop().time() - started
        if waited < BUSY_POLL_GAP:
            await self._sleep(BUSY_POLL_GAP - waited)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    def stop(self) -> None:
        """Stop after the current poll (a long poll is cut short by cancelling it)."""
        self._stopping.set()

    async def confirm_handled(self) -> None:
        """Tell Telegram which updates are done, so a restart is not handed them again."""
        with contextlib.suppress(TelegramError):
            await self.bot.get_updates(offset=self.updates.offset, timeout=0, limit=1)


def _seconds(value: Any) -> float:
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)


def run_polling(
    application: Application[Any, Any, Any, Any, Any, Any],
    poller: Poller,
) -> None:
    """Run the application on ``poller`` until SIGINT or SIGTERM, then stop cleanly."""
    asyncio.run(_serve(application, poller))


async def _serve(application: Application[Any, Any, Any, Any, Any, Any], poller: Poller) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        polling = asyncio.create_task(poller.run(), name="polling")
        stopped = asyncio.create_task(stop.wait(), name="stop-signal")
        try:
            await asyncio.wait({polling, stopped}, return_when=asyncio.FIRST_COMPLETED)
            poller.stop()
            polling.cancel()
            stopped.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await polling  # re-raises what ended the polling, such as a wrong token
        finally:
            # Handles every update already queued, then confirms them.
            await application.stop()
            await poller.confirm_handled()
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
