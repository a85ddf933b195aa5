"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import make_url

from bot.engine import SurveyEngine
from privacy.identity import CallbackCodec
from storage import Database
from survey.config import Survey, load_survey
from tests.support.paths import CONFIG
from tests.support.postgres import TEMPLATE, PostgresServer
from tests.support.secrets import TEST_SECRET

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


def _admin_execute(admin_url: str, *statements: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement.encode())


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> str:
    """A migrated template database; each test copies it, which is much faster than migrating."""
    _admin_execute(
        postgres_admin_url, f"DROP DATABASE IF EXISTS {TEMPLATE}", f"CREATE DATABASE {TEMPLATE}"
    )
    url = make_url(postgres_admin_url).set(database=TEMPLATE).render_as_string(hide_password=False)
    database = Database(url)
    database.migrate()
    database.dispose()
    return postgres_admin_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database for one test, on each backend in turn."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'jeugdstem.db'}"
        database = Database(url)
        database.migrate()
        database.dispose()
        yield url
        return
    admin_url: str = request.getfixturevalue("postgres_template")
    name = f"test_{os.getpid()}_{next(_database_numbers)}"
    _admin_execute(admin_url, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    _admin_execute(admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """An open Database on the fresh test database."""
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def codec() -> CallbackCodec:
    return CallbackCodec(TEST_SECRET)


@pytest.fixture
def engine(survey: Survey, database: Database, codec: CallbackCodec) -> SurveyEngine:
    """The survey engine on the test database."""
    return SurveyEngine(survey, database, codec)
