"""A fake Telegram Bot API server on 127.0.0.1, for driving the real bot process.

It speaks the Bot API's HTTP protocol closely enough for python-telegram-bot:
``getUpdates`` honours offsets and long polling, ``sendMessage`` and friends
return full Message objects and enforce Telegram's limits (4096 characters per
text, 64 bytes of callback data). The test side plays young people: it sends
texts, commands, photos and edits, presses buttons, and reads what the bot
sent, per chat and in order.

Faults can be planned per method and chat (``plan_faults``: 429 with
retry_after, 5xx, answers that never come in time), a chat can block the bot
(``block``: 403), Telegram's overall flood control can be switched on
(``limit_rate``: more than 30 messages in a second get 429 with retry_after),
and every call is kept with its outcome (``attempts``).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web

BOT_USER = {
    "id": 4242,
    "is_bot": True,
    "first_name": "Jeugdstem",
    "username": "jeugdstem_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

# Parameters python-telegram-bot sends JSON-encoded; everything else is a plain string.
_JSON_PARAMETERS = {
    "chat_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "allowed_updates",
    "reply_markup",
    "commands",
    "scope",
    "show_alert",
    "cache_time",
    "drop_pending_updates",
    "max_connections",
    "disable_notification",
    "protect_content",
    "link_preview_options",
    "reply_parameters",
    "entities",
    "from_chat_id",
}


# Methods that put a new message in a chat: what Telegram's flood control counts.
_SENDING_METHODS = frozenset({"sendMessage", "copyMessage"})
# Methods that act on one chat: a person who blocked the bot makes them fail with 403.
_CHAT_METHODS = {"sendMessage", "editMessageText", "editMessageReplyMarkup", "copyMessage"}
BLOCKED = "Forbidden: bot was blocked by the user"


@dataclass(frozen=True)
class Fault:
    """One planned failure of one Bot API call (see FakeBotApi.plan_faults)."""

    status: int = 500
    description: str = "Internal Server Error"
    retry_after: int | None = None
    # Hold the request this long before answering; longer than the bot's read timeout
    # makes it a timeout on the bot's side.
    delay: float = 0.0
    # Carry the call out anyway (before the delay): Telegram did it, only its answer was lost.
    then_succeed: bool = False

    @classmethod
    def flood(cls, retry_after: int) -> Fault:
        """429 Too Many Requests with retry_after, as Telegram's flood control answers."""
        return cls(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        """A 5xx: Telegram (or a proxy in front of it) failed."""
        return cls(
            status,
            {502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "Internal Server Error"),
        )

    @classmethod
    def stall(cls, seconds: float, *, delivered: bool = False) -> Fault:
        """No answer for ``seconds``; with ``delivered`` the message still reaches the chat."""
        return cls(504, "Gateway Timeout", delay=seconds, then_succeed=delivered)


@dataclass(frozen=True)
class Attempt:
    """One call the bot made, with when it arrived and the status it got."""

    method: str
    chat_id: int | None
    at: float  # when the call arrived (time.monotonic())
    status: int


class ApiError(Exception):
    """A Bot API error reply."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


@dataclass
class SentMessage:
    """A message the bot sent, as the fake server keeps it (edits apply in place)."""

    chat_id: int
    message_id: int
    text: str
    buttons: list[list[dict[str, Any]]] = field(default_factory=list)
    sent_at: float = field(default_factory=time.monotonic)
    edits: int = 0
    # The keyboard as first sent: a phone that missed the edit still shows it.
    first_buttons: list[list[dict[str, Any]]] = field(default_factory=list)
    # The message of the same chat it replies to (reply_parameters).
    reply_to: int | None = None
    # A copy (copyMessage) of a photo, voice, ...: its kind; text is then "".
    media: str | None = None

    def __post_init__(self) -> None:
        self.first_buttons = [list(row) for row in self.buttons]

    def as_message(self) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "date": int(time.time()),
            "chat": _chat(self.chat_id),
            "from": BOT_USER,
        }
        if self.text:
            message["text"] = self.text
        if self.media is not None:
            message.update(_MEDIA[self.media])
        if self.buttons:
            message["reply_markup"] = {"inline_keyboard": self.buttons}
        return message

    def button(self, label: str, *, as_first_sent: bool = False) -> dict[str, Any]:
        """The inline button whose label contains ``label``."""
        for row in self.first_buttons if as_first_sent else self.buttons:
            for button in row:
                if label in button["text"]:
                    return button
        raise LookupError(f"no button {label!r} in {self.labels()}")

    def labels(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]


class FakeBotApi:
    """The server plus the young people's side of the chat."""

    def __init__(self, token: str = "123456:TEST-token") -> None:
        self.token = token
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._update_ids = itertools.count(1000)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._callback_ids = itertools.count(1)
        self._pending: list[dict[str, Any]] = []
        # Redelivered updates: handed out once more whatever the offset says.
        self._forced: list[dict[str, Any]] = []
        self._new_update = asyncio.Event()
        self._closing = False
        self._changed = asyncio.Condition()
        # One condition per chat, so a reply wakes only whoever waits on that chat.
        self._chat_changed: dict[int, asyncio.Condition] = defaultdict(asyncio.Condition)
        self._query_chats: dict[str, int] = {}
        self.sent: dict[int, list[SentMessage]] = defaultdict(list)
        self._read: dict[int, int] = defaultdict(int)
        self.callback_answers: dict[str, str | None] = {}
        self._open_callbacks: set[str] = set()
        self.commands: dict[str | None, list[dict[str, str]]] = {}
        self.calls: list[str] = []
        self.get_updates_calls = 0
        # Every update id getUpdates has handed to a bot, confirmed or not.
        self.handed_out: set[int] = set()
        self.webhook: dict[str, Any] | None = None
        # Latency as Telegram would see it: from handing a chat's update to the bot
        # (getUpdates or webhook) to the bot's first message or edit in that chat.
        self._awaiting_reply: dict[int, float] = {}
        self.reply_latencies: list[float] = []
        # Fault injection: planned failures per (method, chat or None for any chat),
        # chats that blocked the bot, and every call with its outcome.
        self._faults: dict[tuple[str, int | None], deque[Fault]] = defaultdict(deque)
        self.blocked: set[int] = set()
        self.attempts: list[Attempt] = []
        # Every message people wrote, by (chat, message id).
        self.written: dict[tuple[int, int], dict[str, Any]] = {}
        # Telegram's overall flood control (``limit_rate``): messages accepted in the last
        # second, the 429s it answered, and when each accepted message arrived.
        self._rate_limit: int | None = None
        self._recent_sends: deque[float] = deque()
        self.rate_limited = 0
        self.send_times: list[float] = []

    # -- server lifecycle -----------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        # Release long polls still waiting, or cleanup would wait for their timeout.
        self._closing = True
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        self.calls.append(method)
        params = await self._parameters(request)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
                status=404,
            )
        chat, arrived = self._chat_of_call(method, params), time.monotonic()
        try:
            result = await self._handle_with_faults(method, chat, handler, params)
        except ApiError as error:
            self.attempts.append(Attempt(method, chat, arrived, error.code))
            body: dict[str, Any] = {
                "ok": False,
                "error_code": error.code,
                "description": error.description,
            }
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            return web.json_response(body, status=error.code)
        self.attempts.append(Attempt(method, chat, arrived, 200))
        return web.json_response({"ok": True, "result": result})

    async def _handle_with_faults(
        self, method: str, chat: int | None, handler: Any, params: dict[str, Any]
    ) -> Any:
        """Run a method, unless a planned fault or a block makes it fail."""
        if chat is not None and chat in self.blocked and method in _CHAT_METHODS:
            raise ApiError(403, BLOCKED)
        if method in _SENDING_METHODS:
            self._admit_send()
        fault = self._next_fault(method, chat)
        if fault is None:
            return await handler(params)
        if fault.then_succeed:
            await handler(params)
        if fault.delay:
            await asyncio.sleep(fault.delay)
        raise ApiError(fault.status, fault.description, fault.retry_after)

    def _admit_send(self) -> None:
        """Answer 429 with retry_after once more than the limit was sent in the last second."""
        now = time.monotonic()
        if self._rate_limit is not None:
            while self._recent_sends and self._recent_sends[0] <= now - 1.0:
                self._recent_sends.popleft()
            if len(self._recent_sends) >= self._rate_limit:
                self.rate_limited += 1
                raise ApiError(429, "Too Many Requests: retry after 1", 1)
            self._recent_sends.append(now)
        self.send_times.append(now)

    def _next_fault(self, method: str, chat: int | None) -> Fault | None:
        for key in ((method, chat), (method, None)):
            planned = self._faults.get(key)
            if planned:
                return planned.popleft()
        return None

    def _chat_of_call(self, method: str, params: dict[str, Any]) -> int | None:
        if "chat_id" in params:
            try:
                return int(params["chat_id"])
            except (TypeError, ValueError):
                return None
        if method == "answerCallbackQuery":
            return self._query_chats.get(str(params.get("callback_query_id")))
        return None

    @staticmethod
    async def _parameters(request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            data = await request.json()
            return dict(data) if isinstance(data, dict) else {}
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if not isinstance(value, str):
                continue
            params[key] = json.loads(value) if key in _JSON_PARAMETERS else value
        return params

    # -- Bot API methods ------------------------------------------------------------------

    async def _api_getMe(self, params: dict[str, Any]) -> Any:
        return BOT_USER

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = params
        async with self._changed:
            self._changed.notify_all()
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        return {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    async def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        self.commands[params.get("language_code")] = params["commands"]
        return True

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        self.get_updates_calls += 1
        async with self._changed:
            self._changed.notify_all()
        offset = int(params.get("offset") or 0)
        if offset:
            # Telegram forgets every update below the offset: they are confirmed.
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        while not (self._pending or self._forced or self._closing) and time.monotonic() < deadline:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        limit = int(params.get("limit") or 100)
        batch = (self._forced + self._pending)[:limit]
        self._forced = [u for u in self._forced if u not in batch]
        now = time.monotonic()
        for update in batch:
            # A bot that has not confirmed an update is handed it again with every poll;
            # the latency runs from the first time.
            first_time = update["update_id"] not in self.handed_out
            self.handed_out.add(update["update_id"])
            chat = _chat_of(update)
            if chat is not None and first_time:
                self._awaiting_reply.setdefault(chat, now)
        return batch

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        buttons = _buttons(params.get("reply_markup"))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        message = SentMessage(chat_id, next(self._message_ids[chat_id]), text, buttons)
        message.reply_to = _replied_to(params)
        self._record_reply(chat_id)
        self.sent[chat_id].append(message)
        await self._notify(chat_id)
        return message.as_message()

    async def _api_copyMessage(self, params: dict[str, Any]) -> Any:
        """A copy of a message (a photo, a voice) from one chat in another, as the bot makes it."""
        chat_id, source = int(params["chat_id"]), int(params["from_chat_id"])
        original = self.written.get((source, int(params["message_id"])))
        if original is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        media = next((kind for kind in _MEDIA if kind in original), None)
        text = "" if media is not None else str(original.get("text", ""))
        message = SentMessage(chat_id, next(self._message_ids[chat_id]), text, media=media)
        message.reply_to = _replied_to(params)
        self._record_reply(chat_id)
        self.sent[chat_id].append(message)
        await self._notify(chat_id)
        return {"message_id": message.message_id}

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        message = self._find(params)
        text = str(params.get("text", ""))
        buttons = _buttons(params.get("reply_markup"))
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        if text == message.text and buttons == message.buttons:
            raise ApiError(400, "Bad Request: message is not modified")
        message.text, message.buttons = text, buttons
        message.edits += 1
        self._record_reply(message.chat_id)
        await self._notify(message.chat_id)
        return message.as_message()

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        message = self._find(params)
        message.buttons = _buttons(params.get("reply_markup"))
        message.edits += 1
        return message.as_message()

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        query_id = str(params["callback_query_id"])
        if query_id not in self._open_callbacks:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        self._open_callbacks.discard(query_id)
        self.callback_answers[query_id] = params.get("text")
        await self._notify(self._query_chats.get(query_id))
        return True

    async def _notify(self, chat_id: int | None) -> None:
        """Wake whoever waits on this chat, and the general waiters."""
        if chat_id is not None:
            condition = self._chat_changed[chat_id]
            async with condition:
                condition.notify_all()
        async with self._changed:
            self._changed.notify_all()

    def _find(self, params: dict[str, Any]) -> SentMessage:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        for message in self.sent[chat_id]:
            if message.message_id == message_id:
                return message
        raise ApiError(400, "Bad Request: message to edit not found")

    def _record_reply(self, chat_id: int) -> None:
        started = self._awaiting_reply.pop(chat_id, None)
        if started is not None:
            self.reply_latencies.append(time.monotonic() - started)

    # -- the young person's side ------------------------------------------------------------

    @staticmethod
    def user(user_id: int) -> dict[str, Any]:
        # Deliberately recognisable: the tests check that none of this reaches a log or table.
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": "Lotte",
            "last_name": "Vandenberghe",
            "username": f"lotte_{user_id}",
            "language_code": "nl",
        }

    def _message(self, user_id: int, chat_id: int | None = None, **content: Any) -> dict[str, Any]:
        """A message a person writes: in their private chat with the bot, or in a group."""
        chat = user_id if chat_id is None else chat_id
        message = {
            "message_id": next(self._message_ids[chat]),
            "date": int(time.time()),
            "chat": _chat(chat),
            "from": self.user(user_id),
            **content,
        }
        # Kept so the bot can copy it on (copyMessage), as Telegram can.
        self.written[(chat, message["message_id"])] = message
        return message

    async def deliver(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates, or POST it to the webhook if one is set."""
        if "update_id" not in update:
            update = {"update_id": next(self._update_ids), **update}
        if self.webhook:
            await self._post_to_webhook(update)
            return update
        self._pending.append(update)
        self._new_update.set()
        return update

    async def redeliver(self, update: dict[str, Any]) -> None:
        """Deliver the very same update (same update_id) again, as Telegram sometimes does."""
        if self.webhook:
            await self._post_to_webhook(update)
            return
        self._forced.append(update)
        self._new_update.set()

    async def _post_to_webhook(self, update: dict[str, Any]) -> None:
        assert self.webhook is not None
        headers = {}
        if self.webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook["secret_token"]
        chat = _chat_of(update)
        if chat is not None:
            self._awaiting_reply.setdefault(chat, time.monotonic())
        async with (
            ClientSession() as session,
            session.post(self.webhook["url"], json=update, headers=headers) as response,
        ):
            if response.status != 200:
                raise AssertionError(f"webhook answered {response.status}")

    async def send_text(self, user_id: int, text: str) -> dict[str, Any]:
        """The young person types a message."""
        return await self.deliver({"message": self._message(user_id, text=text)})

    async def send_command(self, user_id: int, command: str) -> dict[str, Any]:
        """The young person sends /command (with optional arguments)."""
        name = command.split()[0]
        entities = [{"type": "bot_command", "offset": 0, "length": len(name)}]
        return await self.deliver(
            {"message": self._message(user_id, text=command, entities=entities)}
        )

    async def send_photo(self, user_id: int) -> dict[str, Any]:
        return await self.deliver({"message": self._message(user_id, **_MEDIA["photo"])})

    async def send_voice(self, user_id: int) -> dict[str, Any]:
        return await self.deliver({"message": self._message(user_id, **_MEDIA["voice"])})

    # -- a staff group: youth workers answer by replying to the bot's messages ---------------

    async def group_text(
        self, group_id: int, user_id: int, text: str, reply_to: SentMessage | None = None
    ) -> dict[str, Any]:
        """Someone writes in a group, possibly as a reply to one of the bot's messages."""
        content: dict[str, Any] = {"text": text}
        if reply_to is not None:
            content["reply_to_message"] = reply_to.as_message()
        return await self.deliver({"message": self._message(user_id, group_id, **content)})

    async def group_photo(
        self, group_id: int, user_id: int, reply_to: SentMessage | None = None
    ) -> dict[str, Any]:
        """Someone posts a photo in a group, possibly as a reply to one of the bot's messages."""
        content: dict[str, Any] = dict(_MEDIA["photo"])
        if reply_to is not None:
            content["reply_to_message"] = reply_to.as_message()
        return await self.deliver({"message": self._message(user_id, group_id, **content)})

    async def send_sticker(self, user_id: int) -> dict[str, Any]:
        sticker = {
            "file_id": "CAAD",
            "file_unique_id": "AQAF",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return await self.deliver({"message": self._message(user_id, sticker=sticker)})

    async def edit_text(self, user_id: int, original: dict[str, Any], text: str) -> dict[str, Any]:
        """The young person edits a message they sent earlier."""
        message = dict(original["message"])
        message.update(text=text, edit_date=int(time.time()))
        return await self.deliver({"edited_message": message})

    async def press(
        self, user_id: int, message: SentMessage, label: str, *, as_first_sent: bool = False
    ) -> dict[str, Any]:
        """The young person taps the button whose label contains ``label``.

        ``as_first_sent`` taps a button of the original keyboard even if the bot has
        since edited it away, like a phone that missed the edit (a stale button).
        """
        button = message.button(label, as_first_sent=as_first_sent)
        return await self.press_data(user_id, message, button["callback_data"])

    async def press_data(self, user_id: int, message: SentMessage, data: str) -> dict[str, Any]:
        """A callback query with arbitrary data (a forged button, for instance)."""
        return await self.deliver({"callback_query": self.callback_query(user_id, message, data)})

    def callback_query(self, user_id: int, message: SentMessage, data: str) -> dict[str, Any]:
        """A press on a button of ``message``, as the Bot API's CallbackQuery (not delivered)."""
        query_id = f"cq{next(self._callback_ids)}"
        self._open_callbacks.add(query_id)
        self._query_chats[query_id] = message.chat_id
        return {
            "id": query_id,
            "from": self.user(user_id),
            "message": message.as_message(),
            "chat_instance": f"ci{user_id}",
            "data": data,
        }

    # -- reading what the bot did -----------------------------------------------------------

    async def wait_until(
        self, predicate: Any, timeout: float = 15.0, chat_id: int | None = None
    ) -> None:
        """Wait until ``predicate()`` is true, re-checking whenever the bot calls the API
        (only for calls about ``chat_id``, when given)."""
        condition = self._changed if chat_id is None else self._chat_changed[chat_id]

        async def waiter() -> None:
            async with condition:
                await condition.wait_for(predicate)

        await asyncio.wait_for(waiter(), timeout)

    async def next_message(self, chat_id: int, timeout: float = 15.0) -> SentMessage:
        """The next message the bot sent to this chat that the test has not read yet."""
        await self.wait_until(
            lambda: len(self.sent[chat_id]) > self._read[chat_id], timeout, chat_id
        )
        message = self.sent[chat_id][self._read[chat_id]]
        self._read[chat_id] += 1
        return message

    async def next_messages(
        self, chat_id: int, count: int, timeout: float = 15.0
    ) -> list[SentMessage]:
        return [await self.next_message(chat_id, timeout) for _ in range(count)]

    def unread(self, chat_id: int) -> list[SentMessage]:
        return self.sent[chat_id][self._read[chat_id] :]

    async def answer_to(self, update: dict[str, Any], timeout: float = 15.0) -> str | None:
        """The pop-up text the bot answered a button press with (None: answered silently)."""
        query_id = update["callback_query"]["id"]
        await self.wait_until(lambda: query_id in self.callback_answers, timeout)
        return self.callback_answers[query_id]

    async def wait_for_polling(self, calls: int = 1, timeout: float = 60.0) -> None:
        """Wait until the bot has called getUpdates (it is then fully started)."""
        target = self.get_updates_calls + calls
        await self.wait_until(lambda: self.get_updates_calls >= target, timeout)

    async def quiet(self, chat_id: int, seconds: float = 0.5) -> list[SentMessage]:
        """Wait a moment and return anything sent that the test has not read (should be none)."""
        await asyncio.sleep(seconds)
        return self.unread(chat_id)

    # -- fault injection ----------------------------------------------------------------------

    def plan_faults(self, method: str, *faults: Fault, chat_id: int | None = None) -> None:
        """The next calls of ``method`` (for ``chat_id``, or any chat) fail as planned, in order."""
        self._faults[(method, chat_id)].extend(faults)

    def planned_faults(self, method: str, chat_id: int | None = None) -> int:
        """How many planned failures have not happened yet."""
        return len(self._faults.get((method, chat_id), ()))

    def limit_rate(self, per_second: int = 30) -> None:
        """Enforce Telegram's overall limit: more messages in one second get 429, retry_after 1."""
        self._rate_limit = per_second

    def block(self, chat_id: int) -> None:
        """The person blocks the bot: sending or editing in their chat gets 403."""
        self.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self.blocked.discard(chat_id)

    def attempts_of(self, method: str, chat_id: int) -> list[Attempt]:
        """The bot's calls of ``method`` for one chat, failed ones included, in arrival order."""
        calls = [a for a in self.attempts if a.method == method and a.chat_id == chat_id]
        return sorted(calls, key=lambda attempt: attempt.at)


def _buttons(markup: Any) -> list[list[dict[str, Any]]]:
    if not markup:
        return []
    keyboard = markup.get("inline_keyboard", [])
    for row in keyboard:
        for button in row:
            data = button.get("callback_data")
            if data is not None and len(str(data).encode("utf-8")) > 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return [list(row) for row in keyboard]


# What a photo or a voice message carries, in an update or a copy.
_MEDIA: dict[str, dict[str, Any]] = {
    "photo": {"photo": [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 90}]},
    "voice": {"voice": {"file_id": "AwAD", "file_unique_id": "AQAE", "duration": 3}},
}


def _chat(chat_id: int) -> dict[str, Any]:
    """A chat as the Bot API describes it: private for people, a supergroup below zero."""
    if chat_id < 0:
        return {"id": chat_id, "type": "supergroup", "title": "Jeugdwerkers"}
    return {"id": chat_id, "type": "private", "first_name": "Lotte"}


def _replied_to(params: dict[str, Any]) -> int | None:
    reply = params.get("reply_parameters")
    if isinstance(reply, str):
        reply = json.loads(reply)
    return int(reply["message_id"]) if isinstance(reply, dict) and "message_id" in reply else None


def _chat_of(update: dict[str, Any]) -> int | None:
    for key in ("message", "edited_message"):
        if key in update:
            return int(update[key]["chat"]["id"])
    if "callback_query" in update:
        return int(update["callback_query"]["message"]["chat"]["id"])
    return None
