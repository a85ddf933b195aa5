"""Webhook hygiene and secrets, against the real `jeugdstem run --webhook` process.

- Requests without the secret token, with a wrong one, or with it anywhere but
  the header get 403; other methods are refused.
- Bodies over ``WEBHOOK_MAX_BODY_BYTES`` (1 MiB) are refused before they are
  read, with or without the secret token, with Content-Length or chunked; a
  body just under the limit is still handled, and the bot keeps answering.
- Replies are plain text (no parse mode), so markup a young person types
  comes back as typed and can never be rendered.
- The bot token, JEUGDSTEM_SECRET, JEUGDSTEM_WEBHOOK_SECRET and a database
  password appear in no log line, and neither does anything typed.

SQLite only: what is tested here happens before or outside the database.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.telegram.adapter import WEBHOOK_MAX_BODY_BYTES
from survey.config import Survey
from tests.support.bot_process import (
    BotProcess,
    bot_environment,
    wait_for_port,
    webhook_settings,
    webhook_url,
)
from tests.support.fake_bot_api import FakeBotApi
from tests.support.paths import REPO
from tests.support.postgres import free_port
from tests.support.youngster import Youngster

pytestmark = pytest.mark.e2e

# Distinctive values, so a leak into any log line is found by a plain search.
TOKEN = "918273645:AAtoken-Zq8vLx3Nw"
HMAC_SECRET = "hmac-secret-Kx7Pq2Vb"
WEBHOOK_SECRET = "webhook-secret-Wm4Rt9Jd"
DATABASE_PASSWORD = "db-password-Hy6Lm3Qs"
SECRETS = (TOKEN, TOKEN.split(":")[1], HMAC_SECRET, WEBHOOK_SECRET)

# Typed by the young person; each must come back verbatim and never reach a log.
MARKUP = (
    "<b>vet</b> <a href='tg://user?id=1'>klik</a> xq-markup-1",
    "*vet* _schuin_ [klik](http://evil.example) `code` xq-markup-2",
    "\\_*[]()~`>#+-=|{}.! ||spoiler|| xq-markup-3",
)


class RecordingApi(FakeBotApi):
    """The fake Bot API server, also keeping the parameters of every message sent or edited."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.message_parameters: list[dict[str, Any]] = []

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        self.message_parameters.append(params)
        return await super()._api_sendMessage(params)

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        self.message_parameters.append(params)
        return await super()._api_editMessageText(params)


@pytest.fixture
async def recording_api() -> AsyncIterator[RecordingApi]:
    fake = RecordingApi(TOKEN)
    await fake.start()
    yield fake
    await fake.stop()


async def post(url: str, body: bytes | AsyncIterator[bytes], headers: dict[str, str]) -> int | str:
    """The status of a POST, or the name of the error if the server cut the connection."""
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=body, headers=headers) as response,
        ):
            return response.status
    except aiohttp.ClientError as error:
        return type(error).__name__


