"""Fixtures shared by the end-to-end tests of the bot process."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage import Database
from tests.support.fake_bot_api import FakeBotApi


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A fake Bot API server on loopback."""
    fake = FakeBotApi()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """The test database, opened the way the tests read what the bot stored."""
    database = Database(database_url)
    yield database
    database.dispose()
