"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import make_url

from bot.engine import SurveyEngine
from bot.identity import CallbackCodec
from bot.survey import Survey, load_survey
from storage import Database
from tests.support.postgres import PostgresServer

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "config.yml"
TEST_SECRET = b"test-secret-not-for-production"
TEMPLATE = "jeugdstem_template"

_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def survey() -> Survey:
    """The shipped config.yml."""
    return load_survey(CONFIG)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """Superuser URL of a PostgreSQL server: JEUGDSTEM_TEST_POSTGRES_URL, or one we start."""
    configured = os.environ.get("JEUGDSTEM_TEST_POSTGRES_URL")
    if configured:
        yield configured
        return
    server = PostgresServer.start()
    try:
        yield server.url
    finally:
        server.destroy()


async def _admin_execute(admin_url: str, *statements: str) -> None:
    url = make_url(admin_url)
    connection = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, password=url.password, database=url.database
    )
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _create_template(admin_url: str) -> None:
    await _admin_execute(
        admin_url, f"DROP DATABASE IF EXISTS {TEMPLATE}", f"CREATE DATABASE {TEMPLATE}"
    )
    url = make_url(admin_url).set(database=TEMPLATE).render_as_string(hide_password=False)
    database = Database(url)
    await database.migrate()
    await database.dispose()


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> str:
    """A migrated template database; each test copies it, which is much faster than migrating."""
    # Requested lazily from inside an async fixture, so it runs on its own loop in a thread.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _create_template(postgres_admin_url)).result()
    return postgres_admin_url


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[str]:
    """A fresh, migrated database for one test, on each backend in turn."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'jeugdstem.db'}"
        database = Database(url)
        await database.migrate()
        await database.dispose()
        yield url
        return
    admin_url: str = request.getfixturevalue("postgres_template")
    name = f"test_{os.getpid()}_{next(_database_numbers)}"
    await _admin_execute(admin_url, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    await _admin_execute(admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """An open Database on the fresh test database."""
    db = Database(database_url)
    yield db
    await db.dispose()


@pytest.fixture
def codec() -> CallbackCodec:
    return CallbackCodec(TEST_SECRET)


@pytest.fixture
def engine(survey: Survey, database: Database, codec: CallbackCodec) -> SurveyEngine:
    """The survey engine on the test database."""
    return SurveyEngine(survey, database, codec)