async def chunks(size: int) -> AsyncIterator[bytes]:
    """A body sent chunked (no Content-Length), 64 KiB at a time."""
    piece = b" " * 65536
    for _ in range(size // len(piece)):
        yield piece


def update_json(update_id: int, user_id: int, text: str, padding: int = 0) -> bytes:
    """A valid message update, optionally padded with whitespace to a given size."""
    message = {
        "message_id": 1,
        "date": 1,
        "chat": {"id": user_id, "type": "private"},
        "from": {"id": user_id, "is_bot": False, "first_name": "Lotte"},
        "text": text,
    }
    body = json.dumps({"update_id": update_id, "message": message}).encode()
    return body + b" " * max(0, padding - len(body))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_webhook_refuses_strangers_and_big_bodies_and_keeps_secrets_out_of_logs(
    recording_api: RecordingApi, database_url: str, tmp_path: Path, survey: Survey
) -> None:
    api = recording_api
    port = free_port()
    url = webhook_url(port)
    env = bot_environment(
        api,
        database_url,
        HMAC_SECRET,
        **webhook_settings(port, WEBHOOK_SECRET),
        JEUGDSTEM_LOG_LEVEL="DEBUG",  # the most a deployment could log
    )
    process = BotProcess(env, tmp_path / "webhook.log", "run", "--webhook")
    await process.start()
    try:
        await api.wait_until(lambda: api.webhook is not None, timeout=60)
        assert api.webhook is not None and api.webhook["secret_token"] == WEBHOOK_SECRET
        await wait_for_port(port)
        person = Youngster(api, 5566001)
        await check_strangers_get_403(url, person)
        await check_oversized_bodies_are_refused(url, api, person)
        assert process.alive, process.logs()
        await check_replies_are_plain_text(api, person, survey)
    finally:
        assert await process.stop() == 0, process.logs()

    logs = process.logs()
    assert '"update_handled"' in logs
    for secret in SECRETS:
        assert secret not in logs, f"a secret leaked into the logs: {secret[:8]}…"
    for typed in MARKUP:
        assert typed.split()[-1] not in logs


async def check_strangers_get_403(url: str, person: Youngster) -> None:
    """Without the exact secret in its header, nothing gets in; nothing is answered."""
    body = update_json(9_000_001, person.id, "/start")
    json_type = {"Content-Type": "application/json"}
    refused = [
        json_type,
        {**json_type, "X-Telegram-Bot-Api-Secret-Token": "wrong"},
        {**json_type, "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET.upper()},
        {**json_type, "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET[:-1]},
        {**json_type, "Authorization": f"Bearer {WEBHOOK_SECRET}"},
    ]
    for headers in refused:
        assert await post(url, body, headers) == 403, headers
    assert await post(f"{url}?secret_token={WEBHOOK_SECRET}", body, json_type) == 403
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 405
    assert await person.api.quiet(person.id) == []


async def check_oversized_bodies_are_refused(
    url: str, api: RecordingApi, person: Youngster
) -> None:
    """2 MiB is refused unread, secret or not; just under 1 MiB is a normal update."""
    big = 2 * 1024 * 1024
    genuine = {
        "Content-Type": "application/json",
        "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
    }
    for headers in (genuine, {"Content-Type": "application/json"}):
        body = update_json(9_000_002, person.id, "/start", padding=big)
        # Refused with a status, or cut off while the client is still sending.
        for outcome in (await post(url, body, headers), await post(url, chunks(big), headers)):
            assert outcome in (400, 413) or isinstance(outcome, str), outcome
    assert await api.quiet(person.id) == []

    # The largest a real update could be is far below the limit; this one is just under it.
    body = update_json(9_000_003, person.id, "x" * 4096, padding=WEBHOOK_MAX_BODY_BYTES - 1024)
    assert await post(url, body, genuine) == 200
    welcome = await person.read()  # text before consent: the welcome
    assert "Ik doe mee" in " ".join(welcome.labels())


async def check_replies_are_plain_text(
    api: RecordingApi, person: Youngster, survey: Survey
) -> None:
    """Markup typed by a young person comes back verbatim, and no reply has a parse mode."""
    await person.consent_and_skip_the_profile()
    for typed in MARKUP:
        await person.answer_in_own_words(survey, typed)
    intro = await person.command("/mydata")
    assert intro.text == survey.text("mydata_intro", "nl")
    mydata = "".join(m.text for m in await api.quiet(person.id, 1.0))
    for typed in MARKUP:
        assert json.dumps(typed, ensure_ascii=False)[1:-1] in mydata, typed
    assert len(api.message_parameters) > 10
    for parameters in api.message_parameters:
        assert not {"parse_mode", "entities"} & set(parameters), parameters


def test_a_database_password_never_reaches_the_output(tmp_path: Path) -> None:
    """A database that cannot be reached is named, with its password hidden."""
    port = free_port()  # nothing listens there
    url = f"postgresql://jeugdstem:{DATABASE_PASSWORD}@127.0.0.1:{port}/jeugdstem"
    api = FakeBotApi(TOKEN)
    env = bot_environment(api, url, HMAC_SECRET)
    completed = subprocess.run(
        [sys.executable, "-m", "cli", "run"],
        cwd=str(REPO),
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    output = (completed.stdout + completed.stderr).decode("utf-8", "replace")
    assert completed.returncode == 1, output
    assert f"127.0.0.1:{port}" in output  # the message says which database
    for secret in (DATABASE_PASSWORD, *SECRETS):
        assert secret not in output, f"a secret leaked: {secret[:8]}…"
