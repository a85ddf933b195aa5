"""The database: migrations build exactly the schema the models describe, files stay private."""

from __future__ import annotations

import time
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, func, inspect, select
from sqlalchemy.orm import Session

from storage import Base, Database, Participant
from storage.database import SCHEMA_HEAD, alembic_config, schema_revision


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def test_migrated_schema_matches_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = _differences(connection)
    assert differences == []


def test_migrate_twice_is_harmless(database: Database) -> None:
    database.migrate()
    database.migrate()
    with database.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    assert {"participants", "chat_links", "participations", "answers", "conversations"} <= tables


def test_schema_head_is_alembics_newest_revision() -> None:
    """A new migration must move SCHEMA_HEAD too, or databases would never reach it."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head == SCHEMA_HEAD, f"set storage.database.SCHEMA_HEAD = {head!r}"


def test_a_database_behind_the_head_is_upgraded_at_start(database: Database) -> None:
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0003")
        assert schema_revision(connection) == "0003"
    database.migrate()
    with database.engine.connect() as connection:
        assert schema_revision(connection) == SCHEMA_HEAD
        assert _differences(connection) == []


def test_a_new_sqlite_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "jeugdstem.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    database.dispose()
    for file in path.parent.iterdir():
        assert file.stat().st_mode & 0o077 == 0, f"{file.name} is readable by others"


def test_a_snapshot_reader_never_blocks_writers_and_sees_one_moment(database: Database) -> None:
    """An export streams for seconds; the bot must keep storing answers meanwhile."""
    with database.transaction() as session:
        session.add(Participant(pseudonym="a" * 64, language="nl"))
    other = Database(database.url.render_as_string(hide_password=False))
    try:
        with database.snapshot() as reader:
            assert _count(reader) == 1
            started = time.perf_counter()
            with other.transaction() as writer:  # would wait for the reader under BEGIN IMMEDIATE
                writer.add(Participant(pseudonym="b" * 64, language="nl"))
            assert time.perf_counter() - started < 5
            assert _count(reader) == 1  # still the moment the export started
        with database.snapshot() as reader:
            assert _count(reader) == 2
    finally:
        other.dispose()


def _count(session: Session) -> int:
    return int(session.execute(select(func.count(Participant.id))).scalar_one())
