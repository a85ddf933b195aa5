"""Engine, transactions and migrations for SQLite and PostgreSQL.

The database API is synchronous on purpose. A survey step is a handful of
short statements; an asyncio driver (aiosqlite) hops between a thread and the
event loop for every statement and spent three times the CPU of the whole
synchronous turn (measured: benchmarks.conversation). Async callers hand a
whole transaction to :meth:`Database.run`.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import structlog
from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session as Session  # re-exported: the type the work of run receives
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions (tests/storage/test_database.py keeps the two
# the same): a database already there is not handed to Alembic at all.
SCHEMA_HEAD = "0007"

# Any constant will do: it only has to be the same in every worker.
_MIGRATION_LOCK_ID = 7_418_505
_POSTGRES_THREADS = 4
# Execution option that marks a connection as a read-only snapshot (see Database.snapshot).
_SNAPSHOT = "jeugdstem_snapshot"

T = TypeVar("T")

log = structlog.get_logger("jeugdstem.storage")

# Tries of one conversation turn that lost a race (see Database.run_turn).
TURN_ATTEMPTS = 3


def normalize_database_url(url: str) -> URL:
    """Map a plain SQLAlchemy URL onto the driver we ship for that database."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+pysqlite")
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    raise ValueError(
        f"DATABASE_URL uses {backend!r}; Jeugdstem supports sqlite and postgresql only"
    )


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for PostgreSQL and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, and BEGIN IMMEDIATE so two writers queue instead of deadlocking."""

    @event.listens_for(engine, "connect")
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

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(_SNAPSHOT):
            # A reader: WAL gives it a snapshot and writers carry on beside it.
            connection.exec_driver_sql("BEGIN DEFERRED")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _create_private_file(database: str | None) -> None:
    """Create a new SQLite file readable by its owner only (SQLite gives -wal and -shm the same)."""
    if database in (None, "", ":memory:"):
        return
    path = Path(str(database))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


class Database:
    """One database: a connection pool, transactions and schema migrations."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalize_database_url(url)
        self.dialect = self.url.get_backend_name()
        # hide_parameters: SQL errors must never carry a young person's words into a log.
        options: dict[str, Any] = {"echo": echo, "pool_pre_ping": True, "hide_parameters": True}
        if self.dialect == "sqlite":
            # SQLite has one writer at a time anyway: one connection makes
            # transactions queue in order instead of busy-waiting.
            options.update(
                pool_size=1,
                max_overflow=0,
                pool_timeout=60,
                connect_args={"check_same_thread": False},
            )
        else:
            # A few threads keep PostgreSQL busy; more only fight over the GIL
            # (4 did better than 10 in benchmarks/conversation.py on 2 cores).
            options.update(pool_size=_POSTGRES_THREADS, max_overflow=5, pool_timeout=30)
        if self.dialect == "sqlite":
            _create_private_file(self.url.database)
        self.engine = create_engine(self.url, **options)
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._executor: ThreadPoolExecutor | None = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one transaction, from async code.

        PostgreSQL work goes to a pool of worker threads, so a slow query or a
        lock wait never holds up the event loop. SQLite work runs right here:
        its statements take microseconds and it allows one writer at a time
        anyway, and handing each turn to a thread and back cost more CPU than
        the turn itself (measured with benchmarks/conversation.py: p99 at 300
        updates/s went from ~70 ms to ~35 ms).
        """
        if self.dialect == "sqlite":
            return self._run_in_transaction(work)
        if self._executor is None:
            self._executor = ThreadPoolExecutor(
                _POSTGRES_THREADS, thread_name_prefix="jeugdstem-db"
            )
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._run_in_transaction, work)

    async def run_turn(self, work: Callable[[Session], T]) -> T:
        """``run`` for one conversation turn, tried again when another transaction raced it.

        Two deliveries of a first message can both try to create the participant;
        the loser retries and then sees the winner's rows. A stale conversation
        should never happen (turns lock the participant first); the version column
        is the safety net.
        """
        for attempt in range(1, TURN_ATTEMPTS + 1):
            try:
                return await self.run(work)
            except (IntegrityError, StaleDataError) as error:
                log.info("turn_retried", attempt=attempt, error=type(error).__name__)
                if attempt == TURN_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read-only session on one consistent snapshot, for long reads such as exports.

        It never holds a write lock, so the bot keeps storing answers while a
        100,000-row export streams out (SQLite WAL reader; PostgreSQL
        REPEATABLE READ READ ONLY).
        """
        with self.engine.connect() as connection:
            if self.dialect == "sqlite":
                connection.execution_options(**{_SNAPSHOT: True})
            else:
                connection.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                )
            with connection.begin(), Session(bind=connection) as session:
                yield session

    def _run_in_transaction(self, work: Callable[[Session], T]) -> T:
        with self.transaction() as session:
            return work(session)

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (safe to call from many workers)."""
        with self.engine.begin() as connection:
            if self.dialect == "postgresql":
                # Two workers starting together must not both run the same migration;
                # the lock is released when this transaction ends.
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID}
                )
            if schema_revision(connection) == SCHEMA_HEAD:
                return  # every start but the first after an upgrade: no need for Alembic
            # Imported here: Alembic is a tenth of a second that only migrating needs.
            from alembic import command

            command.upgrade(alembic_config(connection), "head")

    def dispose(self) -> None:
        """Close every pooled connection and the worker threads."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        self.engine.dispose()


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at; None for a database without our schema."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    revisions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    found = list(revisions)
    return str(found[0]) if len(found) == 1 else None


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at our migrations, optionally on a live connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


# -- outages: errors worth waiting out -------------------------------------------------------


def database_unavailable(error: BaseException) -> bool:
    """Whether an error means the server is away for now, so the same work may succeed soon.

    True for a dropped connection, a refused one, and a server that is shutting down or
    starting up. False for a broken schema or statement: retrying those only delays the
    failure (SQLite reports "no such table" as an OperationalError too, hence the check
    on psycopg's own class).
    """
    if not isinstance(error, DBAPIError):
        return False
    import psycopg  # only on errors, and SQLite users never need it

    return bool(error.connection_invalidated) or isinstance(error.orig, psycopg.OperationalError)
