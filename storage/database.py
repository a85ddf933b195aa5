"""Engine, transactions and migrations for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# Any constant will do: it only has to be the same in every worker.
_MIGRATION_LOCK_ID = 7_418_505


def normalize_database_url(url: str) -> URL:
    """Map a plain SQLAlchemy URL onto the async driver we ship for that database."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+asyncpg")
    raise ValueError(
        f"DATABASE_URL uses {backend!r}; Jeugdstem supports sqlite and postgresql only"
    )


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for PostgreSQL and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _configure_sqlite(engine: AsyncEngine) -> None:
    """WAL, foreign keys, and BEGIN IMMEDIATE so two writers queue instead of deadlocking."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves (the pysqlite default defers it and breaks locking).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=10000",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One database: a connection pool, transactions and schema migrations."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalize_database_url(url)
        self.dialect = self.url.get_backend_name()
        # hide_parameters: SQL errors must never carry a young person's words into a log.
        options: dict[str, Any] = {"echo": echo, "pool_pre_ping": True, "hide_parameters": True}
        if self.dialect == "sqlite":
            # SQLite has one writer at a time anyway; one pooled connection makes the
            # asyncio tasks of this process queue in order instead of busy-waiting.
            options.update(pool_size=1, max_overflow=0, pool_timeout=60)
        else:
            options.update(pool_size=10, max_overflow=5, pool_timeout=30)
        self.engine = create_async_engine(self.url, **options)
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session whose work is committed together, or rolled back on any error."""
        async with self._sessions() as session, session.begin():
            yield session

    async def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (safe to call from many workers)."""
        async with self.engine.connect() as connection:
            if self.dialect == "postgresql":
                # Two workers starting together must not both run the same migration.
                await connection.execute(
                    text("SELECT pg_advisory_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
                )
            try:
                await connection.run_sync(_upgrade_to_head)
                await connection.commit()
            finally:
                if self.dialect == "postgresql":
                    await connection.execute(
                        text("SELECT pg_advisory_unlock(:id)"), {"id": _MIGRATION_LOCK_ID}
                    )
                    await connection.commit()

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at our migrations, optionally on a live connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _upgrade_to_head(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")
