"""The database: migrations build exactly the schema the models describe, files stay private."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from storage import Base, Database


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


def test_a_new_sqlite_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "jeugdstem.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    database.dispose()
    for file in path.parent.iterdir():
        assert file.stat().st_mode & 0o077 == 0, f"{file.name} is readable by others"
