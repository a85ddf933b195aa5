"""Fixtures shared by the end-to-end tests of the bot process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Database
from tests.support.fake_bot_api import FakeBotApi
from tests.support.models import shared_models


@pytest.fixture(scope="session")
def trained_models() -> Path:
    """The shared models, trained once (if out of date) before the first bot starts."""
    return shared_models()


@pytest.fixture(autouse=True)
def _models_before_bot_processes(request: pytest.FixtureRequest) -> None:
    """A bot process never trains at start: its start-up is what a restart costs."""
    if request.node.get_closest_marker("e2e") is not None:
        request.getfixturevalue("trained_models")


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
