"""Telegram adapter: turns Telegram updates into engine events and renders the replies.

It holds no conversation state: that lives in the database, so the bot can be
killed and restarted, or run as two webhook workers, at any moment.

```mermaid
flowchart LR
    U[Update] -->|/start code| S[Start]
    U -->|/command| C[Command]
    U -->|text| T[Text]
    U -->|edited text| E[Edit]
    U -->|button| P[Press]
    U -->|voice, photo, ...| N[NonText]
    S & C & T & E & P & N --> Engine --> R[send / edit / answerCallbackQuery]
```
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import structlog
from telegram import Bot, BotCommand, Message, Update
from telegram.constants import MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential,
    wait_random,
)
from tornado.httpserver import HTTPServer

from bot.engine import (
    Command,
    Edit,
    Event,
    Incoming,
    Keyboard,
    NonText,
    Press,
    Reply,
    Response,
    Start,
    Text,
    command_menu,
)
from bot.engine.events import Handoff, Post, StaffMessage, StaffPress, StaffResponse
from bot.runtime import Runtime
from bot.telegram.delivery import HandledUpdates, HandlingQueue, Poller, run_polling
from bot.telegram.flood import FloodGuard
from bot.telegram.transport import AiohttpRequest
from privacy.identity import short_pseudonym
from privacy.redact import redact
from privacy.retention import retention_daily
from storage import cases
from storage import repository as repo
from storage.database import database_unavailable
from survey.helplines import unchecked
from survey.text import split_utf16

log = structlog.get_logger("jeugdstem.telegram")

T = TypeVar("T")

ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
PRIVATE = filters.ChatType.PRIVATE
# The largest webhook request body accepted. An update holds at most 4096 characters of
# text plus entities and a keyboard (tens of KB); a bigger body is refused unread.
WEBHOOK_MAX_BODY_BYTES = 1024 * 1024

# Telegram's passing failures (5xx, timeouts, dropped connections): tries per call, and the
# first wait; waits double (0.5, 1, 2 s, plus jitter), so a call gives up after ~4 s plus
# its timeouts. 429 is not among them: AIORateLimiter obeys retry_after.
TELEGRAM_ATTEMPTS = 4
TELEGRAM_FIRST_WAIT = 0.5
# How long an update is held while the database is away (a restart, a failover, a patch)
# before the person is told to try again.
DATABASE_PATIENCE = 30.0
# How often the bot looks for alarm cases to put before a shift that has just begun.
ESCALATION_CHECK_SECONDS = 20.0
# A young person's message whose copy has not reached the staff chat this long after it
# was stored is relayed by the periodic check (a turn's own relay takes well under this).
RELAY_GRACE_SECONDS = 15.0


class PerParticipantOrder(BaseUpdateProcessor):
    """Handles different participants concurrently, and each participant's updates in order."""

    def __init__(self, max_concurrent_updates: int, on_handled: Callable[[int], None]) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._queued: Counter[int] = Counter()
        # Told each update id once its handlers are done; only then is Telegram told.
        self._on_handled = on_handled

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await self._in_order(update, coroutine)
        finally:
            if isinstance(update, Update):
                self._on_handled(update.update_id)

    async def _in_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        user = update.effective_user if isinstance(update, Update) else None
        if user is None:
            await coroutine
            return
        # asyncio.Lock wakes waiters first-in first-out, so arrival order is kept.
        lock = self._locks.setdefault(user.id, asyncio.Lock())
        self._queued[user.id] += 1
        try:
            async with lock:
                await coroutine
        finally:
            self._queued[user.id] -= 1
            if self._queued[user.id] == 0:
                del self._queued[user.id]
                del self._locks[user.id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


# What a young person may send besides text (named in the survey's reply, copied into a
# case), and what a worker's answer may carry to a young person.
YOUNG_MEDIA = ("voice", "photo", "sticker", "location", "document", "video")
WORKER_MEDIA = ("photo", "voice", "video", "document", "sticker", "audio")


def media_kind(message: Message, kinds: tuple[str, ...]) -> str | None:
    """The first of ``kinds`` the message carries ("photo", "voice", ...), or None."""
    return next((kind for kind in kinds if getattr(message, kind, None)), None)


def keyboard_markup(buttons: Keyboard) -> dict[str, Any] | None:
    """The Bot API's inline keyboard for a reply, or None when it has no buttons."""
    if not buttons:
        return None
    return {
        "inline_keyboard": [
            [{"text": b.label, "callback_data": b.data} for b in row] for row in buttons
        ]
    }


def send_message_calls(chat_id: int, reply: Reply) -> list[dict[str, Any]]:
    """The sendMessage parameters of a reply: its text split at Telegram's limit, the
    buttons on the last part."""
    pieces = split_text(reply.text)
    markup = keyboard_markup(reply.buttons)
    calls: list[dict[str, Any]] = []
    for index, piece in enumerate(pieces):
        message: dict[str, Any] = {"chat_id": chat_id, "text": piece}
        if markup is not None and index == len(pieces) - 1:
            message["reply_markup"] = markup
        calls.append(message)
    return calls


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """The messages a text goes out as: pieces within Telegram's limit (``split_utf16``).

    Telegram trims each message and refuses a blank one, so the line break or space
    a piece was cut after is left off, and blank pieces are dropped.
    """
    pieces = split_utf16(text, limit)
    messages = [piece[:-1] if piece.endswith(("\n", " ")) else piece for piece in pieces[:-1]]
    messages.append(pieces[-1])
    return [message for message in messages if message.strip()] or pieces[:1]


def where_raised(error: BaseException | None) -> list[str]:
    """The stack of an exception as "file:line function" only, without its message."""
    if error is None:
        return []
    return [
        f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"
        for frame in traceback.extract_tb(error.__traceback__)
    ][-8:]


def command_name(text: str) -> str:
    """'/Help@JeugdstemBot now' -> 'help'."""
    return text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()


def telegram_failure_passes(error: BaseException) -> bool:
    """A 5xx, timeout or dropped connection: worth another try.

    PTB makes BadRequest a NetworkError, but it fails the same way every time; Forbidden
    (blocked) and RetryAfter (the rate limiter's) are not NetworkErrors.
    """
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


def _log_retry(event: str, **fields: object) -> Callable[[RetryCallState], None]:
    """A tenacity hook logging each retry by error type (messages can quote what was sent)."""

    def log_it(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        log.warning(
            event,
            attempt=state.attempt_number,
            error=type(error).__name__,
            wait_s=round(state.upcoming_sleep, 2),
            **fields,
        )

    return log_it


class TelegramAdapter:
    """Connects a python-telegram-bot Application to the survey engine."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.engine = runtime.engine
        self.retention: asyncio.Task[None] | None = None
        self.escalation: asyncio.Task[None] | None = None
        self.flood = FloodGuard()

    def build_application(
        self, handled: HandledUpdates, *, webhook: bool
    ) -> Application[Any, Any, Any, Any, Any, Any]:
        """The Application, with handlers, rate limiter and ordered concurrent processing.

        Telegram is told an update is done only once ``handled`` has seen it
        through the handlers (bot/telegram/delivery.py): long polling runs our own
        ``Poller`` instead of PTB's Updater, and the webhook's queue makes PTB's
        handler wait before it answers 200.
        """
        settings = self.runtime.settings
        assert settings.telegram_bot_token is not None
        api = settings.telegram_api_url.rstrip("/")
        limits = self.runtime.survey.telegram
        builder = Application.builder()
        builder = builder.update_queue(HandlingQueue(handled)) if webhook else builder.updater(None)
        application = (
            builder.token(settings.telegram_bot_token.get_secret_value())
            .base_url(f"{api}/bot")
            .base_file_url(f"{api}/file/bot")
            .rate_limiter(
                AIORateLimiter(
                    overall_max_rate=limits.rate_limit.overall_max_rate,
                    max_retries=limits.rate_limit.max_retries,
                )
            )
            .concurrent_updates(PerParticipantOrder(limits.concurrent_updates, handled.handled))
            .request(AiohttpRequest(connection_pool_size=limits.connection_pool_size))
            .get_updates_request(AiohttpRequest(connection_pool_size=1))
            .post_init(self.post_init)
            .post_shutdown(self.post_shutdown)
            .build()
        )
        message = filters.UpdateType.MESSAGE & PRIVATE
        staff_chat = settings.jeugdstem_staff_chat_id
        if staff_chat is not None:
            # Workers answer young people by replying in the staff chat (bot/engine/staff.py).
            staff = filters.UpdateType.MESSAGE & filters.Chat(chat_id=staff_chat)
            application.add_handler(MessageHandler(staff, self.on_staff_message))
        application.add_handler(CommandHandler("start", self.on_start, filters=message))
        application.add_handler(MessageHandler(message & filters.COMMAND, self.on_command))
        application.add_handler(MessageHandler(message & filters.TEXT, self.on_text))
        application.add_handler(
            MessageHandler(filters.UpdateType.EDITED_MESSAGE & PRIVATE & filters.TEXT, self.on_edit)
        )
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(MessageHandler(message, self.on_non_text))
        application.add_error_handler(self.on_error)
        return application

    async def post_init(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Publish the command menu in every language and schedule the daily retention."""
        survey = self.runtime.survey
        self.retention = asyncio.create_task(
            retention_daily(self.runtime.database, survey.privacy, survey.handover),
            name="retention",
        )
        if self.runtime.engine.handover.available:
            self.escalation = asyncio.create_task(
                self.escalate_each_shift(application.bot), name="escalation"
            )
        self.warn_about_setup()
        try:
            for language in survey.languages:
                commands = [BotCommand(n, d) for n, d in command_menu(survey, language)]
                await application.bot.set_my_commands(commands, language_code=language)
            default = [BotCommand(n, d) for n, d in command_menu(survey, survey.default_language)]
            await application.bot.set_my_commands(default)
        except TelegramError as error:
            # The menu is a convenience; the bot works without it.
            log.warning("command_menu_not_set", error=type(error).__name__)
        # Everything loaded so far (libraries, config, compiled statements) lives as long
        # as the process. Freezing it keeps the collector's full passes from walking it:
        # those passes paused every conversation for ~60 ms, eight times in a 30 s
        # benchmark, and were most of the p99 latency (benchmarks.conversation).
        gc.collect()
        gc.freeze()
        log.info("bot_started", database=self.runtime.database.dialect)

    def warn_about_setup(self) -> None:
        """Say at start-up what is not ready to go live: unchecked lines, half a handover."""
        survey = self.runtime.survey
        lines = unchecked(survey.helplines)
        if lines:
            log.warning("helplines_unchecked", helplines=lines)
        staff_chat = self.runtime.settings.jeugdstem_staff_chat_id
        if survey.handover.workers and staff_chat is None:
            # Workers listed but nowhere to read: "talk to someone" falls back to helplines.
            log.warning("handover_without_staff_chat", workers=len(survey.handover.workers))

    async def post_shutdown(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """Stop the retention task; close NLU and database connections."""
        for task in (self.retention, self.escalation):
            if task is not None:
                task.cancel()
        await self.runtime.analyser.aclose()
        await asyncio.to_thread(self.runtime.database.dispose)

    # -- handlers: each turns one kind of update into one engine event ------------------

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start, with an optional deep-link code (t.me/<bot>?start=<code>)."""
        code = context.args[0] if context.args else None
        await self.handle(update, Start(code))

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any other /command."""
        assert update.message is not None and update.message.text is not None
        await self.handle(update, Command(command_name(update.message.text)))

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text answer."""
        assert update.message is not None and update.message.text is not None
        await self.handle(update, Text(update.message.text, update.message.message_id))

    async def on_edit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edited text message."""
        edited = update.edited_message
        assert edited is not None and edited.text is not None
        await self.handle(update, Edit(edited.text, edited.message_id))

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A press on one of our inline buttons."""
        query = update.callback_query
        assert query is not None
        staff_chat = self.runtime.settings.jeugdstem_staff_chat_id
        if query.message is not None and query.message.chat.id == staff_chat:
            press = StaffPress(query.from_user.id, query.data or "", query.message.message_id)
            await self.handle_staff(update, press)
            return
        await self.handle(update, Press(query.data or ""))

    async def on_non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Voice, photo, sticker, location, document...: we ask for text."""
        message = update.message
        assert message is not None
        kind = media_kind(message, YOUNG_MEDIA) or "other"
        await self.handle(update, NonText(kind, message.message_id))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure by type only (exception texts can carry message content),
        and tell the person to try again rather than leave them waiting."""
        update_id = update.update_id if isinstance(update, Update) else None
        error = context.error
        log.error(
            "update_failed",
            update_id=update_id,
            error=type(error).__name__,
            where=where_raised(error),
        )
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is not None:
            survey = self.runtime.survey
            # The participant's language is in the database that may just have failed.
            apology = Reply(survey.text("something_went_wrong", survey.default_language))
            with contextlib.suppress(TelegramError):
                await self.send(context.bot, chat.id, apology)

    # -- the shared path ------------------------------------------------------------------

    async def handle(self, update: Update, event: Event) -> None:
        """Run one event through the engine and deliver what it answers."""
        started = time.perf_counter()
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None:
            return
        incoming = Incoming(
            pseudonym=self.runtime.pseudonymizer.telegram(user.id),
            event=event,
            chat_id=chat.id,
            update_id=update.update_id,
        )
        delay, warn = self.flood.admit(incoming.pseudonym)
        if warn:
            language = self.runtime.survey.default_language
            slow_down = Reply(self.runtime.survey.text("slow_down", language))
            await self.reaches(self.send(update.get_bot(), chat.id, slow_down))
        if delay:
            # Only this participant waits: their updates are handled one after another.
            await asyncio.sleep(delay)
        tries = 0

        async def engine_turn() -> Response:
            nonlocal tries
            tries += 1
            return await self.engine.handle(incoming)

        response = await self.through_outage("engine", engine_turn, update_id=update.update_id)
        if response.duplicate and tries > 1:
            # The connection broke after COMMIT had gone through: the step is stored
            # (exactly once) but its replies are gone; the person sees them on /start.
            log.warning("replies_lost_in_outage", update_id=update.update_id)
        await self.deliver(update, chat.id, response, incoming.pseudonym)
        if response.alert_staff:
            await self.alert_staff(update.get_bot(), incoming, response)
        if response.handoff is not None:
            response.handoff.young_chat = chat.id
            await self.carry(update.get_bot(), response.handoff, response.case_id)
        log.info(
            "update_handled",
            update_id=update.update_id,
            participant=short_pseudonym(incoming.pseudonym),
            kind=type(event).__name__,
            step=response.step,
            duplicate=response.duplicate,
            distress=response.distress_level.value if response.distress_level else None,
            case=response.case_id,
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
        )

    # -- the staff chat: workers take cases over (bot/engine/staff.py) ---------------------

    async def on_staff_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A message in the staff chat: a worker's answer if it replies to one of ours."""
        message = update.message
        if message is None or message.from_user is None:
            return
        # Only a reply to one of the bot's own messages can be meant for a young person.
        replied = message.reply_to_message
        reply_to = None
        if replied is not None and replied.from_user is not None:
            reply_to = replied.message_id if replied.from_user.id == context.bot.id else None
        media = media_kind(message, WORKER_MEDIA)
        event = StaffMessage(
            worker_id=message.from_user.id,
            message_id=message.message_id,
            reply_to=reply_to,
            text=message.text or message.caption,
            media=media,
        )
        await self.handle_staff(update, event)

    async def handle_staff(self, update: Update, event: StaffPress | StaffMessage) -> None:
        """Run a staff-chat event through the desk and carry out what it answers."""
        response: StaffResponse = await self.through_outage(
            "staff", partial(self.runtime.desk.handle, event), update_id=update.update_id
        )
        bot = update.get_bot()
        query = update.callback_query
        if query is not None:
            await self.answer_press(bot, query.id, response.notice)
        await self.carry(bot, response.handoff, response.case_id)
        log.info(
            "staff_update_handled",
            update_id=update.update_id,
            kind=type(event).__name__,
            case=response.case_id,
            outcome=response.outcome,
        )

    async def escalate_each_shift(self, bot: Bot) -> None:
        """Now and then: put unclaimed alarm cases before a new shift, with a new card, until
        taken; and relay what a crash or a staff-chat outage kept from the staff chat."""
        desk = self.runtime.desk
        while True:
            await asyncio.sleep(ESCALATION_CHECK_SECONDS)
            try:
                response = await desk.escalate()
                if response.handoff.to_staff:
                    await self.carry(bot, response.handoff, None)
                    log.info("cases_escalated", cases=len(response.handoff.to_staff))
                written_before = self.runtime.engine.clock() - timedelta(
                    seconds=RELAY_GRACE_SECONDS
                )
                missed = await desk.relay_missed(written_before)
                for handoff in missed.late:
                    await self.carry(bot, handoff, None)
                if missed.late:
                    log.info("case_messages_relayed_late", messages=len(missed.late))
            except Exception as error:
                # The next check tries again; only the type is logged (texts could leak).
                log.warning("escalation_failed", error=type(error).__name__)

    async def carry(self, bot: Bot, handoff: Handoff, case_id: int | None) -> None:
        """Send a handover's messages across: to the staff chat, then to the young person.

        A staff chat the bot cannot write to is logged and skipped: the young person
        has had their replies (and helplines) already.
        """
        staff_chat = self.runtime.settings.jeugdstem_staff_chat_id
        if staff_chat is not None:
            try:
                for post in handoff.to_staff:
                    await self.post(bot, staff_chat, post, from_chat=handoff.young_chat)
                for message_id, card in handoff.staff_edits:
                    await self.replace(bot, staff_chat, message_id, card)
            except TelegramError as error:
                log.warning("staff_chat_failed", case=case_id, error=type(error).__name__)
        if handoff.young_chat is None or not handoff.to_young:
            return
        try:
            for post in handoff.to_young:
                await self.post(bot, handoff.young_chat, post, from_chat=staff_chat)
        except Forbidden:
            log.info("case_young_unreachable", case=case_id)

    async def post(self, bot: Bot, chat_id: int, post: Post, *, from_chat: int | None) -> None:
        """Send one post (a text with buttons, or a copy) and note where it landed."""
        reply_to: dict[str, Any] = {}
        if post.reply_to is not None:
            # A reply to a deleted message still goes out, just without the quote.
            reply_to["reply_parameters"] = {
                "message_id": post.reply_to,
                "allow_sending_without_reply": True,
            }
        if post.copy_of is not None:
            if from_chat is None:
                return
            copy = {"chat_id": chat_id, "from_chat_id": from_chat, "message_id": post.copy_of}
            result = await self.call_api(bot, "copy_message", {**copy, **reply_to})
        else:
            # A long message goes in pieces; the first is the one noted (and replied to).
            pieces = split_text(post.text or "-")
            markup = keyboard_markup(post.buttons)
            result = None
            for index, piece in enumerate(pieces):
                message: dict[str, Any] = {"chat_id": chat_id, "text": piece, **reply_to}
                if markup is not None and index == len(pieces) - 1:
                    message["reply_markup"] = markup
                sent = await self.call_api(bot, "send_message", message)
                result = result or sent
        landed = result.get("message_id") if isinstance(result, dict) else None
        if landed is None:
            return
        database = self.runtime.database
        if post.note_card is not None:
            await database.run(
                partial(cases.note_card, case_id=post.note_card, card_message_id=landed)
            )
        if post.note_message is not None:
            await database.run(
                partial(
                    cases.note_staff_copy, message_id=post.note_message, staff_message_id=landed
                )
            )

    async def alert_staff(self, bot: Bot, incoming: Incoming, response: Response) -> None:
        """Tell the staff chat (if configured): pseudonym and redacted text, never the id."""
        staff_chat = self.runtime.settings.jeugdstem_staff_chat_id
        if staff_chat is None:
            return
        kinds = ", ".join(response.distress) or "niet gespecifieerd"
        if isinstance(incoming.event, Text | Edit):
            what = f"Bericht (geredigeerd): «{redact(incoming.event.text)[:3000]}»"
        else:
            what = "Na de vraag «Gaat het met je?» koos de jongere «Ik wil met iemand praten»."
        alert = (
            f"⚠️ Jeugdstem: signaal ({kinds}).\n"
            f"Deelnemer {short_pseudonym(incoming.pseudonym)}, stap {response.step or '-'}.\n"
            f"{what}\n"
            "De jongere kreeg de hulplijnen; de vragen staan op pauze."
        )
        try:
            await self.send(bot, staff_chat, Reply(alert))
        except TelegramError as error:
            log.warning("staff_alert_failed", error=type(error).__name__)

    async def through_outage(
        self, what: str, work: Callable[[], Awaitable[T]], *, update_id: int | None
    ) -> T:
        """``work()``, held and retried while the database is away (up to DATABASE_PATIENCE).

        With long polling Telegram never redelivers an update whose handling failed, so
        it is held rather than dropped: the person waits a little longer and nothing is
        lost; their later updates queue behind it, in order. Past the patience the error
        goes to on_error, which tells them to try again.
        """
        retrying = AsyncRetrying(
            stop=stop_after_delay(DATABASE_PATIENCE),
            wait=wait_exponential(multiplier=0.25, max=4) + wait_random(0, 0.25),
            retry=retry_if_exception(database_unavailable),
            before_sleep=_log_retry("database_unavailable", during=what, update_id=update_id),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await work()
        raise AssertionError("unreachable")

    async def deliver(
        self, update: Update, chat_id: int, response: Response, pseudonym: str | None = None
    ) -> None:
        """Answer the button press and update its message while the replies go out in order.

        The three run side by side: each is a round trip to Telegram, and the
        person waits for the next question, not for the pop-up to close. Calls go
        through ``do_api_request`` with plain JSON: building and parsing PTB
        objects for every keyboard was the bot's largest CPU cost under load, and
        we never read the Message that Telegram returns.
        """
        bot = update.get_bot()
        calls = [self.send_all(bot, chat_id, response.replies)]
        query = update.callback_query
        if query is not None:
            calls.append(self.answer_press(bot, query.id, response.notice))
            if response.origin is not None and query.message is not None:
                calls.append(self.replace(bot, chat_id, query.message.message_id, response.origin))
        reached = await asyncio.gather(*(self.reaches(call) for call in calls))
        if not all(reached) and pseudonym is not None:
            await self.mark_unreachable(pseudonym, update.update_id)

    @staticmethod
    async def reaches(call: Awaitable[None]) -> bool:
        """Make the call; False when Telegram says the person blocked the bot (403)."""
        try:
            await call
        except Forbidden:
            return False
        return True

    async def mark_unreachable(self, pseudonym: str, update_id: int) -> None:
        """Note that the person blocked the bot: expected, not an error.

        Nothing more goes to them (the rest of this step's replies are dropped, and
        the bot only ever answers) until they write again; the engine then clears it.
        """
        await self.through_outage(
            "unreachable",
            partial(self.runtime.database.run, partial(repo.mark_unreachable, pseudonym=pseudonym)),
            update_id=update_id,
        )
        log.info(
            "participant_unreachable", update_id=update_id, participant=short_pseudonym(pseudonym)
        )

    async def answer_press(self, bot: Bot, query_id: str, notice: str | None) -> None:
        """Stop the button's spinner, with a pop-up text if the engine has one."""
        answer: dict[str, Any] = {"callback_query_id": query_id}
        if notice:
            answer["text"] = notice
        # Too old to answer (a redelivered press): nobody is waiting for it any more.
        with contextlib.suppress(BadRequest):
            await self.call_api(bot, "answer_callback_query", answer)

    async def send_all(self, bot: Bot, chat_id: int, replies: list[Reply]) -> None:
        """Send the replies one after the other, so they arrive in order.

        A 403 (blocked) stops the rest: see ``deliver``.
        """
        for reply in replies:
            await self.send(bot, chat_id, reply)

    async def replace(self, bot: Bot, chat_id: int, message_id: int, reply: Reply) -> None:
        """Edit a message we sent (for example to drop its buttons once answered)."""
        edit: dict[str, Any] = {
            "chat_id": chat_id,
            "message_id": message_id,
            "text": split_text(reply.text)[0],
        }
        markup = keyboard_markup(reply.buttons)
        if markup is not None:
            edit["reply_markup"] = markup
        # "message is not modified" or too old to edit: the new messages still follow.
        with contextlib.suppress(BadRequest):
            await self.call_api(bot, "edit_message_text", edit)

    async def send(self, bot: Bot, chat_id: int, reply: Reply) -> None:
        """Send one reply, split at Telegram's 4096-character limit; buttons go on the last part."""
        for message in send_message_calls(chat_id, reply):
            await self.call_api(bot, "send_message", message)

    async def call_api(self, bot: Bot, endpoint: str, parameters: dict[str, Any]) -> Any:
        """One Bot API call, retried with exponential backoff while Telegram fails in passing.

        Only the failed call is repeated, never the messages sent before it. A timeout
        is retried too, although Telegram may have carried out the call and only its
        answer got lost: the person then sees that message twice, which beats a next
        question that never comes (Telegram has no idempotency key to avoid it).
        A refused connection or a 5xx means Telegram did not carry it out: sent once.
        """
        retrying = AsyncRetrying(
            stop=stop_after_attempt(TELEGRAM_ATTEMPTS),
            wait=wait_exponential(multiplier=TELEGRAM_FIRST_WAIT) + wait_random(0, 0.2),
            retry=retry_if_exception(telegram_failure_passes),
            before_sleep=_log_retry("telegram_retry", method=endpoint),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await bot.do_api_request(endpoint, parameters)
        raise AssertionError("unreachable")


def run_telegram(runtime: Runtime, *, webhook: bool) -> None:
    """Run the bot until SIGINT/SIGTERM, by long polling or as a webhook server."""
    settings = runtime.settings
    handled = HandledUpdates()
    application = TelegramAdapter(runtime).build_application(handled, webhook=webhook)
    if not webhook:
        run_polling(
            application, Poller(application.bot, application.update_queue, handled, ALLOWED_UPDATES)
        )
        return
    assert settings.jeugdstem_webhook_secret is not None
    # PTB's webhook server (tornado) reads a whole body, up to 100 MB, before it checks
    # the secret token; this caps what any request can make it hold (Configurable.configure
    # passes the option to every HTTPServer made in this process: only that one).
    HTTPServer.configure(None, max_body_size=WEBHOOK_MAX_BODY_BYTES)
    application.run_webhook(
        listen=settings.jeugdstem_webhook_listen,
        port=settings.jeugdstem_webhook_port,
        url_path="telegram",
        webhook_url=settings.jeugdstem_webhook_url,
        secret_token=settings.jeugdstem_webhook_secret.get_secret_value(),
        allowed_updates=ALLOWED_UPDATES,
        bootstrap_retries=-1,
    )
